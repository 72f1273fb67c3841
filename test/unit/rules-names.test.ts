// Rule handling a responder can read: names from titles, every problem of a
// folder at once, unsupported rules told apart from wrong ones, and selection
// by name, title, id and level.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleError, UsageError } from '../../src/errors.js';
import { inspectRules, loadRules, selectRules } from '../../src/rules/load.js';
import { titleSlug } from '../../src/rules/names.js';
import type { Rule } from '../../src/rules/types.js';
import { ruleFolder } from '../helpers/rule-files.js';

const sigmahq = join(import.meta.dirname, '..', 'fixtures', 'sigmahq-like');
/** Writes rule files into a fresh folder and returns its path. */
const folder = ruleFolder;

/** A SigmaHQ-shaped rule: no `name`. */
const sigma = (fields: { title?: string; id?: string; name?: string; level?: string; detection?: string }): string =>
  [
    fields.title !== undefined ? `title: ${fields.title}` : '',
    fields.name !== undefined ? `name: ${fields.name}` : '',
    fields.id !== undefined ? `id: ${fields.id}` : '',
    'logsource:\n  product: aws\n  service: cloudtrail',
    `detection:\n${fields.detection ?? '  selection:\n    eventName: StopLogging\n  condition: selection'}`,
    fields.level !== undefined ? `level: ${fields.level}` : '',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';

const keys = (rules: Rule[]) => rules.map((r) => r.key);

describe('titleSlug', () => {
  it('spells a title as a lowercase slug, keeping brand words whole', () => {
    expect(titleSlug('AWS CloudTrail Important Change')).toBe('aws-cloudtrail-important-change');
    expect(titleSlug('AWS EC2 VM Export Failure (API)')).toBe('aws-ec2-vm-export-failure-api');
    expect(titleSlug('  Root  --  Sign-in!  ')).toBe('root-sign-in');
  });
  it('transliterates rather than drops letters', () => {
    expect(titleSlug('Überprüfung')).toBe('ueberpruefung');
  });
  it('is empty when there is nothing to spell a name with, and bounded for a huge title', () => {
    expect(titleSlug('!!! ???')).toBe('');
    const long = titleSlug('word '.repeat(100_000));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^(word-)*word$/);
  });
  it('never lets a control character or escape sequence through', () => {
    expect(titleSlug('evil\u001b[2J\u009b31m title\u202e')).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('rules without a name', () => {
  it('are called by the slug of their title (SigmaHQ-like fixtures)', async () => {
    const { rules } = await loadRules([join(sigmahq, 'names')]);
    expect(keys(rules)).toEqual([
      'aws-cloudtrail-important-change',
      'aws-console-login-without-mfa',
      'aws-iam-mfa-device-deactivated',
      '9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b',
      'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    ]);
    expect(rules[0]).toMatchObject({ title: 'AWS CloudTrail Important Change', id: '4db60cc0-36fb-42b7-9b58-a5b53019fb74', level: 'medium' });
  });

  it('are called by their ids when two titles collide, whatever the order the files are given in', async () => {
    const api = join(sigmahq, 'names', 'aws_root_activity_api.yml');
    const console = join(sigmahq, 'names', 'aws_root_activity_console.yml');
    const one = await loadRules([api, console]);
    const other = await loadRules([console, api]);
    const byFile = (rules: Rule[]) => Object.fromEntries(rules.map((r) => [r.file, r.key]));
    expect(byFile(one.rules)).toEqual(byFile(other.rules));
    expect(byFile(one.rules)).toEqual({ [api]: '9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b', [console]: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f' });
    // Alone, the same rule has its title's slug.
    expect(keys((await loadRules([api])).rules)).toEqual(['aws-root-account-activity']);
  });

  it('leave a slug that another rule has as its name to that rule', async () => {
    const dir = folder({
      'a.yml': sigma({ title: 'Trail Stopped', id: 'id-a' }),
      'b.yml': sigma({ title: 'Something Else', name: 'trail-stopped' }),
    });
    expect(keys((await loadRules([dir])).rules).sort()).toEqual(['id-a', 'trail-stopped']);
  });

  it('fall back on the id when the title spells nothing', async () => {
    const dir = folder({ 'a.yml': sigma({ title: "'!!!'", id: 'id-a' }) });
    expect(keys((await loadRules([dir])).rules)).toEqual(['id-a']);
  });

  it('cannot share a title when one has no id to be called by: a problem naming both files', async () => {
    const dir = folder({ 'a.yml': sigma({ title: 'Same', id: 'id-a' }), 'b.yml': sigma({ title: 'Same' }) });
    const { rules, problems } = await inspectRules([dir]);
    expect(keys(rules)).toEqual(['id-a']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/b\.yml:1: its title gives the name 'same', which .*a\.yml:2 also has/);
    expect(problems[0]!.unsupported).toBe(false);
  });

  it('can be counted by a correlation through their id, and the correlation itself may have no name', async () => {
    const dir = folder({
      'r.yml': `${sigma({ title: 'Failed Sign-in', id: 'base-id' })}---\ntitle: Many Failed Sign-ins\ncorrelation:\n  type: event_count\n  rules: [base-id]\n  group-by: [sourceIPAddress]\n  timespan: 1h\n  condition: {gte: 3}\n`,
    });
    const { rules } = await loadRules([dir]);
    expect(rules).toMatchObject([
      { key: 'failed-sign-in', kind: 'detection', generate: false },
      { key: 'many-failed-sign-ins', kind: 'correlation', rules: ['failed-sign-in'] },
    ]);
  });
});

describe('inspectRules', () => {
  it('names every problem of a folder, not the first, and still loads the good rules', async () => {
    const dir = folder({
      'a-keyword.yml': sigma({ title: 'Keyword', detection: '  keywords:\n    - StopLogging\n  condition: keywords' }),
      'b-good.yml': sigma({ title: 'Good' }),
      'c-yaml.yml': 'title: [unclosed\n',
      'd-two-docs.yml': `${sigma({ title: 'Base', detection: '  s:\n    a|base64: x\n  condition: s' })}---\n${sigma({ title: 'Fine' })}`,
    });
    const { rules, problems } = await inspectRules([dir]);
    expect(keys(rules)).toEqual(['good', 'fine']);
    expect(problems.map((p) => [p.file.slice(dir.length + 1), p.line, p.unsupported])).toEqual([
      ['a-keyword.yml', 7, true],
      ['c-yaml.yml', 2, false],
      ['d-two-docs.yml', 7, true],
    ]);
  });

  it('names a missing path and goes on with the others', async () => {
    const dir = folder({ 'a.yml': sigma({ title: 'Good' }) });
    const { rules, problems } = await inspectRules([join(folder({}), 'nope'), dir]);
    expect(keys(rules)).toEqual(['good']);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/nope: cannot read rules \(ENOENT\)/)]);
  });

  it('gives a correlation counting a rule with a problem a problem of the same kind', async () => {
    const dir = folder({
      'c.yml': `${sigma({ title: 'Base', id: 'base-id', detection: '  keywords:\n    - x\n  condition: keywords' })}---\ntitle: Count\ncorrelation:\n  type: event_count\n  rules: [base-id]\n  timespan: 1h\n  condition: {gte: 3}\n`,
    });
    const { rules, problems } = await inspectRules([dir]);
    expect(rules).toEqual([]);
    expect(problems.map((p) => [p.unsupported, p.detail])).toEqual([
      [true, expect.stringMatching(/keyword search/)],
      [true, expect.stringMatching(/^correlation 'count' correlates rule 'base-id', which cannot be used/)],
    ]);
  });
});

describe('filters with a problem', () => {
  it('leave out the rules they tune with a problem of the same kind: a rule never runs untuned', async () => {
    const dir = folder({
      'a.yml': sigma({ title: 'Tuned', id: 'tuned-id' }),
      'b.yml': sigma({ title: 'Other' }),
      'f.yml': 'title: Allow the scanner\nlogsource: {product: aws}\nfilter:\n  rules: [tuned]\n  keywords:\n    - scanner\n  condition: not keywords\n',
    });
    const { rules, problems } = await inspectRules([dir]);
    expect(keys(rules)).toEqual(['other']);
    expect(problems.map((p) => [p.file.slice(dir.length + 1), p.unsupported])).toEqual([
      ['a.yml', true],
      ['f.yml', true],
    ]);
    expect(problems[0]!.detail).toMatch(/^rule 'tuned' is tuned by filter 'Allow the scanner' .*which cannot be used/);
    const { rules: kept, refused } = await loadRules([dir], { skipUnsupported: true });
    expect(keys(kept)).toEqual(['other']);
    expect(refused).toHaveLength(2);
  });
});

describe('unsupported or wrong', () => {
  const kind = async (files: Record<string, string>): Promise<boolean> => {
    const { problems } = await inspectRules([folder(files)]);
    expect(problems).toHaveLength(1);
    return problems[0]!.unsupported;
  };
  const det = (detection: string) => ({ 'r.yml': sigma({ title: 'R', detection }) });
  const corr = (block: string) => ({ 'r.yml': `${sigma({ title: 'R' })}---\ntitle: C\ncorrelation:\n${block}` });

  it('valid Sigma the engine cannot evaluate is unsupported', async () => {
    expect(await kind(det('  keywords:\n    - x\n  condition: keywords'))).toBe(true);
    expect(await kind(det('  s:\n    "|contains": x\n  condition: s'))).toBe(true);
    expect(await kind(det('  s:\n    a|base64offset|contains: x\n  condition: s'))).toBe(true);
    expect(await kind(det('  s:\n    a|frobnicate: x\n  condition: s'))).toBe(true);
    expect(await kind(det('  s:\n    a: x\n  condition: s | count() by b > 3'))).toBe(true);
    expect(await kind(det('  s:\n    a: x\n  timeframe: 5m\n  condition: s'))).toBe(true);
    expect(await kind(det('  s1:\n    a: x\n  condition: 2 of s*'))).toBe(true);
    expect(await kind(det("  s:\n    a|re: '(?=x)y'\n  condition: s"))).toBe(true); // lookahead: fine for PCRE, not for RE2
    expect(await kind(det("  s:\n    a|re: '(a)\\1'\n  condition: s"))).toBe(true); // backreference
    // value_count, temporal, aliases and lt/lte/eq/neq are evaluated (rules-correlation-load.test.ts); these are not.
    expect(await kind(corr('  type: value_sum\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n'))).toBe(true);
    expect(await kind(corr('  type: event_count\n  rules: [r]\n  timespan: 1h\n  condition: {range: 2..5}\n'))).toBe(true);
    expect(await kind(corr('  type: temporal\n  rules: [r, r2]\n  timespan: 1h\n  condition: r and r2\n'))).toBe(true);
    expect(await kind({ 'r.yml': `action: global\ntitle: R\n` })).toBe(true);
  });

  it('a rule that is wrong is not', async () => {
    expect(await kind(det("  s:\n    a|re: '(unclosed'\n  condition: s"))).toBe(false);
    expect(await kind(det('  s:\n    a: x\n  condition: s and nothing'))).toBe(false);
    expect(await kind(det('  s:\n    a: x'))).toBe(false);
    expect(await kind(det('  s:\n    a|exists: maybe\n  condition: s'))).toBe(false);
    expect(await kind({ 'r.yml': 'title: [unclosed\n' })).toBe(false);
    expect(await kind({ 'r.yml': sigma({ title: 'R', level: 'severe' }) })).toBe(false);
    expect(await kind(corr('  type: event_count\n  rules: [r]\n  timespan: 1h\n  condition: {gte: many}\n'))).toBe(false);
    expect(await kind(corr('  type: 7\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n'))).toBe(false);
    expect(await kind(corr('  type: value_cont\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n'))).toBe(false);
    expect(await kind(corr('  type: value_count\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n'))).toBe(false); // no condition.field
  });
});

describe('loadRules with skipUnsupported', () => {
  it('leaves out the rules hunt cannot evaluate and returns them as refused', async () => {
    const { rules, refused } = await loadRules([join(sigmahq, 'unsupported')], { skipUnsupported: true });
    expect(keys(rules)).toEqual(['aws-cloudtrail-trail-stopped', 'aws-iam-access-key-created']);
    expect(refused.map((r) => [r.file.split('/').pop(), r.line])).toEqual([
      ['aws_console_login_brute_force.yml', 14],
      ['aws_keyword_stoplogging.yml', 11],
    ]);
  });

  it('without it, throws the first of them', async () => {
    await expect(loadRules([join(sigmahq, 'unsupported')])).rejects.toThrow(RuleError);
  });

  it('still throws for a rule that is wrong', async () => {
    const dir = folder({ 'a.yml': sigma({ title: 'A', detection: '  keywords:\n    - x\n  condition: keywords' }), 'b.yml': 'title: [unclosed\n' });
    await expect(loadRules([dir], { skipUnsupported: true })).rejects.toThrow(/b\.yml:2: invalid YAML/);
  });
});

describe('selectRules by name, title, id and level', () => {
  const meta = { file: 'f.yml' };
  const det = { s: { a: 1 }, condition: 's' };
  const rules: Rule[] = [
    { ...meta, key: 'info-rule', title: 'An Informational Rule', id: 'id-info', level: 'informational', kind: 'detection', detection: det, generate: true },
    { ...meta, key: 'base', title: 'Failed Sign-in', id: 'id-base', level: 'low', kind: 'detection', detection: det, generate: false },
    { ...meta, key: 'medium-rule', title: 'A Medium Rule', id: null, level: 'medium', kind: 'detection', detection: det, generate: true },
    { ...meta, key: 'count', title: 'Many Failed Sign-ins', id: null, level: 'high', kind: 'correlation', type: 'event_count', rules: ['base'], groupBy: [], aliases: {}, timespanMs: 1, dedupMs: 1, condition: { gte: 2 }, generate: true },
    { ...meta, key: 'crit', title: 'Critical (Root)', id: 'id-crit', level: 'critical', kind: 'detection', detection: det, generate: true },
  ];

  it('--rule matches a title exactly, case-insensitively, even with brackets a glob would read as syntax', () => {
    expect(keys(selectRules(rules, ['critical (root)']))).toEqual(['crit']);
    expect(keys(selectRules(rules, ['A Medium Rule']))).toEqual(['medium-rule']);
  });

  it('--rule matches an id', () => {
    expect(keys(selectRules(rules, ['ID-INFO']))).toEqual(['info-rule']);
  });

  it('--rule does not glob titles or ids, and says where it looked when nothing matches', () => {
    expect(() => selectRules(rules, ['A Medium*'])).toThrow(/matches no loaded rule's name, title or id/);
    expect(() => selectRules(rules, ['id-*'])).toThrow(UsageError);
  });

  it('--min-level keeps rules at or above the level, with the rules a kept correlation counts (which then make no hits of their own)', () => {
    const kept = selectRules(rules, { minLevel: 'high' });
    expect(kept.map((r) => [r.key, r.kind === 'detection' ? r.generate : null])).toEqual([
      ['base', false],
      ['count', null],
      ['crit', true],
    ]);
    expect(keys(selectRules(rules, { minLevel: 'medium' }))).toEqual(['base', 'medium-rule', 'count', 'crit']);
    expect(keys(selectRules(rules, { minLevel: 'informational' }))).toEqual(keys(rules));
  });

  it('--min-level and --rule together keep what both allow', () => {
    expect(keys(selectRules(rules, { globs: ['*rule'], minLevel: 'medium' }))).toEqual(['medium-rule']);
    expect(selectRules(rules, { globs: ['info-rule'], minLevel: 'low' })).toEqual([]);
  });

  it('a base rule that generates on its own stops generating when only its correlation is picked', () => {
    const generating = rules.map((r) => (r.key === 'base' ? { ...r, generate: true } : r));
    expect(selectRules(generating, ['count'])).toMatchObject([{ key: 'base', generate: false }, { key: 'count' }]);
  });
});
