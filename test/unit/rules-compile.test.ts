import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileDetection, compileEventRules, parseSigmaString } from '../../src/rules/compile.js';
import { RuleError } from '../../src/errors.js';
import type { Rule } from '../../src/rules/types.js';

/** Compiles a detection written as YAML. */
const detect = (yaml: string) => compileDetection(parse(yaml), { file: 'test.yml' });
const compileError = (yaml: string): RuleError => {
  try {
    detect(yaml);
  } catch (err) {
    if (err instanceof RuleError) return err;
    throw err;
  }
  throw new Error('expected a RuleError');
};

describe('plain values', () => {
  const p = detect(`
sel:
  additionalEventData.MFAUsed: 'Yes'
condition: sel`);
  it('compare case-insensitively (Yes, YES, yes)', () => {
    for (const v of ['Yes', 'YES', 'yes']) expect(p({ additionalEventData: { MFAUsed: v } }), v).toBe(true);
  });
  it('compare the whole value, not a part', () => {
    expect(p({ additionalEventData: { MFAUsed: 'Yess' } })).toBe(false);
    expect(p({ additionalEventData: { MFAUsed: 'No' } })).toBe(false);
  });
  it('do not match a missing field or a null', () => {
    expect(p({})).toBe(false);
    expect(p({ additionalEventData: null })).toBe(false);
  });
  it('a list of values is an OR', () => {
    const q = detect(`
sel:
  eventName: [DeactivateMFADevice, DeleteVirtualMFADevice]
condition: sel`);
    expect(q({ eventName: 'DeleteVirtualMFADevice' })).toBe(true);
    expect(q({ eventName: 'DeactivateMFADevice' })).toBe(true);
    expect(q({ eventName: 'EnableMFADevice' })).toBe(false);
  });
  it('a map is an AND of its fields', () => {
    const q = detect(`
sel:
  eventSource: iam.amazonaws.com
  eventName: CreateUser
condition: sel`);
    expect(q({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' })).toBe(true);
    expect(q({ eventSource: 'sts.amazonaws.com', eventName: 'CreateUser' })).toBe(false);
  });
  it('a list of maps is an OR of the maps', () => {
    const q = detect(`
sel:
  - eventSource: iam.amazonaws.com
    eventName: CreateUser
  - eventSource: sts.amazonaws.com
condition: sel`);
    expect(q({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' })).toBe(true);
    expect(q({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole' })).toBe(true);
    expect(q({ eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser' })).toBe(false);
  });
  it('numbers and booleans compare as their JSON text, both ways', () => {
    const q = detect(`
sel:
  readOnly: 'false'
  count: '1'
condition: sel`);
    expect(q({ readOnly: false, count: 1 })).toBe(true);
    expect(q({ readOnly: 'FALSE', count: '1' })).toBe(true);
    expect(q({ readOnly: true, count: 1 })).toBe(false);
    const r = detect(`
sel:
  managementEvent: true
  eventVersion: 1.08
condition: sel`);
    expect(r({ managementEvent: true, eventVersion: '1.08' })).toBe(true);
    expect(r({ managementEvent: 'true', eventVersion: 1.08 })).toBe(true);
  });
  it('match a field holding an object or array when any scalar inside matches, not a key', () => {
    const q = detect(`
sel:
  requestParameters: admin
condition: sel`);
    expect(q({ requestParameters: { userName: 'admin' } })).toBe(true);
    expect(q({ requestParameters: { policies: ['read', ['ADMIN']] } })).toBe(true);
    expect(q({ requestParameters: { admin: 'x' } })).toBe(false);
    expect(q({ requestParameters: {} })).toBe(false);
  });
  it('step into arrays on dotted paths', () => {
    const q = detect(`
sel:
  resources.ARN|endswith: ':user/anaya'
condition: sel`);
    expect(q({ resources: [{ ARN: 'arn:aws:iam::1:role/x' }, { ARN: 'arn:aws:iam::1:user/anaya' }] })).toBe(true);
    expect(q({ resources: [{ ARN: 'arn:aws:iam::1:role/x' }] })).toBe(false);
  });
  it('an empty string matches only an empty string', () => {
    const q = detect(`
sel:
  userIdentity.accessKeyId: ''
condition: sel`);
    expect(q({ userIdentity: { accessKeyId: '' } })).toBe(true);
    expect(q({ userIdentity: { accessKeyId: 'AKIA' } })).toBe(false);
    expect(q({ userIdentity: {} })).toBe(false);
  });
});

describe('wildcards and escapes', () => {
  it('* matches any run and ? one character, case-insensitively', () => {
    const q = detect(`
sel:
  userAgent: 'aws-cli/2.?.*'
condition: sel`);
    expect(q({ userAgent: 'aws-cli/2.1.0 Python/3' })).toBe(true);
    expect(q({ userAgent: 'AWS-CLI/2.9.' })).toBe(true);
    expect(q({ userAgent: 'aws-cli/2.15.0' })).toBe(false);
    expect(q({ userAgent: 'boto3/1.0' })).toBe(false);
  });
  it('\\* and \\? are literal, \\\\ is one backslash, a lone backslash is literal', () => {
    expect(parseSigmaString('a\\*b')).toMatchObject({ wild: false, literal: 'a*b' });
    expect(parseSigmaString('a\\?b')).toMatchObject({ wild: false, literal: 'a?b' });
    expect(parseSigmaString('a\\\\*')).toMatchObject({ wild: true, literal: 'a\\' });
    expect(parseSigmaString('C:\\Windows')).toMatchObject({ wild: false, literal: 'C:\\Windows' });
    const q = detect(String.raw`
sel:
  a: 'x\*y'
  b: 'p\\*'
condition: sel`);
    expect(q({ a: 'x*y', b: 'p\\anything' })).toBe(true);
    expect(q({ a: 'xzy', b: 'p\\anything' })).toBe(false);
    expect(q({ a: 'x*y', b: 'panything' })).toBe(false);
  });
  it('a pattern with many stars runs fast on a long hostile string', () => {
    const q = detect(`
sel:
  a: '*a*a*a*a*a*a*a*b'
condition: sel`);
    const started = Date.now();
    expect(q({ a: 'a'.repeat(20_000) })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('modifiers', () => {
  it('contains, startswith, endswith compare case-insensitively', () => {
    const q = detect(`
sel:
  userAgent|contains: Boto3
  eventName|startswith: Delete
  userIdentity.arn|endswith: ':root'
condition: sel`);
    expect(q({ userAgent: 'x BOTO3/1', eventName: 'deleteTrail', userIdentity: { arn: 'arn:aws:iam::1:ROOT' } })).toBe(true);
    expect(q({ userAgent: 'x', eventName: 'DeleteTrail', userIdentity: { arn: 'arn:aws:iam::1:root' } })).toBe(false);
    expect(q({ userAgent: 'boto3', eventName: 'StopDelete', userIdentity: { arn: 'arn:aws:iam::1:root' } })).toBe(false);
    expect(q({ userAgent: 'boto3', eventName: 'Delete', userIdentity: { arn: 'arn:aws:iam::1:root/x' } })).toBe(false);
  });
  it('contains with wildcards inside', () => {
    const q = detect(`
sel:
  requestParameters.policyDocument|contains: '"Action":*"*"'
condition: sel`);
    expect(q({ requestParameters: { policyDocument: '{"Effect":"Allow","Action": "*"}' } })).toBe(true);
    expect(q({ requestParameters: { policyDocument: '{"Effect":"Allow"}' } })).toBe(false);
  });
  it('all requires every value (here with an escaped literal *)', () => {
    const q = detect(`
sel:
  requestParameters.policyDocument|contains|all:
    - '"Effect":"Allow"'
    - '"Resource":"\\*"'
condition: sel`);
    expect(q({ requestParameters: { policyDocument: '{"Effect":"Allow","Resource":"*"}' } })).toBe(true);
    expect(q({ requestParameters: { policyDocument: '{"Effect":"Allow","Resource":"arn"}' } })).toBe(false);
  });
  it('all can be satisfied by different elements of an array', () => {
    const q = detect(`
sel:
  tags|all: [a, b]
condition: sel`);
    expect(q({ tags: ['a', 'b'] })).toBe(true);
    expect(q({ tags: ['a', 'c'] })).toBe(false);
  });
  it('cased compares exactly', () => {
    const q = detect(`
sel:
  additionalEventData.MFAUsed|cased: 'Yes'
  userAgent|cased|contains: Boto3
condition: sel`);
    expect(q({ additionalEventData: { MFAUsed: 'Yes' }, userAgent: 'x Boto3' })).toBe(true);
    expect(q({ additionalEventData: { MFAUsed: 'YES' }, userAgent: 'x Boto3' })).toBe(false);
    expect(q({ additionalEventData: { MFAUsed: 'Yes' }, userAgent: 'x boto3' })).toBe(false);
  });
  it('re is an unanchored, case-sensitive search', () => {
    const q = detect(`
sel:
  userIdentity.arn|re: ':user/adm[0-9]+'
condition: sel`);
    expect(q({ userIdentity: { arn: 'arn:aws:iam::1:user/adm42' } })).toBe(true);
    expect(q({ userIdentity: { arn: 'arn:aws:iam::1:USER/ADM42' } })).toBe(false);
    expect(q({ userIdentity: { arn: 'arn:aws:iam::1:user/admin' } })).toBe(false);
  });
  it('re with ^ and $ is anchored', () => {
    const q = detect(`
sel:
  eventName|re: '^Delete.*Policy$'
condition: sel`);
    expect(q({ eventName: 'DeleteRolePolicy' })).toBe(true);
    expect(q({ eventName: 'xDeleteRolePolicy' })).toBe(false);
    expect(q({ eventName: 'DeleteRolePolicyVersion' })).toBe(false);
  });
  it('re|i ignores case, re|m makes ^ match at line starts, re|s lets . cross newlines', () => {
    expect(detect(`
sel:
  a|re|i: '^root$'
condition: sel`)({ a: 'ROOT' })).toBe(true);
    expect(detect(`
sel:
  a|re|m: '^two$'
condition: sel`)({ a: 'one\ntwo\nthree' })).toBe(true);
    expect(detect(`
sel:
  a|re: '^two$'
condition: sel`)({ a: 'one\ntwo\nthree' })).toBe(false);
    expect(detect(`
sel:
  a|re|s: 'one.two'
condition: sel`)({ a: 'one\ntwo' })).toBe(true);
    expect(detect(`
sel:
  a|re: 'one.two'
condition: sel`)({ a: 'one\ntwo' })).toBe(false);
  });
  it('re accepts a leading Python-style (?i) flag group', () => {
    expect(detect(`
sel:
  a|re: '(?i)^root$'
condition: sel`)({ a: 'Root' })).toBe(true);
  });
  it('re searches the whole value, however long', () => {
    const q = detect(`
sel:
  a|re: 'needle'
condition: sel`);
    expect(q({ a: 'x'.repeat(100_000) + 'needle' })).toBe(true);
  });
  it('re accepts nested quantifiers: RE2 runs them in linear time', () => {
    for (const nested of ['(a+)+$', '(\\w+\\s?)*$', '(x+x+)+y', '([a-z]*)*']) {
      const q = detect(`
sel:
  a|re: '${nested}'
condition: sel`);
      expect(typeof q({ a: 'x'.repeat(5000) + '!' }), nested).toBe('boolean');
    }
  });
  it('re accepts ordinary patterns', () => {
    expect(() => detect(`
sel:
  a|re: '^arn:aws:iam::\\d{12}:user/[A-Za-z0-9+=,.@_-]+$'
condition: sel`)).not.toThrow();
  });
  it('re rejects an invalid pattern', () => {
    expect(compileError(`
sel:
  a|re: '(unclosed'
condition: sel`).message).toMatch(/invalid regular expression/);
  });
  it('cidr matches IPv4 blocks', () => {
    const q = detect(`
sel:
  sourceIPAddress|cidr:
    - 10.0.0.0/8
    - 192.168.1.0/24
condition: sel`);
    expect(q({ sourceIPAddress: '10.200.3.4' })).toBe(true);
    expect(q({ sourceIPAddress: '192.168.1.255' })).toBe(true);
    expect(q({ sourceIPAddress: '192.168.2.1' })).toBe(false);
    expect(q({ sourceIPAddress: '11.0.0.1' })).toBe(false);
    expect(q({ sourceIPAddress: 'iam.amazonaws.com' })).toBe(false);
    expect(q({ sourceIPAddress: '10.0.0.256' })).toBe(false);
    expect(q({ sourceIPAddress: '::ffff:10.1.1.1' })).toBe(true);
  });
  it('cidr matches IPv6 blocks', () => {
    const q = detect(`
sel:
  sourceIPAddress|cidr: '2001:db8::/32'
condition: sel`);
    expect(q({ sourceIPAddress: '2001:db8:1::5' })).toBe(true);
    expect(q({ sourceIPAddress: '2001:DB8::' })).toBe(true);
    expect(q({ sourceIPAddress: '2001:db9::1' })).toBe(false);
    expect(q({ sourceIPAddress: '10.0.0.1' })).toBe(false);
    expect(q({ sourceIPAddress: 'not:an:address' })).toBe(false);
  });
  it('cidr /0 matches every address of its family', () => {
    const q = detect(`
sel:
  ip|cidr: 0.0.0.0/0
condition: sel`);
    expect(q({ ip: '203.0.113.9' })).toBe(true);
    expect(q({ ip: 'AWS Internal' })).toBe(false);
  });
  it('cidr rejects a malformed block', () => {
    expect(compileError(`
sel:
  ip|cidr: 10.0.0.0/33
condition: sel`).message).toMatch(/not an IPv4 or IPv6 CIDR/);
  });
  it('exists: true means present, even holding null; exists: false means absent', () => {
    const present = detect(`
sel:
  errorCode|exists: true
condition: sel`);
    expect(present({ errorCode: 'AccessDenied' })).toBe(true);
    expect(present({ errorCode: null })).toBe(true);
    expect(present({ errorCode: '' })).toBe(true);
    expect(present({})).toBe(false);
    const absent = detect(`
sel:
  errorCode|exists: false
condition: sel`);
    expect(absent({})).toBe(true);
    expect(absent({ errorCode: null })).toBe(false);
  });
  it('fieldref compares with another field literally and case-insensitively', () => {
    const q = detect(`
sel:
  requestParameters.userName|fieldref: userIdentity.userName
condition: sel`);
    expect(q({ requestParameters: { userName: 'Anaya' }, userIdentity: { userName: 'anaya' } })).toBe(true);
    expect(q({ requestParameters: { userName: 'bob' }, userIdentity: { userName: 'anaya' } })).toBe(false);
    expect(q({ requestParameters: { userName: 'anaya' }, userIdentity: {} })).toBe(false);
    expect(q({ requestParameters: { userName: 'a*' }, userIdentity: { userName: 'a*' } })).toBe(true);
    expect(q({ requestParameters: { userName: 'anaya' }, userIdentity: { userName: 'a*' } })).toBe(false);
  });
  it('fieldref with cased compares exactly; with contains compares a part', () => {
    const cased = detect(`
sel:
  a|fieldref|cased: b
condition: sel`);
    expect(cased({ a: 'X', b: 'X' })).toBe(true);
    expect(cased({ a: 'X', b: 'x' })).toBe(false);
    const contains = detect(`
sel:
  a|fieldref|contains: b
condition: sel`);
    expect(contains({ a: 'arn:aws:iam::1:user/ANAYA', b: 'anaya' })).toBe(true);
    expect(contains({ a: 'arn:aws:iam::1:user/bob', b: 'anaya' })).toBe(false);
  });
});

describe('null', () => {
  const q = detect(`
sel:
  errorCode: null
condition: sel`);
  it('matches a missing field or a JSON null', () => {
    expect(q({})).toBe(true);
    expect(q({ errorCode: null })).toBe(true);
  });
  it("does not match '', {} or [] (they are present)", () => {
    expect(q({ errorCode: '' })).toBe(false);
    expect(q({ errorCode: {} })).toBe(false);
    expect(q({ errorCode: [] })).toBe(false);
    expect(q({ errorCode: 'AccessDenied' })).toBe(false);
  });
  it('in a list of values, is one of the alternatives', () => {
    const r = detect(`
sel:
  errorCode: [null, NoSuchEntity]
condition: sel`);
    expect(r({})).toBe(true);
    expect(r({ errorCode: 'NoSuchEntity' })).toBe(true);
    expect(r({ errorCode: 'AccessDenied' })).toBe(false);
  });
});

describe('conditions', () => {
  const base = `
a:
  x: 1
b:
  y: 1
c:
  z: 1
_helper:
  h: 1
sel_one:
  s1: 1
sel_two:
  s2: 1
`;
  const cond = (c: string) => detect(`${base}condition: ${c}`);
  const e = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, 1]));
  it('or is looser than and: a or b and c = a or (b and c)', () => {
    const q = cond('a or b and c');
    expect(q(e('x'))).toBe(true);
    expect(q(e('y'))).toBe(false);
    expect(q(e('y', 'z'))).toBe(true);
  });
  it('not binds tighter than and: not a and b = (not a) and b', () => {
    const q = cond('not a and b');
    expect(q(e('y'))).toBe(true);
    expect(q(e('x', 'y'))).toBe(false);
    expect(q(e())).toBe(false);
  });
  it('parentheses group', () => {
    const q = cond('not (a or b)');
    expect(q(e())).toBe(true);
    expect(q(e('y'))).toBe(false);
    const r = cond('(a or b) and c');
    expect(r(e('x'))).toBe(false);
    expect(r(e('x', 'z'))).toBe(true);
  });
  it('x of binds tighter than not: not 1 of sel_* = not (1 of sel_*)', () => {
    const q = cond('not 1 of sel_*');
    expect(q(e())).toBe(true);
    expect(q(e('s2'))).toBe(false);
  });
  it('1 of and all of select by pattern', () => {
    expect(cond('1 of sel_*')(e('s1'))).toBe(true);
    expect(cond('1 of sel_*')(e('x'))).toBe(false);
    expect(cond('all of sel_*')(e('s1'))).toBe(false);
    expect(cond('all of sel_*')(e('s1', 's2'))).toBe(true);
  });
  it('them leaves out identifiers starting with _', () => {
    expect(cond('1 of them')(e('h'))).toBe(false);
    expect(cond('1 of them')(e('z'))).toBe(true);
    expect(cond('all of them')(e('x', 'y', 'z', 's1', 's2'))).toBe(true);
  });
  it('every x-of pattern leaves out identifiers starting with _, as pySigma does (not only them)', () => {
    // _helper matches 'h'; no other selection does.
    expect(cond('1 of *')(e('h'))).toBe(false);
    expect(cond('1 of *')(e('x'))).toBe(true);
    expect(cond('all of *')(e('x', 'y', 'z', 's1', 's2'))).toBe(true);
    // A helper is still used by name.
    expect(cond('_helper')(e('h'))).toBe(true);
    expect(() => cond('1 of _*')).toThrow(/'1 of _\*' names no selection/);
  });
  it('a list of conditions is their OR', () => {
    const q = detect(`${base}condition:\n  - a and b\n  - c`);
    expect(q(e('x', 'y'))).toBe(true);
    expect(q(e('z'))).toBe(true);
    expect(q(e('x'))).toBe(false);
  });
  it('keywords are case-insensitive', () => {
    expect(cond('a AND NOT b')(e('x'))).toBe(true);
  });
  it('refuses what it cannot evaluate', () => {
    expect(() => cond('2 of sel_*')).toThrow(/'2 of'.*not supported/);
    expect(() => cond('a | count() > 5')).toThrow(/aggregation/);
    expect(() => cond('missing')).toThrow(/names 'missing'/);
    expect(() => cond('1 of nothing*')).toThrow(/names no selection/);
    expect(() => cond('a and')).toThrow(/expected an identifier/);
    expect(() => cond('(a or b')).toThrow(/expected '\)'/);
    expect(() => cond('a b')).toThrow(/unexpected token/);
  });
});

describe('detections it refuses', () => {
  it('keyword search (a list of bare strings)', () => {
    expect(compileError(`
keywords:
  - 'DeleteTrail'
  - 'StopLogging'
condition: keywords`).message).toMatch(/keyword search/);
  });
  it('a field-less modifier key', () => {
    expect(compileError(`
sel:
  '|contains': x
condition: sel`).message).toMatch(/keyword search/);
  });
  it('unknown and unsupported modifiers', () => {
    expect(compileError(`
sel:
  a|sounds_like: x
condition: sel`).message).toMatch(/unknown modifier 'sounds_like'/);
    for (const mod of ['base64', 'base64offset', 'windash']) {
      expect(compileError(`
sel:
  a|${mod}|contains: x
condition: sel`).message).toMatch(new RegExp(`'${mod}' is not supported`));
    }
  });
  it('timeframe', () => {
    expect(compileError(`
sel:
  a: x
timeframe: 5m
condition: sel`).message).toMatch(/timeframe/);
  });
  it('a detection without condition', () => {
    expect(compileError(`
sel:
  a: x`).message).toMatch(/no 'condition'/);
  });
  it('conflicting modifiers and misplaced values', () => {
    expect(compileError(`
sel:
  a|contains|startswith: x
condition: sel`).message).toMatch(/cannot be combined/);
    expect(compileError(`
sel:
  a|exists: yes please
condition: sel`).message).toMatch(/one boolean value/);
    expect(compileError(`
sel:
  a|contains: null
condition: sel`).message).toMatch(/null value/);
    expect(compileError(`
sel:
  a|i: x
condition: sel`).message).toMatch(/only qualifies 're'/);
    expect(compileError(`
sel:
  a: {nested: map}
condition: sel`).message).toMatch(/map as a value/);
    expect(compileError(`
sel: {}
condition: sel`).message).toMatch(/empty/);
  });
});

describe('compileEventRules', () => {
  it('gives a predicate per detection and stateful rule, none for correlations and posture', () => {
    const detection = { selection: { eventName: 'ConsoleLogin' }, condition: 'selection' };
    const meta = { title: 't', level: 'low', id: null, file: 'f.yml' };
    const rules: Rule[] = [
      { ...meta, key: 'd', kind: 'detection', detection, generate: false },
      { ...meta, key: 's', kind: 'stateful', engine: 'iam-user-password-without-mfa', detection, fields: [] },
      { ...meta, key: 't', kind: 'correlation', type: 'event_count', rules: ['d'], groupBy: [], aliases: {}, timespanMs: 1, dedupMs: 1, condition: { gte: 2 }, generate: true },
      { ...meta, key: 'p', kind: 'posture', engine: 'credential-report-mfa' },
    ];
    const compiled = compileEventRules(rules);
    expect(compiled.map((c) => c.rule.key)).toEqual(['d', 's']);
    expect(compiled[0]!.match({ eventName: 'consolelogin' })).toBe(true);
    expect(compiled[1]!.match({ eventName: 'GetUser' })).toBe(false);
  });
});
