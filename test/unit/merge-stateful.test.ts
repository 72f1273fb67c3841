import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { candidate, shuffled, STATEFUL_FIELDS, STATEFUL_KEY, statefulRule, type Event } from '../fixtures/merge/events.js';

const ACCOUNT = '123456789012';
const T0 = Date.parse('2026-10-01T09:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString().replace('.000Z', 'Z');

interface IamOpts {
  user?: string | null; // requestParameters.userName (null: absent)
  serial?: string;
  caller?: { type: string; userName?: string; arn?: string };
  errorCode?: string;
  account?: string;
}

function iam(eventName: string, id: string, minute: number, opts: IamOpts = {}): Event {
  const requestParameters: Record<string, unknown> = {};
  const user = opts.user === undefined ? 'alice' : opts.user;
  if (user !== null) requestParameters.userName = user;
  if (opts.serial) requestParameters.serialNumber = opts.serial;
  return {
    eventID: id,
    eventTime: at(minute),
    eventName,
    eventSource: 'iam.amazonaws.com',
    recipientAccountId: opts.account ?? ACCOUNT,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userIdentity: opts.caller ?? { type: 'IAMUser', userName: 'admin', arn: `arn:aws:iam::${ACCOUNT}:user/admin` },
    requestParameters,
    ...(opts.errorCode ? { errorCode: opts.errorCode } : {}),
  };
}

interface LoginOpts {
  user?: string;
  mfa?: string | null; // MFAUsed (null: absent)
  type?: string;
  saml?: boolean;
  result?: string;
  account?: string;
}

function login(id: string, minute: number, opts: LoginOpts = {}): Event {
  const additionalEventData: Record<string, unknown> = {};
  const mfa = opts.mfa === undefined ? 'No' : opts.mfa;
  if (mfa !== null) additionalEventData.MFAUsed = mfa;
  if (opts.saml) additionalEventData.SamlProviderArn = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
  const user = opts.user ?? 'alice';
  return {
    eventID: id,
    eventTime: at(minute),
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    recipientAccountId: opts.account ?? ACCOUNT,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.9',
    userIdentity: { type: opts.type ?? 'IAMUser', userName: user, arn: `arn:aws:iam::${ACCOUNT}:user/${user}` },
    responseElements: { ConsoleLogin: opts.result ?? 'Success' },
    additionalEventData,
  };
}

const cand = (e: Event, source = 'trail/a.json.gz') => candidate(e, [STATEFUL_KEY], source, STATEFUL_FIELDS);

function run(events: Event[] | Candidate[]) {
  const merge = new Merge([statefulRule()]);
  for (const e of events) merge.add('rules' in e && 'event' in e ? (e as Candidate) : cand(e as Event));
  return merge.hits();
}

const summary = (hits: ReturnType<typeof run>) => hits.map((h) => ({ time: h.time, lastTime: h.lastTime, count: h.count, eventIDs: h.eventIDs, group: h.group }));

describe('stateful rule aws-iam-user-password-without-mfa', () => {
  it('CreateUser then CreateLoginProfile: a stretch opens at CreateLoginProfile and is still open at the end', () => {
    const hits = run([iam('CreateUser', 'u1', 0), iam('CreateLoginProfile', 'p1', 1)]);
    expect(hits).toEqual([
      {
        rule: STATEFUL_KEY,
        title: 'IAM user with a console password and no MFA device',
        severity: 'high',
        time: at(1),
        lastTime: at(1),
        count: 1,
        group: { recipientAccountId: ACCOUNT, userName: 'alice' },
        account: ACCOUNT,
        region: 'us-east-1',
        actor: 'admin',
        sourceIPAddress: '198.51.100.7',
        eventName: 'CreateLoginProfile',
        eventIDs: ['p1'],
        sources: ['trail/a.json.gz'],
        target: 'alice',
        fields: {},
      },
    ]);
  });

  it('CreateUser alone (no password) is no violation', () => {
    expect(run([iam('CreateUser', 'u1', 0)])).toEqual([]);
  });

  it('EnableMFADevice ends the stretch and is not part of it', () => {
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      login('l1', 2),
      iam('EnableMFADevice', 'm1', 3, { serial: `arn:aws:iam::${ACCOUNT}:mfa/alice` }),
    ]);
    expect(summary(hits)).toEqual([{ time: at(1), lastTime: at(2), count: 2, eventIDs: ['p1', 'l1'], group: { recipientAccountId: ACCOUNT, userName: 'alice' } }]);
  });

  it('DeactivateMFADevice of the only device opens a new stretch; DeleteLoginProfile ends it', () => {
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      iam('EnableMFADevice', 'm1', 3, { serial }),
      iam('DeactivateMFADevice', 'd1', 10, { serial }),
      login('l1', 11),
      iam('DeleteLoginProfile', 'x1', 12),
      login('l2', 13, { result: 'Failure' }),
    ]);
    expect(summary(hits).map((h) => [h.time, h.eventIDs])).toEqual([
      [at(1), ['p1']],
      [at(10), ['d1', 'l1']],
    ]);
    expect(hits[1]!.eventName).toBe('DeactivateMFADevice');
  });

  it('deactivating one of two devices is no violation', () => {
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('EnableMFADevice', 'm1', 1, { serial: 'arn:aws:iam::1:mfa/one' }),
      iam('EnableMFADevice', 'm2', 2, { serial: 'arn:aws:iam::1:mfa/two' }),
      iam('CreateLoginProfile', 'p1', 3),
      iam('DeactivateMFADevice', 'd1', 4, { serial: 'arn:aws:iam::1:mfa/one' }),
    ]);
    expect(hits).toEqual([]);
  });

  it('failed calls (errorCode) change nothing', () => {
    const serial = 'arn:aws:iam::1:mfa/alice';
    expect(run([iam('CreateUser', 'u1', 0), iam('CreateLoginProfile', 'p1', 1, { errorCode: 'PasswordPolicyViolation' })])).toEqual([]);
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      iam('EnableMFADevice', 'm1', 2, { serial, errorCode: 'InvalidAuthenticationCode' }),
      iam('DeleteLoginProfile', 'x1', 3, { errorCode: 'AccessDenied' }),
    ]);
    // The failed calls do not end the stretch; they are the user's events during it.
    expect(summary(hits).map((h) => h.eventIDs)).toEqual([['p1', 'm1', 'x1']]);
  });

  it('an IAM call without requestParameters.userName acts on its IAMUser caller', () => {
    const self = { type: 'IAMUser', userName: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice` };
    const hits = run([iam('CreateUser', 'u1', 0), iam('CreateLoginProfile', 'p1', 1, { user: null, caller: self })]);
    expect(summary(hits)).toEqual([{ time: at(1), lastTime: at(1), count: 1, eventIDs: ['p1'], group: { recipientAccountId: ACCOUNT, userName: 'alice' } }]);
  });

  it('an IAM call without requestParameters.userName by a role acts on no user', () => {
    const role = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s` };
    expect(run([iam('CreateUser', 'u1', 0), iam('CreateLoginProfile', 'p1', 1, { user: null, caller: role })])).toEqual([]);
  });

  it('a console sign-in without MFA of a user never seen before opens a stretch', () => {
    const hits = run([login('l1', 5, { user: 'carol' })]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(5), eventIDs: ['l1'], group: { recipientAccountId: ACCOUNT, userName: 'carol' }, actor: 'carol', eventName: 'ConsoleLogin' });
  });

  it('a console sign-in with MFAUsed missing counts as without MFA', () => {
    expect(run([login('l1', 5, { mfa: null })])).toHaveLength(1);
  });

  it('a console sign-in with MFA opens nothing ("yes" in any case)', () => {
    expect(run([login('l1', 5, { mfa: 'Yes' }), login('l2', 6, { mfa: 'YES' })])).toEqual([]);
  });

  it('a federated sign-in opens nothing', () => {
    expect(run([login('l1', 5, { saml: true }), login('l2', 6, { type: 'SAMLUser' }), login('l3', 7, { type: 'AssumedRole' })])).toEqual([]);
  });

  it('a root sign-in without MFA is not an IAM user (the single-event rule covers it)', () => {
    expect(run([login('l1', 5, { type: 'Root', user: 'root' })])).toEqual([]);
  });

  it('a failed console sign-in proves nothing', () => {
    expect(run([login('l1', 5, { result: 'Failure' })])).toEqual([]);
  });

  it('user names differing in case are one user, shown as the opening event spells it', () => {
    const hits = run([iam('CreateUser', 'u1', 0, { user: 'Alice' }), iam('CreateLoginProfile', 'p1', 1, { user: 'ALICE' }), iam('EnableMFADevice', 'm1', 2, { user: 'alice', serial: 's' })]);
    expect(summary(hits)).toEqual([{ time: at(1), lastTime: at(1), count: 1, eventIDs: ['p1'], group: { recipientAccountId: ACCOUNT, userName: 'ALICE' } }]);
  });

  it('two accounts with the same user name are two users', () => {
    const hits = run([iam('CreateUser', 'u1', 0, { account: '111111111111' }), iam('CreateLoginProfile', 'p1', 1, { account: '222222222222' })]);
    expect(hits).toEqual([]); // the password went to a user whose devices are unknown
    const both = run([login('a1', 1, { account: '111111111111' }), login('b1', 2, { account: '222222222222' })]);
    expect(both.map((h) => h.group)).toEqual([
      { recipientAccountId: '111111111111', userName: 'alice' },
      { recipientAccountId: '222222222222', userName: 'alice' },
    ]);
  });

  it('DeleteUser ends the stretch, is not part of it, and forgets the user', () => {
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      iam('DeleteUser', 'x1', 2),
      iam('CreateLoginProfile', 'p2', 3), // the user is forgotten: devices unknown again
    ]);
    expect(summary(hits).map((h) => h.eventIDs)).toEqual([['p1']]);
  });

  it('a password created for a user whose device set is unknown (no CreateUser seen) is no violation', () => {
    expect(run([iam('CreateLoginProfile', 'p1', 1)])).toEqual([]);
    expect(run([iam('CreateLoginProfile', 'p1', 1), iam('DeactivateMFADevice', 'd1', 2, { serial: 's' })])).toEqual([]);
  });

  it('a sign-in without MFA after a device was enabled for an unknown user still proves no device now', () => {
    const hits = run([iam('EnableMFADevice', 'm1', 1, { serial: 's' }), login('l1', 2)]);
    expect(summary(hits).map((h) => h.eventIDs)).toEqual([['l1']]);
  });

  it('CreateUser and CreateLoginProfile in the same second: the user exists before its password, whatever the eventIDs', () => {
    const hits = run([iam('CreateUser', 'zzz', 0), iam('CreateLoginProfile', 'aaa', 0)]);
    expect(summary(hits).map((h) => h.eventIDs)).toEqual([['aaa']]);
  });

  it('the same event in two trails counts once and lists both sources', () => {
    const p1 = iam('CreateLoginProfile', 'p1', 1);
    const hits = run([cand(iam('CreateUser', 'u1', 0)), cand(p1, 'org-trail/x.json.gz'), cand(p1, 'trail/a.json.gz')]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ count: 1, eventIDs: ['p1'], sources: ['org-trail/x.json.gz', 'trail/a.json.gz'] });
  });

  it('odd field types (attacker-controlled) are ignored, not thrown on', () => {
    const odd = iam('CreateLoginProfile', 'p1', 1);
    (odd.requestParameters as Record<string, unknown>).userName = { $gt: '' };
    const oddLogin = login('l1', 2);
    oddLogin.userIdentity = { type: 'IAMUser', userName: 42 };
    expect(() => run([iam('CreateUser', 'u1', 0), odd, oddLogin])).not.toThrow();
    expect(run([iam('CreateUser', 'u1', 0), odd, oddLogin])).toEqual([]);
  });

  it('events fed in shuffled order give byte-identical output', () => {
    const events = [
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      login('l1', 2),
      iam('EnableMFADevice', 'm1', 3, { serial: 's' }),
      iam('DeactivateMFADevice', 'd1', 4, { serial: 's' }),
      login('l2', 5, { user: 'ALICE' }),
      login('b1', 5, { user: 'bob' }),
      iam('DeleteUser', 'x1', 9),
      login('c1', 2, { user: 'carol', account: '999999999999' }),
    ];
    const candidates = events.flatMap((e, i) => (i % 3 === 0 ? [cand(e, 'a'), cand(e, 'b')] : [cand(e, 'a')]));
    const expected = JSON.stringify(run(candidates));
    expect(JSON.parse(expected)).toHaveLength(4);
    for (let seed = 1; seed <= 25; seed++) expect(JSON.stringify(run(shuffled(candidates, seed)))).toBe(expected);
  });
});

