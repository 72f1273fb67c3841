// `hunt rules [--rules DIR]…`: lists the rules a hunt would load, one per
// line (name, level, kind, title), and checks every rule file, naming every
// problem rather than the first. Runs no hunt. Exit 2 when any rule has a
// problem (with --skip-unsupported, only a rule that is wrong rather than
// unsupported), 0 when all load.

import yargs from 'yargs';
import { parseWith, type CliIO } from './usage.js';
import { EXIT } from './errors.js';
import { parseLevel } from './options.js';
import { forTerminal } from './output/sanitize.js';
import { displayWidth, fitEnd } from './output/width.js';
import { bundledRulesDir, inspectRules, selectRules } from './rules/load.js';
import type { Rule } from './rules/types.js';

/** Past this a name or title is cut: a rule file is input, and may be hostile. */
const MAX_NAME = 60;
const MAX_TITLE = 200;

export async function rulesCommand(argv: string[], io: CliIO, report: (line: string) => void): Promise<number> {
  const { parsed, output } = parseWith(
    yargs(argv)
      .scriptName('hunt rules')
      .usage('$0 [--rules <dir|file>]... [--rule <name>]... [--min-level <level>]\n\nLists the rules (name, level, kind, title), one per line, and checks every rule file: each problem is named on stderr with its file and line, and the exit code is 2 if there is any. Without --rules, the bundled pack. Runs no hunt.')
      .option('rules', { type: 'string', array: true, describe: 'Sigma rule folder or file (repeatable) [default: the bundled pack]' })
      .option('rule', { type: 'string', array: true, describe: 'List only rules whose name matches this glob, or whose title or id is this (repeatable)' })
      .option('min-level', { type: 'string', describe: 'List only rules at or above this level: informational, low, medium, high, critical' })
      .option('skip-unsupported', { type: 'boolean', describe: 'Report rules hunt cannot evaluate as warnings, as a hunt with this flag would (exit 0 if nothing else is wrong)' })
      .strict()
      .version(false)
      .help()
      .alias('h', 'help')
      .wrap(Math.min(120, io.columns || 100)),
    argv,
    'hunt rules',
  );
  if (parsed.help) {
    await io.stdout(output);
    return EXIT.ok;
  }
  const extra = (parsed._ as unknown[] | undefined) ?? [];
  if (extra.length > 0) {
    report(`unexpected argument ${JSON.stringify(String(extra[0]))}: rule folders are given with --rules — hunt rules --help`);
    return EXIT.usage;
  }
  const paths = ((parsed.rules as string[] | undefined) ?? []).filter((p) => p !== '');
  const globs = (parsed.rule as string[] | undefined) ?? [];
  const minLevel = parsed.minLevel === undefined ? undefined : parseLevel(parsed.minLevel as string);
  const skipUnsupported = parsed.skipUnsupported === true;

  const { rules, skipped, problems, warnings } = await inspectRules(paths.length > 0 ? paths : [bundledRulesDir()]);
  await io.stdout(listing(globs.length > 0 || minLevel ? selectRules(rules, { globs, minLevel }) : rules));

  let errors = 0;
  for (const p of problems) {
    if (skipUnsupported && p.unsupported) {
      report(`warning: ${p.message} (left out by --skip-unsupported)`);
    } else {
      report(`error: ${p.message}`);
      errors++;
    }
  }
  // Rules that load but may never fire as written: not problems, but worth a look.
  for (const w of warnings) report(`warning: ${w}`);
  const unsupported = problems.filter((p) => p.unsupported).length;
  const parts = [`${rules.length} rule(s) load`];
  if (skipped.length > 0) parts.push(`${skipped.length} skipped, not for AWS CloudTrail (first: ${skipped[0]!.file}: ${skipped[0]!.reason})`);
  if (problems.length > 0) parts.push(`${problems.length} with problems, ${unsupported} of them unsupported by hunt${skipUnsupported || unsupported === 0 ? '' : ' (--skip-unsupported leaves those out of a hunt)'}`);
  report(parts.join('; '));
  return errors > 0 ? EXIT.usage : EXIT.ok;
}

/** One line per rule: name, level, kind, title; the first three padded into columns. */
function listing(rules: Rule[]): string {
  const rows = rules.map((r) => [fitEnd(forTerminal(r.key), MAX_NAME), r.level, r.kind, fitEnd(forTerminal(r.title), MAX_TITLE)] as const);
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((row) => displayWidth(row[i]!))));
  return rows
    .map((row) => row.map((cell, i) => (i < 3 ? cell + ' '.repeat(widths[i]! - displayWidth(cell)) : cell)).join('  ').trimEnd() + '\n')
    .join('');
}
