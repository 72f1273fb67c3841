// The bundled MFA-abuse pack's correlations and new rules, loaded from rules/
// as shipped and run through the scan core and the merge as a hunt runs them,
// with positives, negatives and the public test cases of the Panther rules
// they derive from (AWS.CloudTrail.PasswordSpraying, AWS.Console.RootLoginFailed,
// AWS.RootAccount.MFA).
import { beforeAll, describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Hit } from '../../src/model.js';
import { credentialReportHits } from '../../src/posture/credential-report.js';
import { compileEventRules } from '../../src/rules/compile.js';
import { bundledRulesDir, loadRules, selectRules } from '../../src/rules/load.js';
import type { PostureRule, Rule } from '../../src/rules/types.js';
import { Scanner } from '../../src/scan/scanner.js';

let rules: Rule[];
beforeAll(async () => {
  ({ rules } = await loadRules([bundledRulesDir()]));
});

const ALL = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };
/** The hits of `rule` over the records, as a hunt of the bundled pack picked by --rule would give them. */
function hunt(rule: string, records: Record<string, unknown>[]): Hit[] {
  const picked = selectRules(rules, [rule]);
  const scanner = new Scanner(picked, ALL, { prefilter: false });
  const merge = new Merge(picked);
  for (const c of scanner.scanRecords(records, 'test.json').candidates) merge.add(c);
  return merge.hits().filter((h) => h.rule === rule);
}
const matches = (rule: string, record: Record<string, unknown>): boolean =>
  compileEventRules(rules).find((c) => c.rule.key === rule)!.match(record);

const T0 = Date.parse('2026-10-05T21:00:00Z');
const at = (minutes: number, seconds = 0): string => new Date(T0 + minutes * 60_000 + seconds * 1000).toISOString().replace('.000Z', 'Z');
let serial = 0;
const id = (): string => `00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`;

function signIn(time: string, o: { user?: string | null; type?: string; success?: boolean; mfa?: string; account?: string; region?: string; saml?: boolean } = {}): Record<string, unknown> {
  const identity: Record<string, unknown> = { type: o.type ?? 'IAMUser', accountId: o.account ?? '111122223333', accessKeyId: '' };
  if (o.user !== null) identity.userName = o.user ?? 'alice';
  return {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: time,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: '203.0.113.77',
    userAgent: 'Mozilla/5.0',
    requestParameters: null,
    responseElements: { ConsoleLogin: o.success ? 'Success' : 'Failure' },
    additionalEventData: { MFAUsed: o.mfa ?? 'No', ...(o.saml ? { SamlProviderArn: 'arn:aws:iam::111122223333:saml-provider/Okta' } : {}) },
    ...(o.success ? {} : { errorMessage: 'Failed authentication' }),
    eventID: id(),
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: o.account ?? '111122223333',
  };
}

