import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleError, UsageError } from '../../src/errors.js';
import { compileEventRules } from '../../src/rules/compile.js';
import { bundledRulesDir, loadRules, selectRules, STATEFUL_FIELDS } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/types.js';
import { ruleFolder } from '../helpers/rule-files.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'rules', 'sigma-style');
/** Writes rule files into a fresh folder and returns its path. */
const folder = ruleFolder;
const loadError = async (files: Record<string, string>): Promise<RuleError> => {
  const dir = folder(files);
  try {
    await loadRules([dir]);
  } catch (err) {
    if (err instanceof RuleError) return err;
    throw err;
  }
  throw new Error('expected a RuleError');
};
const header = `title: T
name: r
logsource:
  product: aws
  service: cloudtrail
`;

describe('SigmaHQ-style CloudTrail rules', () => {
  it('load, named by a slug of their title when they have no name, and skip other logsources with a reason', async () => {
    const { rules, skipped } = await loadRules([fixtures]);
    expect(rules.map((r) => r.key)).toEqual([
      'cloudtrail-logging-stopped-or-trail-deleted',
      'iam-user-or-access-key-created-by-an-unexpected-principal',
      'signin-failure',
      'signin-failures-by-ip',
      'session-token-requested-from-a-listed-network',
    ]);
    expect(rules[1]).toMatchObject({ kind: 'detection', title: 'IAM User Or Access Key Created By An Unexpected Principal', level: 'high', generate: true });
    expect(skipped).toEqual([
      { file: join(fixtures, 'windows-process-creation.yml'), reason: expect.stringMatching(/product: windows.*not product: aws \+ service: cloudtrail/) },
    ]);
  });

  it('match and do not match as their detections say', async () => {
    const { rules } = await loadRules([fixtures]);
    const m = new Map(compileEventRules(rules).map((c) => [c.rule.key, c.match]));
    const trail = m.get('cloudtrail-logging-stopped-or-trail-deleted')!;
    expect(trail({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' })).toBe(true);
    expect(trail({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', errorCode: 'AccessDenied' })).toBe(false);
    expect(trail({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartLogging' })).toBe(false);

    const backdoor = m.get('iam-user-or-access-key-created-by-an-unexpected-principal')!;
    const byHuman = { userIdentity: { arn: 'arn:aws:iam::1:user/mallory' } };
    expect(backdoor({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', ...byHuman })).toBe(true);
    expect(backdoor({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', ...byHuman })).toBe(true);
    expect(backdoor({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: { arn: 'arn:aws:sts::1:assumed-role/terraform-ci' } })).toBe(false);
    expect(backdoor({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: { invokedBy: 'cloudformation.amazonaws.com' } })).toBe(false);
    expect(backdoor({ eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser', ...byHuman })).toBe(false);

    const sts = m.get('session-token-requested-from-a-listed-network')!;
    const call = { eventSource: 'sts.amazonaws.com', eventName: 'GetSessionToken', userAgent: 'aws-cli/2' };
    expect(sts({ ...call, sourceIPAddress: '198.51.100.77' })).toBe(true);
    expect(sts({ ...call, sourceIPAddress: '2001:db8:dead:1::2' })).toBe(true);
    expect(sts({ ...call, sourceIPAddress: '203.0.113.1' })).toBe(false);
    expect(sts({ ...call, sourceIPAddress: '198.51.100.77', userAgent: 'Console.amazonaws.com' })).toBe(false);
  });

  it('resolve a correlation by id, keeping its gt: N condition and the timespan as dedup period', async () => {
    const { rules } = await loadRules([join(fixtures, 'aws-signin-failures-correlation.yml')]);
    expect(rules).toMatchObject([
      { key: 'signin-failure', kind: 'detection', generate: false },
      { key: 'signin-failures-by-ip', kind: 'correlation', type: 'event_count', rules: ['signin-failure'], groupBy: ['sourceIPAddress'], timespanMs: 3_600_000, condition: { gt: 9 }, dedupMs: 3_600_000, level: 'medium' },
    ]);
  });
});

describe('loadRules', () => {
  it('reads folders recursively, .yml and .yaml only, sorted', async () => {
    const dir = folder({ 'b.yaml': `${header.replace('name: r', 'name: b')}detection:\n  s:\n    a: 1\n  condition: s\n`, 'a.yml': `${header.replace('name: r', 'name: a')}detection:\n  s:\n    a: 1\n  condition: s\n`, 'notes.txt': 'not a rule' });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.yml'), `${header.replace('name: r', 'name: c')}detection:\n  s:\n    a: 1\n  condition: s\n`);
    const { rules } = await loadRules([dir]);
    expect(rules.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('keeps numbers in detections as written (leading zeros) and matches them as text', async () => {
    const dir = folder({ 'r.yml': `${header}detection:\n  s:\n    recipientAccountId: 012345678901\n  condition: s\n` });
    const { rules } = await loadRules([dir]);
    const [{ match }] = compileEventRules(rules);
    expect(match!({ recipientAccountId: '012345678901' })).toBe(true);
  });

  it('makes a stateful rule of hunt.engine iam-user-password-without-mfa and a posture rule of credential-report-mfa', async () => {
    const dir = folder({
      's.yml': `${header}hunt:\n  engine: iam-user-password-without-mfa\ndetection:\n  s:\n    eventSource: iam.amazonaws.com\n  condition: s\n`,
      'p.yml': `title: P\nname: p\nlogsource:\n  product: aws\n  service: iam\nhunt:\n  engine: credential-report-mfa\nlevel: high\n`,
    });
    const { rules } = await loadRules([dir]);
    expect(rules).toMatchObject([
      { key: 'p', kind: 'posture', engine: 'credential-report-mfa', level: 'high' },
      { key: 'r', kind: 'stateful', engine: 'iam-user-password-without-mfa', fields: [...STATEFUL_FIELDS] },
    ]);
  });

  it('keeps a counted rule generating when it says generate: true', async () => {
    const dir = folder({
      'r.yml': `${header}generate: true\ndetection:\n  s:\n    a: 1\n  condition: s\n---\ntitle: C\nname: c\ncorrelation:\n  type: event_count\n  rules: r\n  group-by: [a]\n  timespan: 30s\n  condition: {gte: 3}\n  dedup-period: 2d\n`,
    });
    const { rules } = await loadRules([dir]);
    expect(rules).toMatchObject([
      { key: 'r', generate: true },
      { key: 'c', condition: { gte: 3 }, timespanMs: 30_000, dedupMs: 2 * 86_400_000 },
    ]);
  });

  it('skips a correlation that counts a skipped rule', async () => {
    const dir = folder({
      'r.yml': `title: W\nname: w\nlogsource:\n  product: windows\ndetection:\n  s:\n    a: 1\n  condition: s\n---\ntitle: C\nname: c\ncorrelation:\n  type: event_count\n  rules: [w]\n  timespan: 1h\n  condition: {gte: 2}\n`,
    });
    const { rules, skipped } = await loadRules([dir]);
    expect(rules).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([expect.stringContaining('w: logsource'), expect.stringContaining("c: correlates rule 'w'")]);
  });

  it('finds the bundled rules folder from the source tree', () => {
    expect(bundledRulesDir()).toBe(join(import.meta.dirname, '..', '..', 'rules'));
  });
});

describe('rule errors name the file and the line', () => {
  const at = (err: RuleError, file: string, line: number): void => {
    expect(err.file).toMatch(new RegExp(`${file}$`));
    expect(err.line).toBe(line);
    expect(err.message).toContain(`${file}:${line}: `);
    expect(err.message).toContain(' — ');
  };
  it('invalid YAML', async () => {
    const err = await loadError({ 'bad.yml': `title: T\ndetection:\n  s: @bad\nlevel: low\n` });
    at(err, 'bad.yml', 3);
    expect(err.message).toMatch(/invalid YAML: Plain value cannot start with reserved character @ — /);
  });
  it('a duplicate YAML key', async () => {
    at(await loadError({ 'dup.yml': `title: T\ntitle: U\n` }), 'dup.yml', 2);
  });
  it('a rule with no name, no id and no title', async () => {
    const err = await loadError({ 'x.yml': `status: test\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    a: 1\n  condition: s\n` });
    at(err, 'x.yml', 1);
    expect(err.message).toMatch(/no 'name', no 'id' and no title/);
  });
  it('an unknown modifier, on its own line', async () => {
    const err = await loadError({ 'm.yml': `${header}detection:\n  s:\n    a: 1\n    b|nope: 2\n  condition: s\n` });
    at(err, 'm.yml', 9);
    expect(err.message).toMatch(/unknown modifier 'nope'/);
  });
  it('keyword search', async () => {
    at(await loadError({ 'k.yml': `${header}detection:\n  keywords:\n    - StopLogging\n  condition: keywords\n` }), 'k.yml', 8);
  });
  it('a condition naming nothing, in the second document of a file', async () => {
    const ok = `${header.replace('name: r', 'name: first')}detection:\n  s:\n    a: 1\n  condition: s\n`;
    const err = await loadError({ 'two.yml': `${ok}---\n${header}detection:\n  s:\n    a: 1\n  condition: s and other\n` });
    at(err, 'two.yml', 19);
    expect(err.message).toMatch(/names 'other'/);
  });
  it("'N of' other than 1 or all", async () => {
    at(await loadError({ 'n.yml': `${header}detection:\n  s1:\n    a: 1\n  condition: 2 of s*\n` }), 'n.yml', 9);
  });
  it('an old-style aggregation and a timeframe', async () => {
    at(await loadError({ 'a.yml': `${header}detection:\n  s:\n    a: 1\n  condition: s | count() by b > 3\n` }), 'a.yml', 9);
    at(await loadError({ 't.yml': `${header}detection:\n  s:\n    a: 1\n  timeframe: 5m\n  condition: s\n` }), 't.yml', 9);
  });
  it('a regex RE2 cannot run (a backreference)', async () => {
    const err = await loadError({ 're.yml': `${header}detection:\n  s:\n    userAgent|re: '(a)\\1'\n  condition: s\n` });
    at(err, 're.yml', 8);
    expect(err.message).toMatch(/backreferences/);
  });
  it('an unsupported modifier', async () => {
    at(await loadError({ 'b.yml': `${header}detection:\n  s:\n    a|base64offset|contains: x\n  condition: s\n` }), 'b.yml', 8);
  });
  it('a duplicate rule name across files, naming both', async () => {
    const rule = `${header}detection:\n  s:\n    a: 1\n  condition: s\n`;
    const err = await loadError({ 'one.yml': rule, 'two.yml': rule });
    at(err, 'two.yml', 2);
    expect(err.message).toMatch(/one\.yml:2/);
  });
  it('a correlation counting an unknown rule', async () => {
    const err = await loadError({ 'c.yml': `title: C\nname: c\ncorrelation:\n  type: event_count\n  rules:\n    - nowhere\n  timespan: 1h\n  condition: {gte: 2}\n` });
    at(err, 'c.yml', 6);
    expect(err.message).toMatch(/'nowhere'/);
  });
  it('a correlation of an unknown type, a value_count without field, a bad timespan, a condition that cannot hold', async () => {
    const base = `${header}detection:\n  s:\n    a: 1\n  condition: s\n---\ntitle: C\nname: c\ncorrelation:\n`;
    at(await loadError({ 'c.yml': `${base}  type: value_sum\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n` }), 'c.yml', 14);
    at(await loadError({ 'c.yml': `${base}  type: value_count\n  rules: [r]\n  timespan: 1h\n  condition: {gte: 2}\n` }), 'c.yml', 17);
    at(await loadError({ 'c.yml': `${base}  type: event_count\n  rules: [r]\n  timespan: soon\n  condition: {gte: 2}\n` }), 'c.yml', 16);
    at(await loadError({ 'c.yml': `${base}  type: event_count\n  rules: [r]\n  timespan: 1h\n  condition: {lt: 1}\n` }), 'c.yml', 17);
    at(await loadError({ 'c.yml': `${base}  type: event_count\n  rules: [r]\n  timespan: 1h\n  condition: {gt: 5, lte: 5}\n` }), 'c.yml', 17);
  });
  it('an unknown hunt engine', async () => {
    at(await loadError({ 'e.yml': `${header}hunt:\n  engine: magic\n` }), 'e.yml', 7);
  });
  it('a missing --rules path', async () => {
    await expect(loadRules([join(folder({}), 'nope')])).rejects.toThrow(/cannot read rules/);
  });
});

describe('selectRules', () => {
  const meta = { title: 't', level: 'low', id: null, file: 'f.yml' };
  const det = { s: { a: 1 }, condition: 's' };
  const rules: Rule[] = [
    { ...meta, key: 'aws-base', kind: 'detection', detection: det, generate: false },
    { ...meta, key: 'aws-single', kind: 'detection', detection: det, generate: true },
    { ...meta, key: 'aws-threshold', kind: 'correlation', type: 'event_count', rules: ['aws-base'], groupBy: [], aliases: {}, timespanMs: 1, dedupMs: 1, condition: { gte: 2 }, generate: true },
  ];
  it('keeps everything without globs', () => {
    expect(selectRules(rules, [])).toBe(rules);
  });
  it('keeps a picked correlation with the rules it counts, still not generating', () => {
    const picked = selectRules(rules, ['*threshold']);
    expect(picked.map((r) => r.key)).toEqual(['aws-base', 'aws-threshold']);
    expect(picked[0]).toMatchObject({ generate: false });
  });
  it('keeps a base rule picked on its own non-generating: it produces no hits unless generate says so (Sigma)', () => {
    expect(selectRules(rules, ['aws-base'])).toMatchObject([{ key: 'aws-base', generate: false }]);
  });
  it('matches case-insensitively and rejects a glob that matches nothing', () => {
    expect(selectRules(rules, ['AWS-SINGLE']).map((r) => r.key)).toEqual(['aws-single']);
    expect(() => selectRules(rules, ['gcp-*'])).toThrow(UsageError);
  });
});
