// The rules a hunt runs: loaded from `--rules` (or the bundled pack), every
// problem reported, then narrowed by `--rule` and `--min-level`.

import { RuleError, UsageError } from '../errors.js';
import type { HuntOptions } from '../options.js';
import { bundledRulesDir, inspectRules, selectRules, type LoadResult } from './load.js';
import type { Rule } from './types.js';

/** The rules to run, and what loading left out (for the summary). */
export interface PreparedRules extends LoadResult {}

/** Problems named one by one before a hunt stops; `hunt rules` names them all. */
const MAX_NAMED = 50;

export type RuleChoice = Pick<HuntOptions, 'rulePaths' | 'ruleGlobs' | 'minLevel' | 'skipUnsupported' | 'quiet'>;

/**
 * Loads and selects the rules. Every problem is reported on its own line
 * (`error: file:line: …`), then a UsageError says what to do; with
 * `skipUnsupported`, a rule the engine cannot evaluate is a warning instead
 * and is counted in `refused`.
 */
export async function prepareRuleSet(opts: RuleChoice, io: { report(line: string): void }): Promise<PreparedRules> {
  const own = opts.rulePaths.length > 0;
  const { rules: loaded, skipped, problems, warnings } = await inspectRules(own ? opts.rulePaths : [bundledRulesDir()]);
  const refused = opts.skipUnsupported ? problems.filter((p) => p.unsupported) : [];
  const fatal = opts.skipUnsupported ? problems.filter((p) => !p.unsupported) : problems;
  for (const p of refused) io.report(`warning: ${p.message} (rule left out: --skip-unsupported)`);
  if (fatal.length > 0) throw cannotLoad(fatal, opts);
  if (skipped.length > 0 && !opts.quiet) {
    io.report(`skipped ${skipped.length} rule(s) not for AWS CloudTrail (first: ${skipped[0]!.file}: ${skipped[0]!.reason})`);
  }
  if (!opts.quiet) for (const warning of warnings) io.report(`warning: ${warning}`);
  const rules = selectRules(loaded, { globs: opts.ruleGlobs, minLevel: opts.minLevel ?? undefined });
  if (rules.length === 0) throw new UsageError(`no rules to run: ${refused.length > 0 && loaded.length === 0 ? 'every rule was left out by --skip-unsupported' : '--rules/--rule/--min-level selected none'} — hunt rules lists the rules and their levels`);
  if (!opts.quiet && !rules.some((r) => r.kind !== 'detection' || r.generate)) {
    io.report(`note: the rules selected are counted by correlations and produce no hits of their own (Sigma's generate: false) — select the correlations instead`);
  }
  return { rules, skipped, warnings, refused };

  function cannotLoad(fatal: RuleError[], choice: RuleChoice): UsageError {
    for (const p of fatal.slice(0, MAX_NAMED)) io.report(`error: ${p.message}`);
    const more = fatal.length > MAX_NAMED ? ` (${fatal.length - MAX_NAMED} more not shown)` : '';
    const unsupported = fatal.filter((p) => p.unsupported).length;
    const broken = fatal.length - unsupported;
    const list = `hunt rules${choice.rulePaths.map((p) => ` --rules ${shellWord(p)}`).join('')}`;
    const ways: string[] = [];
    if (broken > 0) ways.push(`fix the rule file(s) named above`);
    if (unsupported > 0) ways.push(`add --skip-unsupported to hunt without the ${unsupported} rule(s) hunt cannot evaluate`);
    ways.push(`'${list}' lists every rule and problem`);
    return new UsageError(`${fatal.length} rule problem(s)${more}: ${ways.join('; ')}`);
  }
}

/** The rules to run; see prepareRuleSet. */
export async function prepareRules(opts: RuleChoice, io: { report(line: string): void }): Promise<Rule[]> {
  return (await prepareRuleSet(opts, io)).rules;
}

/** A path as one shell word, for a command line a person can paste. */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