// DESIGN.md, "Fine print → The stateful rule": a sign-in that used MFA
// (successful or failing at the MFA step) proves some device is assigned.
describe('stateful rule: sign-ins with MFA', () => {
  const ids = (hits: ReturnType<typeof run>) => hits.map((h) => h.eventIDs);

  it('a successful sign-in with MFA ends the stretch and is not part of it', () => {
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      login('l1', 2),
      login('m1', 3, { mfa: 'YES' }),
      iam('DeactivateMFADevice', 'd1', 4, { serial: 's' }),
    ]);
    expect(ids(hits)).toEqual([['p1', 'l1']]);
    expect(hits[0]!.lastTime).toBe(at(2));
  });

  it('a sign-in that failed at the MFA step ends the stretch too', () => {
    const hits = run([login('l1', 1), login('m1', 2, { mfa: 'yes', result: 'Failure' }), iam('CreateLoginProfile', 'p1', 3)]);
    expect(ids(hits)).toEqual([['l1']]);
  });

  it('after a sign-in with MFA the device set is unknown: removing a device opens nothing, a sign-in without MFA opens a new stretch', () => {
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/alice`;
    const hits = run([
      login('l1', 1),
      login('m1', 2, { mfa: 'Yes' }),
      iam('DeactivateMFADevice', 'd1', 3, { serial }),
      iam('CreateLoginProfile', 'p1', 4),
      login('l2', 5),
      iam('DeleteLoginProfile', 'x1', 6),
    ]);
    expect(ids(hits)).toEqual([['l1'], ['l2']]);
  });

  it('after a sign-in with MFA, CreateUser makes the device set known (empty) again', () => {
    const hits = run([login('m1', 0, { mfa: 'Yes' }), iam('DeleteUser', 'x1', 1), iam('CreateUser', 'u1', 2), iam('CreateLoginProfile', 'p1', 3)]);
    expect(ids(hits)).toEqual([['p1']]);
  });

  it('a sign-in with MFA outside a stretch changes nothing visible and is in no hit', () => {
    expect(run([login('m1', 1, { mfa: 'Yes' }), login('m2', 2, { mfa: 'Yes', result: 'Failure' })])).toEqual([]);
  });

  it("another user's sign-in with MFA does not end this user's stretch", () => {
    const hits = run([login('l1', 1), login('b1', 2, { user: 'bob', mfa: 'Yes' }), login('l2', 3)]);
    expect(ids(hits)).toEqual([['l1', 'l2']]);
  });

  it('a stretch holds every event the rule reads from the opening on: failed calls and failed sign-ins included', () => {
    const hits = run([
      iam('CreateUser', 'u1', 0),
      iam('CreateLoginProfile', 'p1', 1),
      iam('EnableMFADevice', 'e1', 2, { serial: 's', errorCode: 'AccessDenied' }),
      login('f1', 3, { result: 'Failure' }),
      iam('DeleteLoginProfile', 'x1', 4),
    ]);
    expect(ids(hits)).toEqual([['p1', 'e1', 'f1']]);
  });
});