function iamCall(time: string, eventName: string, o: { caller?: Record<string, unknown>; params?: Record<string, unknown>; errorCode?: string; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: o.caller ?? { type: 'IAMUser', userName: 'ci-admin', arn: 'arn:aws:iam::111122223333:user/ci-admin', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEKEY000001' },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: o.params ?? null,
    responseElements: null,
    ...(o.errorCode ? { errorCode: o.errorCode } : {}),
    eventID: id(),
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...(o.extra ?? {}),
  };
}

describe('aws-console-password-spraying (Panther AWS.CloudTrail.PasswordSpraying: more than 5 names per account and region in 1 h)', () => {
  const rule = 'aws-console-password-spraying';
  it("Panther's cases: a failed console sign-in is counted; a success and a non-console event are not; a root failure is", () => {
    expect(matches('aws-console-login-failure', signIn(at(0)))).toBe(true);
    expect(matches('aws-console-login-failure', signIn(at(0), { success: true }))).toBe(false);
    expect(matches('aws-console-login-failure', { ...signIn(at(0)), eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', responseElements: null })).toBe(false);
    expect(matches('aws-console-login-failure', signIn(at(0), { type: 'Root', user: 'root' }))).toBe(true);
  });
  it('six names within the hour (the last exactly at 60:00) fire, grouped by account and region', () => {
    const hits = hunt(rule, ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => signIn(at(i * 12), { user: u })));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(0), lastTime: at(60), count: 6, severity: 'medium', group: { recipientAccountId: '111122223333', awsRegion: 'us-east-1' } });
  });
  it('five names are not more than five; the sixth one second past the hour does not join', () => {
    expect(hunt(rule, ['a', 'b', 'c', 'd', 'e'].map((u, i) => signIn(at(i), { user: u })))).toEqual([]);
    expect(hunt(rule, [...['a', 'b', 'c', 'd', 'e'].map((u, i) => signIn(at(i), { user: u })), signIn(at(60, 1), { user: 'f' })])).toEqual([]);
  });
  it('HIDDEN_DUE_TO_SECURITY_REASONS names count together as one name', () => {
    const hidden = Array.from({ length: 4 }, (_, i) => signIn(at(10 + i), { user: 'HIDDEN_DUE_TO_SECURITY_REASONS' }));
    const four = ['a', 'b', 'c', 'd'].map((u, i) => signIn(at(i), { user: u }));
    expect(hunt(rule, [...four, ...hidden])).toEqual([]); // 4 names + hidden = 5
    expect(hunt(rule, [...four, ...hidden, signIn(at(20), { user: 'e' })])).toHaveLength(1); // 6
  });
  it('one user failing many times, or names spread over two regions, do not fire', () => {
    expect(hunt(rule, Array.from({ length: 20 }, (_, i) => signIn(at(i), { user: 'alice' })))).toEqual([]);
    const spread = ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => signIn(at(i), { user: u, region: i % 2 ? 'eu-west-1' : 'us-east-1' }));
    expect(hunt(rule, spread)).toEqual([]);
  });
  it('successful sign-ins do not count as names', () => {
    const records = ['a', 'b', 'c', 'd', 'e'].map((u, i) => signIn(at(i), { user: u }));
    expect(hunt(rule, [...records, signIn(at(6), { user: 'f', success: true })])).toEqual([]);
  });
});

describe('aws-root-console-login-failures (Panther AWS.Console.RootLoginFailed: 5 in 15 minutes)', () => {
  const rule = 'aws-root-console-login-failures';
  const rootFail = (time: string, account = '111122223333') => signIn(time, { type: 'Root', user: 'root', account });
  it("Panther's cases: a failed root sign-in is counted; a successful one and a non-login event are not", () => {
    expect(matches('aws-root-console-login-failure', rootFail(at(0)))).toBe(true);
    expect(matches('aws-root-console-login-failure', signIn(at(0), { type: 'Root', user: 'root', success: true }))).toBe(false);
    expect(matches('aws-root-console-login-failure', iamCall(at(0), 'DescribeTable'))).toBe(false);
    expect(matches('aws-root-console-login-failure', signIn(at(0), { user: 'alice' }))).toBe(false);
  });
  it('five failures with the fifth exactly 15:00 after the first fire; 15:01 does not', () => {
    const hits = hunt(rule, [0, 3, 6, 9, 15].map((m) => rootFail(at(m))));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(0), lastTime: at(15), count: 5, severity: 'high', group: { recipientAccountId: '111122223333' } });
    expect(hunt(rule, [0, 3, 6, 9].map((m) => rootFail(at(m))).concat(rootFail(at(15, 1))))).toEqual([]);
  });
  it('four failures do not fire; failures in two accounts do not add up', () => {
    expect(hunt(rule, [0, 1, 2, 3].map((m) => rootFail(at(m))))).toEqual([]);
    expect(hunt(rule, [0, 1, 2, 3, 4].map((m) => rootFail(at(m), m % 2 ? '444455556666' : '111122223333')))).toEqual([]);
  });
  it('the dedup period of 15 minutes absorbs later failures; the next one starts again', () => {
    const hits = hunt(rule, [0, 1, 2, 3, 4, 14, 15, 16, 17, 18, 19].map((m) => rootFail(at(m))));
    expect(hits.map((h) => [h.time, h.count])).toEqual([
      [at(0), 6],
      [at(15), 5],
    ]);
  });
});

