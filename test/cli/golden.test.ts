// The CLI as a user meets it: the built binary on the bundled samples,
// compared byte for byte with golden NDJSON files named after their flags.
// UPDATE_GOLDEN=1 rewrites the files (review the diff before committing).

import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hunt, lines, ROOT } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });

const CASES: string[][] = [
  ['--source', 'samples'],
  ['--source', 'samples', '--since', '2026-10-06', '--until', '2026-10-07'],
  ['--source', 'samples', '--account', '444455556666'],
  ['--source', 'samples', '--region', 'eu-west-1'],
  ['--source', 'samples', '--rule', 'aws-iam-*'],
  ['--credential-report', 'samples/credential-report.csv'],
  ['--source', 'samples', '--context', '1h'],
];

/** Log objects in samples/, counted from the disk rather than trusted from the summary. */
async function sampleLogObjects(): Promise<number> {
  const all = await readdir(path.join(ROOT, 'samples'), { recursive: true });
  return all.filter((f) => f.endsWith('.json.gz') && !f.includes('CloudTrail-Digest')).length;
}

/** `hunt --source samples --format ndjson`, run once for the tests that read it. */
let demo: ReturnType<typeof hunt> | undefined;
const samplesDemo = () => (demo ??= hunt(['--source', 'samples', '--format', 'ndjson']));

const goldenName = (args: string[]) =>
  args
    .join(' ')
    .replace(/--/g, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .replace(/_+/g, '_') + '.ndjson';

async function golden(args: string[], stdout: string): Promise<string> {
  const file = path.join(ROOT, 'test/golden', goldenName(args));
  if (process.env.UPDATE_GOLDEN) await writeFile(file, stdout);
  return readFile(file, 'utf8');
}

describe('the summary on stderr, as a person reads it after the demo', () => {
  it('says what was covered: window, event range, rules, hits per severity (golden, elapsed time blanked)', async () => {
    const run = await samplesDemo();
    const stderr = run.stderr.replace(/ in [\d.]+ s\)?/g, ' in <elapsed> s');
    const file = path.join(ROOT, 'test/golden/summary_source_samples.txt');
    if (process.env.UPDATE_GOLDEN) await writeFile(file, stderr);
    expect(stderr).toBe(await readFile(file, 'utf8'));
    expect(stderr).toMatch(/^hunt: window \(open/m);
    expect(stderr).toMatch(/^hunt: events 2026-10-0/m);
  });
});

describe('golden NDJSON on samples/', () => {
  for (const args of CASES) {
    it(`hunt ${args.join(' ')}`, async () => {
      const run = await hunt([...args, '--format', 'ndjson', '--workers', '2']);
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(await golden(args, run.stdout));
    });
  }
});

describe('the installed command', () => {
  it('runs as `npx hunt` does, through the package bin', () => {
    // npx runs the package's own bin, the build itself: it must stay executable after every rebuild.
    const help = execFileSync('npx', ['--no-install', 'hunt', '--help'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(help).toMatch(/Hunt archived AWS CloudTrail logs for MFA abuse/);
    expect(help).toMatch(/jq/);
  });
});

describe('the demo over samples/', () => {
  it('fires every bundled rule, with the planted counts', async () => {
    const run = await samplesDemo();
    const perRule: Record<string, number> = {};
    for (const hit of lines(run.stdout)) perRule[hit.rule as string] = (perRule[hit.rule as string] ?? 0) + 1;
    expect(perRule).toEqual({
      'aws-console-login-mfa-failures': 2,
      'aws-console-login-without-mfa': 3,
      'aws-console-password-spraying': 1,
      'aws-iam-mfa-device-deactivated': 2,
      'aws-iam-mfa-device-enabled': 4,
      'aws-iam-mfa-device-registered-for-other-user': 5,
      'aws-iam-user-mfa': 1,
      'aws-iam-user-password-without-mfa': 3,
      'aws-mfa-failures-then-login': 1,
      'aws-mfa-removed-then-login-without-mfa': 1,
      'aws-root-account-mfa': 1,
      'aws-root-console-login-failures': 1,
    });
  });

  it('counts the event CloudTrail delivered twice once, and names both files', async () => {
    const run = await hunt(['--source', 'samples', '--format', 'ndjson', '--rule', 'aws-console-login-mfa-failures']);
    const sam = lines(run.stdout).find((h) => h.actor === 'sam.okafor')!;
    expect(sam.count).toBe(2);
    expect(sam.eventIDs).toEqual(['d4f58b3b-73c6-4779-87cb-ba8318d22c2e', '85604f11-b188-4a89-800f-3281c86ef0ee']);
    expect((sam.sources as string[]).length).toBe(3);
  });

  it('gives byte-identical NDJSON with 1 and 2 workers', async () => {
    const one = await hunt(['--source', 'samples', '--format', 'ndjson', '--workers', '1']);
    const two = await hunt(['--source', 'samples', '--format', 'ndjson', '--workers', '2']);
    expect(one.stdout.length).toBeGreaterThan(1000);
    expect(two.stdout).toBe(one.stdout);
  });

  it('prunes by the key layout: a narrow window opens fewer objects', async () => {
    const all = await samplesDemo();
    const day = await hunt(['--source', 'samples', '--format', 'ndjson', '--since', '2026-10-06T09:00:00Z', '--until', '2026-10-06T10:00:00Z']);
    const scanned = (stderr: string) => Number(/scanned ([\d,]+) objects?/.exec(stderr)![1]!.replace(/,/g, ''));
    const objects = await sampleLogObjects();
    expect(scanned(all.stderr)).toBe(objects);
    expect(scanned(day.stderr)).toBeLessThan(objects / 5);
    expect(day.stderr).toMatch(/outside --since\/--until/);
    // Events outside the window never count, even inside opened files.
    expect(lines(day.stdout).map((h) => h.rule)).toEqual(['aws-console-login-mfa-failures', 'aws-iam-user-mfa', 'aws-root-account-mfa']);
  });

  it('prints a table with the hits and the summary on stderr', async () => {
    const run = await hunt(['--source', 'samples', '--format', 'table']);
    // Piped, there is no width to fit: every cell whole (as --wide), one hit a line.
    expect(run.stdout).toMatch(/^time\s+rule\s+severity\s+target\s+actor\s+source IP\s+count\s+account\s+region\s+eventName\s*\n/);
    expect(run.stdout).toContain('aws-iam-user-password-without-mfa');
    expect(run.stdout).toContain('arn:aws:sts::444455556666:assumed-role/PlatformAdmin/ops.kim');
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(26);
    expect(run.stdout).toMatch(/maria\.garcia/);
    expect(run.stderr).toContain(`hunt: scanned ${await sampleLogObjects()} objects`);
    expect(run.stderr).toMatch(/hunt: 25 hits: /);
  });
});
