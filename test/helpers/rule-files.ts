// Rule files written to a scratch folder, for tests that go through loadRules.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleError } from '../../src/errors.js';
import { loadRules, type LoadResult } from '../../src/rules/load.js';

const scratch = mkdtempSync(join(tmpdir(), 'hunt-rule-files-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

/** Writes the files into a fresh scratch folder and returns its path. */
export function ruleFolder(files: Record<string, string>): string {
  const dir = join(scratch, String(n++));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Writes the files into a fresh folder and loads it. */
export async function loadFiles(files: Record<string, string>): Promise<LoadResult> {
  return loadRules([ruleFolder(files)]);
}

/** The RuleError loading the files throws (anything else fails the test). */
export async function loadFailure(files: Record<string, string>): Promise<RuleError> {
  try {
    await loadFiles(files);
  } catch (err) {
    if (err instanceof RuleError) return err;
    throw err;
  }
  throw new Error('expected a RuleError');
}

/** A CloudTrail rule named `name` with the given `detection:` block (indented YAML lines). */
export function ruleText(name: string, detection: string): string {
  return `title: ${name}\nname: ${name}\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n${detection}`;
}