describe('aws-mfa-removed-then-login-without-mfa (temporal_ordered through the alias user)', () => {
  const rule = 'aws-mfa-removed-then-login-without-mfa';
  const deactivate = (time: string, user: string, o: { errorCode?: string } = {}) =>
    iamCall(time, 'DeactivateMFADevice', { params: { userName: user, serialNumber: `arn:aws:iam::111122223333:mfa/${user}` }, ...o });
  it('deactivation of maria.garcia\'s device, then her sign-in without MFA exactly 1 h later, is critical', () => {
    const hits = hunt(rule, [deactivate(at(0), 'maria.garcia'), signIn(at(60), { user: 'maria.garcia', success: true })]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'critical', count: 2, actor: 'ci-admin', group: { recipientAccountId: '111122223333', user: 'maria.garcia' } });
  });
  it('one second past the hour, the sign-in first, or with MFA, is no hit', () => {
    expect(hunt(rule, [deactivate(at(0), 'maria.garcia'), signIn(at(60, 1), { user: 'maria.garcia', success: true })])).toEqual([]);
    expect(hunt(rule, [signIn(at(0), { user: 'maria.garcia', success: true }), deactivate(at(1), 'maria.garcia')])).toEqual([]);
    expect(hunt(rule, [deactivate(at(0), 'maria.garcia'), signIn(at(5), { user: 'maria.garcia', success: true, mfa: 'Yes' })])).toEqual([]);
  });
  it("another user's sign-in, a failed deactivation, a federated sign-in or a root sign-in is no hit", () => {
    expect(hunt(rule, [deactivate(at(0), 'maria.garcia'), signIn(at(5), { user: 'li.wei', success: true })])).toEqual([]);
    expect(hunt(rule, [deactivate(at(0), 'maria.garcia', { errorCode: 'AccessDenied' }), signIn(at(5), { user: 'maria.garcia', success: true })])).toEqual([]);
    expect(hunt(rule, [deactivate(at(0), 'maria.garcia'), signIn(at(5), { user: 'maria.garcia', success: true, saml: true })])).toEqual([]);
    // Neither side names a user: a root sign-in and a deactivation without userName never meet in a null group.
    expect(hunt(rule, [iamCall(at(0), 'DeactivateMFADevice', { params: { serialNumber: 'arn:aws:iam::111122223333:mfa/root' } }), signIn(at(5), { type: 'Root', user: null, success: true })])).toEqual([]);
  });
  it('user names compare case-insensitively (IAM names are unique regardless of case)', () => {
    expect(hunt(rule, [deactivate(at(0), 'Maria.Garcia'), signIn(at(5), { user: 'maria.garcia', success: true })])).toHaveLength(1);
  });
});

describe('aws-mfa-failures-then-login (a chain over the MFA-failure threshold)', () => {
  const rule = 'aws-mfa-failures-then-login';
  const mfaFail = (time: string, user = 'maria.garcia') => signIn(time, { user, mfa: 'Yes' });
  it('two MFA failures, then a success of that user within the hour of the threshold being met', () => {
    const hits = hunt(rule, [mfaFail(at(0)), mfaFail(at(4)), signIn(at(64), { user: 'maria.garcia', success: true, mfa: 'Yes' })]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(0), lastTime: at(64), count: 3, severity: 'high', group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'maria.garcia' } });
  });
  it('one second past the hour after the threshold, one failure only, or failures 16 minutes apart give no hit', () => {
    expect(hunt(rule, [mfaFail(at(0)), mfaFail(at(4)), signIn(at(64, 1), { user: 'maria.garcia', success: true })])).toEqual([]);
    expect(hunt(rule, [mfaFail(at(0)), signIn(at(1), { user: 'maria.garcia', success: true })])).toEqual([]);
    expect(hunt(rule, [mfaFail(at(0)), mfaFail(at(16)), signIn(at(17), { user: 'maria.garcia', success: true })])).toEqual([]);
  });
  it("failures at the password (MFAUsed No) do not count, nor another user's success", () => {
    expect(hunt(rule, [signIn(at(0), { user: 'maria.garcia' }), signIn(at(1), { user: 'maria.garcia' }), signIn(at(2), { user: 'maria.garcia', success: true })])).toEqual([]);
    expect(hunt(rule, [mfaFail(at(0)), mfaFail(at(1)), signIn(at(2), { user: 'li.wei', success: true })])).toEqual([]);
  });
  it('does not take the hits of aws-console-login-mfa-failures away: that rule still reports the failures', () => {
    const records = [mfaFail(at(0)), mfaFail(at(4)), signIn(at(10), { user: 'maria.garcia', success: true })];
    expect(hunt('aws-console-login-mfa-failures', records)).toHaveLength(1);
  });
});

