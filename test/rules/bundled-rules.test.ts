// The bundled single-event rules, loaded from rules/ as shipped, against the
// public test cases of the rules they come from (docs in ../shared/seeds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileEventRules, type EventPredicate } from '../../src/rules/compile.js';
import { bundledRulesDir, loadRules, type LoadResult } from '../../src/rules/load.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'rules', 'events');
const event = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as Record<string, unknown>;
/** A deep copy of a fixture event with changes applied to it. */
const variant = (name: string, change: (e: any) => void): Record<string, unknown> => {
  const e = event(name);
  change(e);
  return e;
};

let loaded: LoadResult;
const predicates = new Map<string, EventPredicate>();
const matches = (rule: string, e: Record<string, unknown>): boolean => {
  const p = predicates.get(rule);
  if (!p) throw new Error(`no per-event rule ${rule}`);
  return p(e);
};

beforeAll(async () => {
  loaded = await loadRules([bundledRulesDir()]);
  for (const { rule, match } of compileEventRules(loaded.rules)) predicates.set(rule.key, match);
});

describe('the bundled pack', () => {
  it('loads every bundled rule and skips none', () => {
    expect(loaded.skipped).toEqual([]);
    expect(loaded.rules.map((r) => `${r.kind}:${r.key}`).sort()).toEqual([
      'correlation:aws-console-login-mfa-failures',
      'correlation:aws-console-password-spraying',
      'correlation:aws-mfa-failures-then-login',
      'correlation:aws-mfa-failures-then-login-threshold',
      'correlation:aws-mfa-removed-then-login-without-mfa',
      'correlation:aws-root-console-login-failures',
      'detection:aws-console-login-failure',
      'detection:aws-console-login-mfa-failure',
      'detection:aws-console-login-without-mfa',
      'detection:aws-iam-mfa-device-deactivated',
      'detection:aws-iam-mfa-device-enabled',
      'detection:aws-iam-mfa-device-registered-for-other-user',
      'detection:aws-iam-user-console-login-without-mfa',
      'detection:aws-iam-user-mfa-device-deactivation',
      'detection:aws-mfa-failures-then-login-failure',
      'detection:aws-mfa-failures-then-login-success',
      'detection:aws-root-console-login-failure',
      'posture:aws-iam-user-mfa',
      'posture:aws-root-account-mfa',
      'stateful:aws-iam-user-password-without-mfa',
    ]);
    expect(loaded.warnings).toEqual([]);
  });

  it('turns the MFA-failure correlation into a 2-in-15-minutes threshold over a non-generating base rule', () => {
    const threshold = loaded.rules.find((r) => r.key === 'aws-console-login-mfa-failures');
    expect(threshold).toMatchObject({
      kind: 'correlation',
      type: 'event_count',
      rules: ['aws-console-login-mfa-failure'],
      groupBy: ['recipientAccountId', 'userIdentity.userName'],
      timespanMs: 15 * 60_000,
      condition: { gte: 2 },
      dedupMs: 15 * 60_000,
      level: 'high',
    });
    const base = loaded.rules.find((r) => r.key === 'aws-console-login-mfa-failure');
    expect(base).toMatchObject({ kind: 'detection', generate: false });
    const single = loaded.rules.find((r) => r.key === 'aws-iam-mfa-device-deactivated');
    expect(single).toMatchObject({ kind: 'detection', generate: true });
  });

  it('gives the stateful rule the fields its state machine reads', () => {
    const stateful = loaded.rules.find((r) => r.kind === 'stateful');
    expect(stateful).toMatchObject({ engine: 'iam-user-password-without-mfa' });
    if (stateful?.kind !== 'stateful') throw new Error('no stateful rule');
    expect(stateful.fields).toContain('requestParameters.serialNumber');
    expect(stateful.fields).toContain('additionalEventData.MFAUsed');
  });
});

describe('aws-console-login-mfa-failure (Panther AWS.Unsuccessful.MFA.attempt, base detection)', () => {
  const rule = 'aws-console-login-mfa-failure';
  it('Successful Login w/ MFA: does not match', () => {
    expect(matches(rule, event('panther-mfa-success.json'))).toBe(false);
  });
  it('Unsuccessful Login w/ MFA: matches', () => {
    expect(matches(rule, event('panther-mfa-failure.json'))).toBe(true);
  });
  it('a failed sign-in that never reached MFA (MFAUsed No) does not match', () => {
    const e = variant('panther-mfa-failure.json', (x) => (x.additionalEventData.MFAUsed = 'No'));
    expect(matches(rule, e)).toBe(false);
  });
  it('matches MFAUsed spelled YES (case-insensitive values)', () => {
    const e = variant('panther-mfa-failure.json', (x) => (x.additionalEventData.MFAUsed = 'YES'));
    expect(matches(rule, e)).toBe(true);
  });
});

