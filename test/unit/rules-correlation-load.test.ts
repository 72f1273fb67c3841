// Loading correlations and filters, and the errors that used to be silent:
// each now gives the specification's answer or a load error naming file:line.
import { describe, expect, it } from 'vitest';
import { compileEventRules } from '../../src/rules/compile.js';
import { selectRules } from '../../src/rules/load.js';
import type { CorrelationRule, DetectionRule, Rule } from '../../src/rules/types.js';
import { loadFailure, loadFiles, ruleText } from '../helpers/rule-files.js';

const base = ruleText('fail', '  sel:\n    eventName: ConsoleLogin\n    responseElements.ConsoleLogin: Failure\n  condition: sel\n');
const ok = ruleText('ok', '  sel:\n    eventName: ConsoleLogin\n    responseElements.ConsoleLogin: Success\n  condition: sel\n');
const corr = (body: string, head = 'title: C\nname: c\n') => `${base}---\n${head}correlation:\n${body}`;
const find = (rules: Rule[], key: string) => rules.find((r) => r.key === key);
const matcher = (rules: Rule[], key: string) => compileEventRules(rules).find((c) => c.rule.key === key)!.match;

describe('unknown keys are load errors naming file:line', () => {
  it("a misspelled group-by ('group_by') in a correlation, with the key it meant", async () => {
    const err = await loadFailure({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  group_by: [sourceIPAddress]\n  timespan: 1h\n  condition: {gte: 3}\n') });
    expect(err.message).toMatch(/c\.yml:17: unknown key 'group_by' in a correlation's 'correlation:' block — did you mean 'group-by'\?/);
  });
  it('an unknown condition operator', async () => {
    const err = await loadFailure({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gtee: 3}\n') });
    expect(err.message).toMatch(/c\.yml:18: unknown condition operator 'gtee' — did you mean 'gte'\?/);
  });
  it('an unknown top-level key in a rule and in a correlation', async () => {
    const typo = ruleText('r', '  sel:\n    eventName: X\n  condition: sel\n').replace('logsource:', 'levle: high\nlogsource:');
    expect((await loadFailure({ 'r.yml': typo })).message).toMatch(/r\.yml:3: unknown key 'levle' in a rule — did you mean 'level'\?/);
    const err = await loadFailure({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n', 'title: C\nname: c\ngroupby: [a]\n') });
    expect(err.message).toMatch(/c\.yml:14: unknown key 'groupby' in a correlation rule/);
  });
  it('a selection the condition never uses (a misspelled filter name)', async () => {
    const text = ruleText('r', '  sel:\n    eventName: X\n  filter_admins:\n    userIdentity.userName: admin\n  condition: sel\n');
    expect((await loadFailure({ 'r.yml': text })).message).toMatch(/r\.yml:9: selection 'filter_admins' is not used by the condition/);
  });
  it('SigmaHQ-style metadata keys load', async () => {
    const text = ruleText('r', '  sel:\n    eventName: X\n  condition: sel\n').replace('logsource:', 'status: test\nauthor: x\nreferences: [a]\ndate: 2024-01-01\nmodified: 2024-02-02\ntags: [attack.t1]\nfalsepositives: [none]\nfields: [eventName]\nrelated: []\nlicense: MIT\nlogsource:');
    const { rules } = await loadFiles({ 'r.yml': text });
    expect(rules.map((r) => r.key)).toEqual(['r']);
  });
});

describe('correlations load', () => {
  it('value_count with its field, per account and region, gt 5', async () => {
    const { rules } = await loadFiles({ 'c.yml': corr('  type: value_count\n  rules: [fail]\n  group-by: [recipientAccountId, awsRegion]\n  timespan: 1h\n  condition:\n    field: userIdentity.userName\n    gt: 5\n') });
    expect(find(rules, 'c')).toMatchObject({ kind: 'correlation', type: 'value_count', field: 'userIdentity.userName', condition: { gt: 5 }, groupBy: ['recipientAccountId', 'awsRegion'], timespanMs: 3_600_000 });
  });
  it('temporal_ordered with aliases resolved to rule keys, and a default condition of every rule', async () => {
    const { rules } = await loadFiles({
      'c.yml': `${ok}---\n${corr('  type: temporal_ordered\n  rules: [fail, ok]\n  group-by: [user]\n  timespan: 1h\n  aliases:\n    user:\n      fail: requestParameters.userName\n      ok: userIdentity.userName\n')}`,
    });
    expect(find(rules, 'c')).toMatchObject({ type: 'temporal_ordered', rules: ['fail', 'ok'], condition: { gte: 2 }, aliases: { user: { fail: 'requestParameters.userName', ok: 'userIdentity.userName' } } });
  });
  it('a range condition is kept whole', async () => {
    const { rules } = await loadFiles({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gt: 100, lte: 200}\n') });
    expect((find(rules, 'c') as CorrelationRule).condition).toEqual({ gt: 100, lte: 200 });
  });
  it('an alias naming a rule the correlation does not name, or missing one of its rules, is an error', async () => {
    const two = `${ok}---\n`;
    let err = await loadFailure({ 'c.yml': `${two}${corr('  type: temporal\n  rules: [fail, ok]\n  group-by: [user]\n  timespan: 1h\n  aliases:\n    user:\n      fail: a\n      nobody: b\n')}` });
    expect(err.message).toMatch(/c\.yml:\d+: alias 'user' names rule 'nobody', which is not one of the rules/);
    err = await loadFailure({ 'c.yml': `${two}${corr('  type: temporal\n  rules: [fail, ok]\n  group-by: [user]\n  timespan: 1h\n  aliases:\n    user:\n      fail: a\n')}` });
    expect(err.message).toMatch(/alias 'user' gives no field for rule 'ok'/);
  });
  it('chains: an outer correlation may group only by the inner group fields; loops are refused', async () => {
    const inner = corr('  type: event_count\n  rules: [fail]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n  condition: {gte: 2}\n', 'title: I\nname: inner\n');
    const { rules } = await loadFiles({ 'c.yml': `${inner}---\n${ok}---\ntitle: O\nname: outer\ngenerate: true\ncorrelation:\n  type: temporal_ordered\n  rules: [inner, ok]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n` });
    expect(find(rules, 'outer')).toMatchObject({ rules: ['inner', 'ok'] });
    // generate: true at the outer's top level makes the inner correlation generate.
    expect(find(rules, 'inner')).toMatchObject({ generate: true });
    const bad = await loadFailure({ 'c.yml': `${inner}---\n${ok}---\ntitle: O\nname: outer\ncorrelation:\n  type: temporal_ordered\n  rules: [inner, ok]\n  group-by: [sourceIPAddress]\n  timespan: 1h\n` });
    expect(bad.message).toMatch(/reads 'sourceIPAddress' from the hits of correlation 'inner', which groups only by userIdentity\.userName/);
    const loop = await loadFailure({ 'c.yml': `${base}---\ntitle: A\nname: a\ncorrelation:\n  type: temporal\n  rules: [b, fail]\n  timespan: 1h\n---\ntitle: B\nname: b\ncorrelation:\n  type: temporal\n  rules: [a, fail]\n  timespan: 1h\n` });
    expect(loop.message).toMatch(/in a loop \(a → b → a\)/);
  });
});

describe('generate', () => {
  it('base rules of a correlation produce no hits of their own by default', async () => {
    const { rules } = await loadFiles({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n') });
    expect(find(rules, 'fail')).toMatchObject({ generate: false });
    // Picking the base rule alone does not make it generate.
    expect(selectRules(rules, ['fail'])).toMatchObject([{ key: 'fail', generate: false }]);
  });
  it('generate: true at the top level of the correlation (the schema\'s place) makes them generate', async () => {
    const { rules } = await loadFiles({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n', 'title: C\nname: c\ngenerate: true\n') });
    expect(find(rules, 'fail')).toMatchObject({ generate: true });
  });
  it('generate: true inside the correlation block (where pySigma reads it) does too', async () => {
    const { rules } = await loadFiles({ 'c.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n  generate: true\n') });
    expect(find(rules, 'fail')).toMatchObject({ generate: true });
  });
});

describe('filters (Sigma meta-filters)', () => {
  const filter = (logsource: string, rulesLine = '  rules: [fail]', condition = 'not allowed') =>
    `title: Allow the scanner\nid: 1a2b3c4d-0000-4000-8000-000000000001\nlogsource:\n${logsource}filter:\n${rulesLine}\n  allowed:\n    sourceIPAddress: 192.0.2.99\n  condition: ${condition}\n`;
  const failure = (ip: string) => ({ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' }, sourceIPAddress: ip });

  it('apply to the rules they name, with extra logsource keys as long as product is aws', async () => {
    for (const logsource of ['  product: aws\n  service: cloudtrail\n', '  product: aws\n  service: cloudtrail\n  category: authentication\n', '  product: aws\n']) {
      const { rules, skipped } = await loadFiles({ 'r.yml': base, 'f.yml': filter(logsource) });
      expect(skipped).toEqual([]);
      const match = matcher(rules, 'fail');
      expect(match(failure('192.0.2.99'))).toBe(false);
      expect(match(failure('192.0.2.1'))).toBe(true);
    }
  });
  it('leave the rules they do not name alone; rules: any applies to every detection rule', async () => {
    const named = await loadFiles({ 'r.yml': `${base}---\n${ok}`, 'f.yml': filter('  product: aws\n') });
    expect(matcher(named.rules, 'ok')({ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, sourceIPAddress: '192.0.2.99' })).toBe(true);
    const any = await loadFiles({ 'r.yml': `${base}---\n${ok}`, 'f.yml': filter('  product: aws\n', '  rules: any') });
    expect(matcher(any.rules, 'ok')({ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Success' }, sourceIPAddress: '192.0.2.99' })).toBe(false);
  });
  it("keep the filter's selections out of the rule's own '1 of them'", async () => {
    const rule = ruleText('r', '  a:\n    eventName: A\n  b:\n    eventName: B\n  condition: 1 of them\n');
    const f = `title: F\nlogsource:\n  product: aws\nfilter:\n  rules: [r]\n  other:\n    eventName: C\n  condition: not other\n`;
    const { rules } = await loadFiles({ 'r.yml': rule, 'f.yml': f });
    const match = matcher(rules, 'r');
    expect(match({ eventName: 'C' })).toBe(false);
    expect(match({ eventName: 'A' })).toBe(true);
  });
  it('a filter for another product is skipped and counted; one naming an unknown rule or a correlation is an error', async () => {
    const { rules, skipped } = await loadFiles({ 'r.yml': base, 'f.yml': filter('  product: gcp\n') });
    expect(matcher(rules, 'fail')(failure('192.0.2.99'))).toBe(true);
    expect(skipped).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^filter .*is not product: aws/) })]);
    const unknown = await loadFailure({ 'r.yml': base, 'f.yml': filter('  product: aws\n', '  rules: [nowhere]') });
    expect(unknown.message).toMatch(/f\.yml:6: filter .* names rule 'nowhere', which no loaded rule/);
    const onCorr = await loadFailure({ 'r.yml': corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n'), 'f.yml': filter('  product: aws\n', '  rules: [c]') });
    expect(onCorr.message).toMatch(/names 'c', a correlation rule — filters tune detection rules/);
  });
});

describe('matching fixes', () => {
  it("a number literal compares as a number: 3600.0 matches the event's 3600", async () => {
    const { rules } = await loadFiles({ 'r.yml': ruleText('r', '  sel:\n    requestParameters.durationSeconds: 3600.0\n  condition: sel\n') });
    const match = matcher(rules, 'r');
    expect(match({ requestParameters: { durationSeconds: 3600 } })).toBe(true);
    expect(match({ requestParameters: { durationSeconds: 3601 } })).toBe(false);
    expect(match({ requestParameters: { durationSeconds: '3600.0' } })).toBe(true);
  });
  it('a number-like account id stays text: 012345678901 does not equal the string 12345678901', async () => {
    const { rules } = await loadFiles({ 'r.yml': ruleText('r', '  sel:\n    recipientAccountId: 012345678901\n  condition: sel\n') });
    const match = matcher(rules, 'r');
    expect(match({ recipientAccountId: '012345678901' })).toBe(true);
    expect(match({ recipientAccountId: '12345678901' })).toBe(false);
  });
  it('fieldref to a wildcard path is a load error (it could never match)', async () => {
    const err = await loadFailure({ 'r.yml': ruleText('r', '  sel:\n    userIdentity.userName|fieldref: requestParameters.*\n  condition: sel\n') });
    expect(err.message).toMatch(/r\.yml:8: .*names a field with a wildcard/);
  });
  it('re runs on RE2: \\A anchors the start, [[:alpha:]] is a class, \\Z is refused, ^aws-cli(/.+)?$ loads', async () => {
    const load = (re: string) => loadFiles({ 'r.yml': ruleText('r', `  sel:\n    userAgent|re: '${re}'\n  condition: sel\n`) });
    let match = matcher((await load('\\Aaws')).rules, 'r');
    expect(match({ userAgent: 'aws-cli/2' })).toBe(true);
    expect(match({ userAgent: 'x aws-cli/2' })).toBe(false);
    match = matcher((await load('^[[:alpha:]]+$')).rules, 'r');
    expect(match({ userAgent: 'Boto' })).toBe(true);
    expect(match({ userAgent: 'a:b' })).toBe(false);
    match = matcher((await load('^aws-cli(/.+)?$')).rules, 'r');
    expect(match({ userAgent: 'aws-cli/2.15.0' })).toBe(true);
    expect(match({ userAgent: 'aws-cli' })).toBe(true);
    expect(match({ userAgent: 'aws-cli-x' })).toBe(false);
    const err = await loadFailure({ 'r.yml': ruleText('r', "  sel:\n    userAgent|re: 'cli\\Z'\n  condition: sel\n") });
    expect(err.message).toMatch(/r\.yml:8: invalid regular expression/);
  });
  it('a field CloudTrail never writes is a warning naming file:line; CloudTrail fields are not', async () => {
    const text = ruleText('delete-saml', '  sel:\n    eventName: DeleteSAMLProvider\n    status: success\n  condition: sel\n');
    const { warnings } = await loadFiles({ 'r.yml': text });
    expect(warnings).toEqual([expect.stringMatching(/r\.yml:9: rule 'delete-saml' reads field 'status', which CloudTrail records do not have/)]);
    const fine = ruleText('r', '  sel:\n    userIdentity.sessionContext.attributes.mfaAuthenticated: "false"\n    requestParameters.anything.deep: x\n    managementEvent: true\n  condition: sel\n');
    expect((await loadFiles({ 'r.yml': fine })).warnings).toEqual([]);
  });
});

describe('a rule set the way the bundled pack writes it', () => {
  it('counts a detection rule from two correlations, generating only where one says so', async () => {
    const two = corr('  type: event_count\n  rules: [fail]\n  timespan: 1h\n  condition: {gte: 3}\n') + `---\ntitle: D\nname: d\ncorrelation:\n  type: value_count\n  rules: [fail]\n  timespan: 1h\n  condition: {field: userIdentity.userName, gt: 2}\n`;
    const { rules } = await loadFiles({ 'c.yml': two });
    expect((find(rules, 'fail') as DetectionRule).generate).toBe(false);
  });
});