describe('aws-iam-mfa-device-registered-for-other-user', () => {
  const rule = 'aws-iam-mfa-device-registered-for-other-user';
  const user = (name: string, key = 'AKIAEXAMPLEKEY000001') => ({ type: 'IAMUser', userName: name, arn: `arn:aws:iam::111122223333:user/${name}`, accountId: '111122223333', accessKeyId: key });
  const role = { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/x', accountId: '111122223333', accessKeyId: 'ASIAEXAMPLEKEY000002' };
  it('EnableMFADevice by one IAM user for another fires', () => {
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', { caller: user('intern.tom'), params: { userName: 'nina.petrova', serialNumber: 'arn:aws:iam::111122223333:mfa/x' } }))).toBe(true);
  });
  it('CreateVirtualMFADevice named for another user fires', () => {
    expect(matches(rule, iamCall(at(0), 'CreateVirtualMFADevice', { caller: user('intern.tom'), params: { virtualMFADeviceName: 'nina.petrova', path: '/' } }))).toBe(true);
  });
  it('a role session (temporary credentials, no userName) registering a device fires', () => {
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', { caller: role, params: { userName: 'maria.garcia', serialNumber: 'arn:aws:iam::111122223333:mfa/maria.garcia' } }))).toBe(true);
  });
  it('an IAM user enabling its own device with temporary credentials outside the console fires; from the console it does not', () => {
    const self = { caller: user('li.wei', 'ASIAEXAMPLEKEY000003'), params: { userName: 'li.wei', serialNumber: 'arn:aws:iam::111122223333:mfa/li.wei' } };
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', self))).toBe(true);
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', { ...self, extra: { sessionCredentialFromConsole: 'true' } }))).toBe(false);
  });
  it('an IAM user enabling or creating its own device with its own key does not fire', () => {
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', { caller: user('li.wei'), params: { userName: 'LI.WEI', serialNumber: 'arn:aws:iam::111122223333:mfa/li.wei' } }))).toBe(false);
    expect(matches(rule, iamCall(at(0), 'CreateVirtualMFADevice', { caller: user('li.wei'), params: { virtualMFADeviceName: 'li.wei', path: '/' } }))).toBe(false);
  });
  it('a failed call, or another IAM call, does not fire', () => {
    expect(matches(rule, iamCall(at(0), 'EnableMFADevice', { caller: user('intern.tom'), params: { userName: 'nina.petrova' }, errorCode: 'AccessDenied' }))).toBe(false);
    expect(matches(rule, iamCall(at(0), 'DeactivateMFADevice', { caller: user('intern.tom'), params: { userName: 'nina.petrova' } }))).toBe(false);
  });
});

describe('aws-root-account-mfa (Panther AWS.RootAccount.MFA, credential report)', () => {
  const header = 'user,arn,user_creation_time,password_enabled,mfa_active\n';
  const posture = (): PostureRule[] => rules.filter((r): r is PostureRule => r.kind === 'posture');
  it('the root row with mfa_active false is a hit; with true it is not', () => {
    const hits = credentialReportHits(`${header}<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,false\n`, posture(), 'r.csv');
    expect(hits.map((h) => [h.rule, h.severity, h.account, h.group])).toEqual([['aws-root-account-mfa', 'medium', '111122223333', { user: '<root_account>', arn: 'arn:aws:iam::111122223333:root' }]]);
    expect(credentialReportHits(`${header}<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,true\n`, posture(), 'r.csv')).toEqual([]);
  });
  it('an IAM user row without MFA is the other rule\'s, never this one\'s', () => {
    const hits = credentialReportHits(`${header}bob,arn:aws:iam::111122223333:user/bob,2019-01-01T00:00:00+00:00,true,false\n`, posture(), 'r.csv');
    expect(hits.map((h) => h.rule)).toEqual(['aws-iam-user-mfa']);
  });
});

describe('levels', () => {
  it('the MFA bypass is critical; sign-ins without MFA and device removal are above the posture findings', () => {
    const level = (k: string) => rules.find((r) => r.key === k)!.level;
    expect(level('aws-mfa-removed-then-login-without-mfa')).toBe('critical');
    expect(level('aws-console-login-without-mfa')).toBe('high');
    expect(level('aws-iam-mfa-device-deactivated')).toBe('high');
    expect(level('aws-iam-user-mfa')).toBe('medium');
    expect(level('aws-root-account-mfa')).toBe('medium');
  });
});