describe('aws-iam-mfa-device-deactivated (Elastic d8fc1cca)', () => {
  const rule = 'aws-iam-mfa-device-deactivated';
  it('successful DeactivateMFADevice on iam.amazonaws.com matches', () => {
    expect(matches(rule, event('deactivate-mfa-device.json'))).toBe(true);
  });
  it('successful DeleteVirtualMFADevice matches', () => {
    const e = variant('deactivate-mfa-device.json', (x) => (x.eventName = 'DeleteVirtualMFADevice'));
    expect(matches(rule, e)).toBe(true);
  });
  it('a failed call (errorCode AccessDenied) does not match', () => {
    const e = variant('deactivate-mfa-device.json', (x) => {
      x.errorCode = 'AccessDenied';
      x.errorMessage = 'User is not authorized to perform: iam:DeactivateMFADevice';
    });
    expect(matches(rule, e)).toBe(false);
  });
  it('a call with errorCode null still counts as failed (the key is present)', () => {
    const e = variant('deactivate-mfa-device.json', (x) => (x.errorCode = null));
    expect(matches(rule, e)).toBe(false);
  });
  it('the same event name from another eventSource does not match', () => {
    const e = variant('deactivate-mfa-device.json', (x) => (x.eventSource = 'sts.amazonaws.com'));
    expect(matches(rule, e)).toBe(false);
  });
  it('another IAM event name (EnableMFADevice, ListMFADevices) does not match', () => {
    expect(matches(rule, event('enable-mfa-device.json'))).toBe(false);
    const e = variant('deactivate-mfa-device.json', (x) => (x.eventName = 'ListMFADevices'));
    expect(matches(rule, e)).toBe(false);
  });
});

describe('aws-iam-mfa-device-enabled', () => {
  const rule = 'aws-iam-mfa-device-enabled';
  it('successful EnableMFADevice matches', () => {
    expect(matches(rule, event('enable-mfa-device.json'))).toBe(true);
  });
  it('a failed EnableMFADevice (errorCode EntityAlreadyExists) does not match', () => {
    const e = variant('enable-mfa-device.json', (x) => (x.errorCode = 'EntityAlreadyExists'));
    expect(matches(rule, e)).toBe(false);
  });
  it('DeactivateMFADevice does not match', () => {
    expect(matches(rule, event('deactivate-mfa-device.json'))).toBe(false);
  });
  it('EnableMFADevice from another eventSource does not match', () => {
    const e = variant('enable-mfa-device.json', (x) => (x.eventSource = 'sso.amazonaws.com'));
    expect(matches(rule, e)).toBe(false);
  });
});

describe('aws-console-login-without-mfa (CIS 3.2)', () => {
  const rule = 'aws-console-login-without-mfa';
  it('IAM user successful sign-in with MFAUsed No matches', () => {
    expect(matches(rule, event('console-login-no-mfa.json'))).toBe(true);
  });
  it('IAM user successful sign-in without an MFAUsed field matches', () => {
    const e = variant('console-login-no-mfa.json', (x) => delete x.additionalEventData.MFAUsed);
    expect(matches(rule, e)).toBe(true);
  });
  it('IAM user successful sign-in without additionalEventData at all matches', () => {
    const e = variant('console-login-no-mfa.json', (x) => delete x.additionalEventData);
    expect(matches(rule, e)).toBe(true);
  });
  it('root successful sign-in without MFA matches', () => {
    const e = variant('console-login-no-mfa.json', (x) => {
      x.userIdentity = { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' };
    });
    expect(matches(rule, e)).toBe(true);
  });
  it('successful sign-in with MFA (Yes, YES, yes) does not match', () => {
    for (const used of ['Yes', 'YES', 'yes']) {
      const e = variant('console-login-no-mfa.json', (x) => (x.additionalEventData.MFAUsed = used));
      expect(matches(rule, e), used).toBe(false);
    }
    expect(matches(rule, event('panther-mfa-success.json'))).toBe(false);
  });
  it('a failed sign-in does not match', () => {
    const e = variant('console-login-no-mfa.json', (x) => (x.responseElements.ConsoleLogin = 'Failure'));
    expect(matches(rule, e)).toBe(false);
  });
  it('a federated sign-in (AssumedRole with SamlProviderArn) does not match', () => {
    expect(matches(rule, event('console-login-saml.json'))).toBe(false);
  });
  it('an IAMUser-typed sign-in carrying SamlProviderArn does not match', () => {
    const e = variant('console-login-saml.json', (x) => (x.userIdentity = { type: 'IAMUser', userName: 'anaya' }));
    expect(matches(rule, e)).toBe(false);
  });
  it('an AssumedRole sign-in without SAML does not match', () => {
    const e = variant('console-login-saml.json', (x) => delete x.additionalEventData.SamlProviderArn);
    expect(matches(rule, e)).toBe(false);
  });
});
