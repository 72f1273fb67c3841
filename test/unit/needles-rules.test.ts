import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import { detectionNeedles, needlesOf, valueNeedle } from '../../src/rules/needles.js';
import type { DetectionRule, Rule } from '../../src/rules/types.js';
import { detectionRule } from '../helpers/rules.js';

const needles = (yaml: string) => detectionNeedles(parse(yaml) as Record<string, unknown>);

const rule = (detection: string): DetectionRule => detectionRule('r', detection);

describe('needles of the bundled rules', () => {
  it('are the sign-in service and the IAM calls the rules look at', async () => {
    const { rules } = await loadRules([bundledRulesDir()]);
    expect(needlesOf(rules)).toEqual([
      'consolelogin',
      'createloginprofile',
      'createuser',
      'createvirtualmfadevice',
      'deactivatemfadevice',
      'deleteloginprofile',
      'deleteuser',
      'deletevirtualmfadevice',
      'enablemfadevice',
    ]);
  });
});

describe('needlesOf', () => {
  it('is null as soon as one per-event rule has no usable literal', () => {
    const rules: Rule[] = [rule('sel: {eventName: ConsoleLogin}\ncondition: sel'), rule('sel: {userAgent|re: "^curl/"}\ncondition: sel')];
    expect(needlesOf(rules)).toBeNull();
  });
  it('is an empty list when no rule runs per event (nothing needs parsing)', () => {
    expect(needlesOf([{ kind: 'posture', engine: 'credential-report-mfa', key: 'p', title: 'p', level: 'low', id: null, file: 'p.yml' }])).toEqual([]);
  });
  it('drops a needle that contains another one', () => {
    const rules: Rule[] = [rule('sel: {eventName: DeleteUser}\ncondition: sel'), rule('sel: {eventName: DeleteUserPolicy}\ncondition: sel')];
    expect(needlesOf(rules)).toEqual(['deleteuser']);
  });
});

describe('a selection map (AND)', () => {
  it('takes an eventName value over a longer service name', () => {
    expect(needles('sel: {eventSource: iam.amazonaws.com, eventName: EnableMFADevice}\ncondition: sel')).toEqual(['enablemfadevice']);
  });
  it('otherwise takes the conjunct whose shortest needle is longest', () => {
    expect(needles("sel: {responseElements.ConsoleLogin: Failure, eventSource: signin.amazonaws.com, additionalEventData.MFAUsed: 'Yes'}\ncondition: sel")).toEqual([
      'signin.amazonaws.com',
    ]);
  });
  it('skips conjuncts without a literal (re, cidr, exists, null, short values)', () => {
    expect(needles("sel: {userAgent|re: 'x+', sourceIPAddress|cidr: 10.0.0.0/8, errorCode|exists: true, errorMessage: null, MFAUsed: 'Yes', eventName: GetUser}\ncondition: sel")).toEqual(['getuser']);
  });
  it('is null when no conjunct has a literal', () => {
    expect(needles("sel: {userAgent|re: 'x+', MFAUsed: 'Yes'}\ncondition: sel")).toBeNull();
  });
  it('fieldref gives no needle', () => {
    expect(needles('sel: {userIdentity.userName|fieldref: requestParameters.userName}\ncondition: sel')).toBeNull();
  });
});

describe('value lists, list of maps, or, 1 of (OR)', () => {
  it('a value list is the union of its values', () => {
    expect(needles('sel: {eventName: [CreateUser, DeleteUser]}\ncondition: sel')).toEqual(['createuser', 'deleteuser']);
  });
  it('one value without a literal spoils the list', () => {
    expect(needles("sel: {eventName: [CreateUser, 'Yes']}\ncondition: sel")).toBeNull();
  });
  it('|all over a list is an AND: the best value', () => {
    expect(needles("sel: {userAgent|contains|all: ['Boto3', 'Linux/5.10']}\ncondition: sel")).toEqual(['linux/5.10']);
  });
  it('a list of maps is the union of the maps', () => {
    expect(needles('sel:\n  - {eventName: CreateUser}\n  - {eventName: DeleteUser}\ncondition: sel')).toEqual(['createuser', 'deleteuser']);
  });
  it("or / 1 of: union, null if one side is null", () => {
    expect(needles('a: {eventName: CreateUser}\nb: {eventName: DeleteUser}\ncondition: a or b')).toEqual(['createuser', 'deleteuser']);
    expect(needles('a: {eventName: CreateUser}\nb: {eventName: DeleteUser}\ncondition: 1 of them')).toEqual(['createuser', 'deleteuser']);
    expect(needles("a: {eventName: CreateUser}\nb: {userAgent|re: 'x'}\ncondition: 1 of them")).toBeNull();
    expect(needles("a: {eventName: CreateUser}\nb: {userAgent|re: 'x'}\ncondition: a or b")).toBeNull();
  });
  it('a list of conditions is their OR', () => {
    expect(needles('a: {eventName: CreateUser}\nb: {eventName: DeleteUser}\ncondition: [a, b]')).toEqual(['createuser', 'deleteuser']);
  });
  it('them leaves out identifiers starting with _', () => {
    expect(needles("a: {eventName: CreateUser}\n_b: {userAgent|re: 'x'}\ncondition: 1 of them")).toEqual(['createuser']);
  });
});

describe('and, all of, not', () => {
  it('and takes any operand with needles', () => {
    expect(needles("a: {eventName: CreateUser}\nb: {userAgent|re: 'x'}\ncondition: b and a")).toEqual(['createuser']);
    expect(needles("a: {eventName: CreateUser}\nb: {userAgent|re: 'x'}\ncondition: all of them")).toEqual(['createuser']);
  });
  it('nothing under not gives a needle', () => {
    expect(needles('a: {eventName: CreateUser}\ncondition: not a')).toBeNull();
    expect(needles('a: {eventName: CreateUser}\nb: {eventName: DeleteUser}\ncondition: a and not b')).toEqual(['createuser']);
  });
  it('1 of a pattern picks the matching selections', () => {
    expect(needles("sel_a: {eventName: CreateUser}\nsel_b: {eventName: DeleteUser}\nother: {userAgent|re: 'x'}\ncondition: 1 of sel_* and other")).toEqual([
      'createuser',
      'deleteuser',
    ]);
  });
});

describe('one value', () => {
  it('wildcards: the longest wildcard-free chunk', () => {
    expect(valueNeedle('*MFADevice')).toBe('mfadevice');
    expect(valueNeedle('Delete*MFA?Device')).toBe('delete');
    expect(valueNeedle('ab*cd')).toBeNull();
  });
  it('escaped wildcards are literal', () => {
    expect(valueNeedle('Star\\*Trek')).toBe('star*trek');
  });
  it('no needle across what JSON escapes or non-ASCII', () => {
    expect(valueNeedle('say "hello" world')).toBe(' world');
    expect(valueNeedle('C:\\Windows')).toBe('windows');
    expect(valueNeedle('Zürich-Office')).toBe('rich-office');
  });
  it('nothing a number could spell (1e3 is 1000, 1e999 is Infinity)', () => {
    expect(valueNeedle(1000)).toBeNull();
    expect(valueNeedle('1000')).toBeNull();
    expect(valueNeedle('1.5e+21')).toBeNull();
    expect(valueNeedle('Infinity')).toBeNull();
    expect(valueNeedle('finit')).toBeNull();
    expect(valueNeedle(true)).toBe('true');
    expect(valueNeedle(null)).toBeNull();
  });
  it('lowercases', () => {
    expect(valueNeedle('ConsoleLogin')).toBe('consolelogin');
  });
});
