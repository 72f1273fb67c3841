// Writes the bundled sample corpus: `samples/AWSLogs/...` in the real key
// layout, `samples/credential-report.csv`, and `samples/INCIDENTS.md`, which
// tells the story of every planted incident and what each rule should report.
//
//   node dist/scripts/make-samples.js [outDir]      (default: ./samples)
//
// The output is a pure function of this file and corpus.ts: run it twice and
// the bytes are the same. test/unit/corpus-samples.test.ts holds the committed
// corpus to that.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AccountProfile,
  type CloudTrailRecord,
  type HourContext,
  type Planted,
  type Rng,
  USER_AGENTS,
  apiEvent,
  assumedRole,
  consoleLogin,
  createLoginProfile,
  createRng,
  createUser,
  createVirtualMFADevice,
  deactivateMFADevice,
  deleteVirtualMFADevice,
  enableMFADevice,
  federatedConsoleLogin,
  generateCorpus,
  iamUser,
  mfaArn,
  rootUser,
} from './corpus.js';

export const SEED = 'hunt-samples-2026-10';
export const ORG_ID = 'o-7k2m9x4q1z';
export const START = '2026-10-05';
export const DAYS = 4;

/** The organization account: its trail is an organization trail. */
export const ACCOUNT_A: AccountProfile = {
  id: '111122223333',
  organizationId: ORG_ID,
  consoleUsers: ['priya.nair', 'daniel.kim', 'lena.schmidt'],
  keyUsers: ['ci-admin', 'terraform'],
  humanRoles: ['AdministratorAccess', 'ReadOnly', 'Developer'],
  workloadRoles: ['orders-api-role', 'billing-worker-role', 'etl-nightly-role', 'web-frontend-role'],
  buckets: ['acme-orders-prod', 'acme-assets-prod', 'acme-data-lake', 'acme-backups-111122223333'],
};

/** A standalone account with its own trail. */
export const ACCOUNT_B: AccountProfile = {
  id: '444455556666',
  consoleUsers: ['li.wei', 'sam.okafor', 'nina.petrova'],
  keyUsers: ['intern.tom', 'svc-backup'],
  humanRoles: ['PlatformAdmin', 'ReadOnly'],
  workloadRoles: ['ingest-api-role', 'report-builder-role', 'eks-node-role'],
  buckets: ['globex-ingest', 'globex-reports', 'globex-backups-444455556666'],
};

const A = ACCOUNT_A.id;
const B = ACCOUNT_B.id;

/** Quiet nights, busier working hours; the org account's home region busiest. */
function filesPerHour(ctx: HourContext): number {
  const hour = new Date(ctx.hourMs).getUTCHours();
  if (hour >= 9 && hour < 17) return ctx.account === A && ctx.region === 'us-east-1' && hour >= 10 && hour < 16 ? 2 : 1;
  return hour % 6 === 0 ? 1 : 0;
}

/** One event of a story, and how it is meant to be read. */
interface StoryEvent {
  record: CloudTrailRecord;
  copies?: number;
  note: string;
}

interface ExpectedHit {
  rule: string;
  time: string | null;
  lastTime: string | null;
  count: number;
  group: Record<string, string>;
  /** Indexes into the story's events; resolved to eventIDs and keys. */
  events: number[];
  note?: string;
}

interface Story {
  title: string;
  text: string;
  events: StoryEvent[];
  hits: ExpectedHit[];
  /** What must not fire, and why. */
  quiet: string[];
}

const GROUP_USER = (account: string, user: string): Record<string, string> => ({ recipientAccountId: account, 'userIdentity.userName': user });
const GROUP_STATE = (account: string, user: string): Record<string, string> => ({ recipientAccountId: account, userName: user });

/** Builds every planted story. Event ids come from one PRNG, in this order. */
export function stories(): Story[] {
  const rng: Rng = createRng(`${SEED}/stories`);
  const attackerIp = '198.51.100.23';

  const mariaUser = iamUser(A, 'maria.garcia');
  const ciAdmin = iamUser(A, 'ci-admin');
  const responder = assumedRole(A, 'SecurityResponder', 'dana.ops', true);
  const maria: StoryEvent[] = [
    { note: 'failed sign-in at the MFA step', record: consoleLogin({ rng, actor: mariaUser, time: '2026-10-06T09:12:05Z', success: false, mfaUsed: true, sourceIPAddress: attackerIp, userAgent: USER_AGENTS.firefox }) },
    { note: 'failed sign-in at the MFA step', record: consoleLogin({ rng, actor: mariaUser, time: '2026-10-06T09:16:41Z', success: false, mfaUsed: true, sourceIPAddress: attackerIp, userAgent: USER_AGENTS.firefox }) },
    { note: 'failed sign-in at the MFA step', record: consoleLogin({ rng, actor: mariaUser, time: '2026-10-06T09:23:10Z', success: false, mfaUsed: true, sourceIPAddress: attackerIp, userAgent: USER_AGENTS.firefox }) },
    { note: "ci-admin's leaked access key deactivates maria.garcia's device", record: deactivateMFADevice({ rng, actor: ciAdmin, userName: 'maria.garcia', serialNumber: mfaArn(A, 'maria.garcia'), time: '2026-10-06T10:05:31Z', sourceIPAddress: attackerIp }) },
    { note: 'and deletes it', record: deleteVirtualMFADevice({ rng, actor: ciAdmin, serialNumber: mfaArn(A, 'maria.garcia'), time: '2026-10-06T10:05:58Z', sourceIPAddress: attackerIp }) },
    { note: 'successful sign-in as maria.garcia without MFA', record: consoleLogin({ rng, actor: mariaUser, time: '2026-10-06T10:09:14Z', success: true, mfaUsed: false, sourceIPAddress: attackerIp, userAgent: USER_AGENTS.firefox }) },
    {
      note: 'the intruder lists secrets from the console session',
      record: apiEvent({ rng, actor: mariaUser, consoleSession: { creationDate: '2026-10-06T10:09:14Z', mfa: false }, eventSource: 'secretsmanager.amazonaws.com', eventName: 'ListSecrets', requestParameters: { maxResults: 100 }, time: '2026-10-06T10:12:40Z', sourceIPAddress: attackerIp, userAgent: USER_AGENTS.console }),
    },
    {
      note: 'and creates an access key for maria.garcia (persistence)',
      record: apiEvent({
        rng,
        actor: mariaUser,
        consoleSession: { creationDate: '2026-10-06T10:09:14Z', mfa: false },
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
        requestParameters: { userName: 'maria.garcia' },
        responseElements: { accessKey: { userName: 'maria.garcia', accessKeyId: 'AKIA' + rng.upperAlnum(16), status: 'Active', createDate: 'Oct 6, 2026, 10:14:02 AM' } },
        time: '2026-10-06T10:14:02Z',
        sourceIPAddress: attackerIp,
        userAgent: USER_AGENTS.console,
      }),
    },
    { note: 'the responder creates a new virtual device', record: createVirtualMFADevice({ rng, actor: responder, deviceName: 'maria.garcia', time: '2026-10-07T08:28:10Z', sourceIPAddress: '203.0.113.5', userAgent: USER_AGENTS.console }) },
    { note: 'and enables it for maria.garcia', record: enableMFADevice({ rng, actor: responder, userName: 'maria.garcia', serialNumber: mfaArn(A, 'maria.garcia'), time: '2026-10-07T08:30:45Z', sourceIPAddress: '203.0.113.5', userAgent: USER_AGENTS.console }) },
    { note: 'maria.garcia signs in again, with MFA', record: consoleLogin({ rng, actor: mariaUser, time: '2026-10-07T09:02:19Z', success: true, mfaUsed: true, sourceIPAddress: '203.0.113.88', userAgent: USER_AGENTS.chrome }) },
  ];

  const federated: StoryEvent[] = [
    { note: 'SAML sign-in through Okta, MFAUsed No (MFA happens at the IdP)', record: federatedConsoleLogin({ rng, account: A, roleName: 'OktaAdmin', sessionName: 'alex.chen@example.com', time: '2026-10-05T08:55:40Z', sourceIPAddress: '203.0.113.61' }) },
  ];

  const liWei = iamUser(B, 'li.wei');
  const nearMiss: StoryEvent[] = [
    { note: 'failed at the MFA step', record: consoleLogin({ rng, actor: liWei, time: '2026-10-05T14:02:11Z', success: false, mfaUsed: true, sourceIPAddress: '203.0.113.14' }) },
    { note: 'failed at the MFA step again, 20m36s later', record: consoleLogin({ rng, actor: liWei, time: '2026-10-05T14:22:47Z', success: false, mfaUsed: true, sourceIPAddress: '203.0.113.14' }) },
    { note: 'signs in with MFA', record: consoleLogin({ rng, actor: liWei, time: '2026-10-05T14:23:30Z', success: true, mfaUsed: true, sourceIPAddress: '203.0.113.14' }) },
  ];

  const opsKim = assumedRole(B, 'PlatformAdmin', 'ops.kim', true);
  const deployBot = iamUser(B, 'deploy-bot');
  const botIp = '192.0.2.77';
  const deploy: StoryEvent[] = [
    { note: 'ops.kim creates deploy-bot', record: createUser({ rng, actor: opsKim, userName: 'deploy-bot', time: '2026-10-05T15:30:10Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
    { note: 'and gives it a console password (no MFA device, ever)', record: createLoginProfile({ rng, actor: opsKim, userName: 'deploy-bot', passwordResetRequired: false, time: '2026-10-05T15:31:02Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
    { note: 'deploy-bot signs in without MFA at night from an unknown address', record: consoleLogin({ rng, actor: deployBot, time: '2026-10-07T02:14:33Z', success: true, mfaUsed: false, sourceIPAddress: botIp, userAgent: USER_AGENTS.chrome }) },
    {
      note: 'and looks around',
      record: apiEvent({ rng, actor: deployBot, consoleSession: { creationDate: '2026-10-07T02:14:33Z', mfa: false }, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', requestParameters: { Host: 's3.us-east-1.amazonaws.com' }, time: '2026-10-07T02:16:05Z', sourceIPAddress: botIp, userAgent: USER_AGENTS.console }),
    },
  ];

  const jane: StoryEvent[] = [
    { note: 'ops.kim creates jane.doe', record: createUser({ rng, actor: opsKim, userName: 'jane.doe', time: '2026-10-06T11:00:20Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
    { note: 'gives her a password (reset required)', record: createLoginProfile({ rng, actor: opsKim, userName: 'jane.doe', passwordResetRequired: true, time: '2026-10-06T11:01:05Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
    { note: 'creates her virtual device an hour later', record: createVirtualMFADevice({ rng, actor: opsKim, deviceName: 'jane.doe', time: '2026-10-06T12:01:40Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
    { note: 'and enables it', record: enableMFADevice({ rng, actor: opsKim, userName: 'jane.doe', serialNumber: mfaArn(B, 'jane.doe'), time: '2026-10-06T12:01:52Z', sourceIPAddress: '192.0.2.44', userAgent: USER_AGENTS.console }) },
  ];

  const samUser = iamUser(B, 'sam.okafor');
  const samIp = '198.51.100.180';
  const sam: StoryEvent[] = [
    { copies: 2, note: 'failed at the MFA step; CloudTrail delivers this record in two files', record: consoleLogin({ rng, actor: samUser, region: 'eu-west-1', time: '2026-10-07T16:40:12Z', success: false, mfaUsed: true, sourceIPAddress: samIp, userAgent: USER_AGENTS.safari }) },
    { note: 'failed at the MFA step again', record: consoleLogin({ rng, actor: samUser, region: 'eu-west-1', time: '2026-10-07T16:47:30Z', success: false, mfaUsed: true, sourceIPAddress: samIp, userAgent: USER_AGENTS.safari }) },
    { note: "intern.tom's key tries to deactivate sam.okafor's device: AccessDenied", record: deactivateMFADevice({ rng, actor: iamUser(B, 'intern.tom'), userName: 'sam.okafor', serialNumber: mfaArn(B, 'sam.okafor'), errorCode: 'AccessDenied', time: '2026-10-07T17:05:09Z', sourceIPAddress: samIp }) },
  ];

  const root: StoryEvent[] = [
    { note: 'root signs in with a password only', record: consoleLogin({ rng, actor: rootUser(B), time: '2026-10-08T07:45:12Z', success: true, mfaUsed: false, sourceIPAddress: '203.0.113.200', userAgent: USER_AGENTS.chrome }) },
  ];

  // The stories below come after the first seven, so the eventIDs drawn for those stay as they were.
  const sprayIp = '203.0.113.77';
  /** A failed sign-in at the password (MFAUsed No); `hidden` as CloudTrail writes a name that does not exist. */
  const failedSignIn = (account: string, user: string, time: string, ip: string, region = 'us-east-1'): CloudTrailRecord => {
    const hidden = user === HIDDEN;
    const record = consoleLogin({ rng, actor: iamUser(account, user), region, time, success: false, mfaUsed: false, sourceIPAddress: ip, userAgent: USER_AGENTS.chrome });
    if (hidden) {
      // CloudTrail names no principal for a user that does not exist.
      const id = record.userIdentity as Record<string, unknown>;
      delete id.arn;
      delete id.principalId;
    }
    return record;
  };
  const spray: StoryEvent[] = [
    { note: 'failed password for priya.nair', record: failedSignIn(A, 'priya.nair', '2026-10-05T21:10:04Z', sprayIp) },
    { note: 'failed password for daniel.kim', record: failedSignIn(A, 'daniel.kim', '2026-10-05T21:16:40Z', sprayIp) },
    { note: "failed sign-in as 'admin', a name that does not exist: CloudTrail hides it", record: failedSignIn(A, HIDDEN, '2026-10-05T21:22:13Z', sprayIp) },
    { note: 'failed password for lena.schmidt', record: failedSignIn(A, 'lena.schmidt', '2026-10-05T21:29:51Z', sprayIp) },
    { note: "failed sign-in as 'administrator', also hidden (the same name to the count)", record: failedSignIn(A, HIDDEN, '2026-10-05T21:35:02Z', sprayIp) },
    { note: 'failed password for maria.garcia', record: failedSignIn(A, 'maria.garcia', '2026-10-05T21:41:37Z', sprayIp) },
    { note: 'failed password for terraform (a key user without a password fails the same way)', record: failedSignIn(A, 'terraform', '2026-10-05T21:52:18Z', sprayIp) },
  ];
  const sprayNearMiss: StoryEvent[] = [
    { note: 'failed password for li.wei', record: failedSignIn(B, 'li.wei', '2026-10-06T20:01:10Z', '198.51.100.91', 'eu-west-1') },
    { note: 'failed password for sam.okafor', record: failedSignIn(B, 'sam.okafor', '2026-10-06T20:09:45Z', '198.51.100.91', 'eu-west-1') },
    { note: 'failed sign-in as a name that does not exist', record: failedSignIn(B, HIDDEN, '2026-10-06T20:14:02Z', '198.51.100.91', 'eu-west-1') },
    { note: 'failed password for nina.petrova', record: failedSignIn(B, 'nina.petrova', '2026-10-06T20:22:30Z', '198.51.100.91', 'eu-west-1') },
    { note: 'another name that does not exist', record: failedSignIn(B, HIDDEN, '2026-10-06T20:31:55Z', '198.51.100.91', 'eu-west-1') },
    { note: 'failed password for intern.tom', record: failedSignIn(B, 'intern.tom', '2026-10-06T20:40:19Z', '198.51.100.91', 'eu-west-1') },
  ];

  const rootFail = (account: string, time: string, ip: string): CloudTrailRecord =>
    consoleLogin({ rng, actor: rootUser(account), time, success: false, mfaUsed: false, sourceIPAddress: ip, userAgent: USER_AGENTS.firefox });
  const rootBrute: StoryEvent[] = [
    { note: 'failed root password', record: rootFail(B, '2026-10-08T03:10:07Z', '198.51.100.66') },
    { note: 'failed root password', record: rootFail(B, '2026-10-08T03:12:44Z', '198.51.100.66') },
    { note: 'failed root password', record: rootFail(B, '2026-10-08T03:15:20Z', '198.51.100.66') },
    { note: 'failed root password', record: rootFail(B, '2026-10-08T03:19:58Z', '198.51.100.66') },
    { note: 'failed root password, the fifth in 14m51s', record: rootFail(B, '2026-10-08T03:24:58Z', '198.51.100.66') },
  ];
  const rootNearMiss: StoryEvent[] = [
    { note: 'failed root password', record: rootFail(A, '2026-10-07T22:00:31Z', '203.0.113.140') },
    { note: 'failed root password', record: rootFail(A, '2026-10-07T22:04:12Z', '203.0.113.140') },
    { note: 'failed root password', record: rootFail(A, '2026-10-07T22:09:40Z', '203.0.113.140') },
    { note: 'failed root password, the fourth: then nothing', record: rootFail(A, '2026-10-07T22:13:05Z', '203.0.113.140') },
  ];

  const internTom = iamUser(B, 'intern.tom');
  const registered: StoryEvent[] = [
    { note: "intern.tom's access key creates a virtual device named after itself", record: createVirtualMFADevice({ rng, actor: internTom, deviceName: 'intern.tom', time: '2026-10-08T10:31:22Z', sourceIPAddress: '198.51.100.180' }) },
    { note: 'and enables it for nina.petrova', record: enableMFADevice({ rng, actor: internTom, userName: 'nina.petrova', serialNumber: mfaArn(B, 'intern.tom'), time: '2026-10-08T10:32:05Z', sourceIPAddress: '198.51.100.180' }) },
    { note: 'li.wei enables a new device for himself with his own access key', record: enableMFADevice({ rng, actor: liWei, userName: 'li.wei', serialNumber: mfaArn(B, 'li.wei-2'), time: '2026-10-08T11:15:40Z', sourceIPAddress: '203.0.113.14' }) },
  ];

  return [
    {
      title: 'MFA fatigue, MFA removal and sign-in without MFA (maria.garcia, 111122223333)',
      text:
        "Someone holding maria.garcia's password fails the MFA step three times in eleven minutes, then uses the leaked access key of ci-admin " +
        "to deactivate and delete maria.garcia's virtual MFA device, signs in as her without MFA and creates an access key. The next morning " +
        'the responder (SecurityResponder/dana.ops) enrols a new device and maria.garcia signs in with MFA again.',
      events: maria,
      hits: [
        { rule: 'aws-console-login-mfa-failures', time: '2026-10-06T09:12:05Z', lastTime: '2026-10-06T09:23:10Z', count: 3, group: GROUP_USER(A, 'maria.garcia'), events: [0, 1, 2] },
        { rule: 'aws-iam-mfa-device-deactivated', time: '2026-10-06T10:05:31Z', lastTime: '2026-10-06T10:05:31Z', count: 1, group: {}, events: [3] },
        { rule: 'aws-iam-mfa-device-deactivated', time: '2026-10-06T10:05:58Z', lastTime: '2026-10-06T10:05:58Z', count: 1, group: {}, events: [4] },
        { rule: 'aws-console-login-without-mfa', time: '2026-10-06T10:09:14Z', lastTime: '2026-10-06T10:09:14Z', count: 1, group: {}, events: [5] },
        {
          rule: 'aws-iam-user-password-without-mfa',
          time: '2026-10-06T10:09:14Z',
          lastTime: '2026-10-06T10:09:14Z',
          count: 1,
          group: GROUP_STATE(A, 'maria.garcia'),
          events: [5],
          note: 'the sign-in without MFA proves a password and no device; the stretch ends at the EnableMFADevice of 2026-10-07T08:30:45Z (not part of the hit)',
        },
        {
          rule: 'aws-mfa-failures-then-login',
          time: '2026-10-06T09:12:05Z',
          lastTime: '2026-10-06T10:09:14Z',
          count: 4,
          group: GROUP_USER(A, 'maria.garcia'),
          events: [0, 1, 2, 5],
          note: 'the chain: the MFA-failure threshold was met at the second failure (09:16:41), and she signed in 52 minutes later; the hit holds the threshold hit\'s three failures and the sign-in',
        },
        {
          rule: 'aws-mfa-removed-then-login-without-mfa',
          time: '2026-10-06T10:05:31Z',
          lastTime: '2026-10-06T10:09:14Z',
          count: 2,
          group: { recipientAccountId: A, user: 'maria.garcia' },
          events: [3, 5],
          note: 'the deactivation names her in requestParameters.userName, the sign-in in userIdentity.userName: the alias user joins them. The DeleteVirtualMFADevice names only the device and is not part of it',
        },
        { rule: 'aws-iam-mfa-device-registered-for-other-user', time: '2026-10-07T08:28:10Z', lastTime: '2026-10-07T08:28:10Z', count: 1, group: {}, events: [8], note: 'the responder is a role session: a device registered for another user. Expected, and listed as the rule\'s false positive' },
        { rule: 'aws-iam-mfa-device-enabled', time: '2026-10-07T08:30:45Z', lastTime: '2026-10-07T08:30:45Z', count: 1, group: {}, events: [9] },
        { rule: 'aws-iam-mfa-device-registered-for-other-user', time: '2026-10-07T08:30:45Z', lastTime: '2026-10-07T08:30:45Z', count: 1, group: {}, events: [9] },
      ],
      quiet: [
        'the DeactivateMFADevice comes before anything tells the stateful rule that maria.garcia has a password, so it opens nothing',
        'ListSecrets, CreateAccessKey, CreateVirtualMFADevice and the sign-in with MFA fire nothing',
      ],
    },
    {
      title: 'Federated sign-in without MFA (alex.chen@example.com, 111122223333)',
      text: 'A SAML sign-in through Okta to the OktaAdmin role carries MFAUsed No: MFA happened at the identity provider.',
      events: federated,
      hits: [],
      quiet: ['aws-console-login-without-mfa must not fire: the sign-in carries SamlProviderArn and its identity is an AssumedRole'],
    },
    {
      title: 'Near miss: two MFA failures 20 minutes apart (li.wei, 444455556666)',
      text: 'li.wei fumbles a one-time code twice, twenty minutes apart, then signs in with MFA.',
      events: nearMiss,
      hits: [],
      quiet: [
        'aws-console-login-mfa-failures must not fire: the two failures are 20m36s apart, more than the 15-minute timespan',
        'aws-mfa-failures-then-login must not fire: the sign-in with MFA follows failures that never met the threshold',
      ],
    },
    {
      title: 'A console user that never gets MFA (deploy-bot, 444455556666)',
      text:
        'ops.kim (PlatformAdmin) creates the IAM user deploy-bot and gives it a console password; no MFA device is ever enabled. ' +
        'Two days later deploy-bot signs in without MFA at 02:14 from an address seen nowhere else, and lists the buckets. ' +
        'The credential report (samples/credential-report.csv) shows the same user with password_enabled true and mfa_active false.',
      events: deploy,
      hits: [
        {
          rule: 'aws-iam-user-password-without-mfa',
          time: '2026-10-05T15:31:02Z',
          lastTime: '2026-10-07T02:14:33Z',
          count: 2,
          group: GROUP_STATE(B, 'deploy-bot'),
          events: [1, 2],
          note: 'opened by CreateLoginProfile (CreateUser made the device set known and empty); still open at the end of the logs. Its actor is that of the first event: the PlatformAdmin role session of ops.kim',
        },
        { rule: 'aws-console-login-without-mfa', time: '2026-10-07T02:14:33Z', lastTime: '2026-10-07T02:14:33Z', count: 1, group: {}, events: [2] },
      ],
      quiet: ['CreateUser itself is not part of the stretch (the user has no password yet); ListBuckets is not an event the stateful rule reads'],
    },
    {
      title: 'A new user who enrols MFA an hour later (jane.doe, 444455556666)',
      text: 'ops.kim creates jane.doe with a password (reset required at first sign-in), then creates and enables her virtual MFA device an hour later.',
      events: jane,
      hits: [
        {
          rule: 'aws-iam-user-password-without-mfa',
          time: '2026-10-06T11:01:05Z',
          lastTime: '2026-10-06T11:01:05Z',
          count: 1,
          group: GROUP_STATE(B, 'jane.doe'),
          events: [1],
          note: 'a short stretch: it ends at the EnableMFADevice of 12:01:52Z, which is not part of the hit',
        },
        { rule: 'aws-iam-mfa-device-registered-for-other-user', time: '2026-10-06T12:01:40Z', lastTime: '2026-10-06T12:01:40Z', count: 1, group: {}, events: [2], note: 'an administrator (a role session) creating a device for a user: the rule\'s listed false positive' },
        { rule: 'aws-iam-mfa-device-enabled', time: '2026-10-06T12:01:52Z', lastTime: '2026-10-06T12:01:52Z', count: 1, group: {}, events: [3] },
        { rule: 'aws-iam-mfa-device-registered-for-other-user', time: '2026-10-06T12:01:52Z', lastTime: '2026-10-06T12:01:52Z', count: 1, group: {}, events: [3] },
      ],
      quiet: [],
    },
    {
      title: 'MFA failures delivered twice, then a denied deactivation (sam.okafor, 444455556666, eu-west-1)',
      text:
        "Someone fails sam.okafor's MFA step twice in seven minutes through the eu-west-1 sign-in endpoint. CloudTrail delivers the first failure " +
        "in two log files (same eventID). Then intern.tom's access key, from the same address, tries to deactivate sam.okafor's MFA device and is denied.",
      events: sam,
      hits: [
        {
          rule: 'aws-console-login-mfa-failures',
          time: '2026-10-07T16:40:12Z',
          lastTime: '2026-10-07T16:47:30Z',
          count: 2,
          group: GROUP_USER(B, 'sam.okafor'),
          events: [0, 1],
          note: 'count 2, not 3: the duplicate delivery is the same event. Without dedup the duplicate alone would make a hit',
        },
      ],
      quiet: [
        'aws-iam-mfa-device-deactivated must not fire: the DeactivateMFADevice failed with errorCode AccessDenied',
        'aws-mfa-failures-then-login must not fire: sam.okafor does not sign in after the failures',
      ],
    },
    {
      title: 'Root sign-in without MFA (444455556666)',
      text: 'The root user of 444455556666 signs in with a password only.',
      events: root,
      hits: [{ rule: 'aws-console-login-without-mfa', time: '2026-10-08T07:45:12Z', lastTime: '2026-10-08T07:45:12Z', count: 1, group: {}, events: [0] }],
      quiet: [
        'no stateful hit: the stateful rule is about IAM users, not root',
        'aws-mfa-removed-then-login-without-mfa must not fire: no MFA device was removed before it (nor before deploy-bot\'s sign-in without MFA)',
      ],
    },
    {
      title: 'Password spraying with hidden names (111122223333, us-east-1)',
      text:
        'From one address, someone tries one password against seven user names in 42 minutes. Two of the names do not exist, and CloudTrail ' +
        'writes HIDDEN_DUE_TO_SECURITY_REASONS as their user name: both count as one name. Five real names and the hidden one make six names, ' +
        'more than five.',
      events: spray,
      hits: [
        {
          rule: 'aws-console-password-spraying',
          time: '2026-10-05T21:10:04Z',
          lastTime: '2026-10-05T21:52:18Z',
          count: 8,
          group: { recipientAccountId: A, awsRegion: 'us-east-1' },
          events: [0, 1, 2, 3, 4, 5, 6],
          note: 'the two hidden names count once, so the sixth distinct name is terraform\'s, at 21:52:18, which meets the condition. Count 8: a background failure of lena.schmidt from another address (21:49:27) falls in the same hour and account and is part of the hit',
        },
      ],
      quiet: ['aws-console-login-mfa-failures must not fire: these fail at the password (MFAUsed No), not at the MFA step'],
    },
    {
      title: 'Near miss: five names in an hour (444455556666, eu-west-1)',
      text:
        'Failed sign-ins for four real users and two names that do not exist, within 40 minutes: the hidden names count as one, so the ' +
        'account sees five names, not more than five.',
      events: sprayNearMiss,
      hits: [],
      quiet: ['aws-console-password-spraying must not fire: five distinct names (li.wei, sam.okafor, nina.petrova, intern.tom, and HIDDEN_DUE_TO_SECURITY_REASONS once)'],
    },
    {
      title: 'Root password guessing (444455556666)',
      text: 'Five failed root sign-ins from one address within 14 minutes 51 seconds.',
      events: rootBrute,
      hits: [
        {
          rule: 'aws-root-console-login-failures',
          time: '2026-10-08T03:10:07Z',
          lastTime: '2026-10-08T03:24:58Z',
          count: 5,
          group: { recipientAccountId: B },
          events: [0, 1, 2, 3, 4],
        },
      ],
      quiet: ['aws-console-password-spraying must not fire: the root sign-ins carry no user name and are not counted as names'],
    },
    {
      title: 'Near miss: four failed root sign-ins (111122223333)',
      text: 'Four failed root sign-ins within 13 minutes, then nothing.',
      events: rootNearMiss,
      hits: [],
      quiet: ['aws-root-console-login-failures must not fire: four failures, not five'],
    },
    {
      title: 'An MFA device registered on someone else (nina.petrova, 444455556666)',
      text:
        "intern.tom's access key creates a virtual MFA device and enables it for nina.petrova: whoever holds the key can now answer " +
        "nina.petrova's MFA prompts. Later li.wei enables a second device for himself, with his own key.",
      events: registered,
      hits: [
        { rule: 'aws-iam-mfa-device-enabled', time: '2026-10-08T10:32:05Z', lastTime: '2026-10-08T10:32:05Z', count: 1, group: {}, events: [1] },
        { rule: 'aws-iam-mfa-device-registered-for-other-user', time: '2026-10-08T10:32:05Z', lastTime: '2026-10-08T10:32:05Z', count: 1, group: {}, events: [1], note: 'the caller intern.tom is not the user the device is enabled for' },
        { rule: 'aws-iam-mfa-device-enabled', time: '2026-10-08T11:15:40Z', lastTime: '2026-10-08T11:15:40Z', count: 1, group: {}, events: [2] },
      ],
      quiet: [
        'aws-iam-mfa-device-registered-for-other-user must not fire on the CreateVirtualMFADevice: an IAM user with a long-term key creating a device named after itself',
        "aws-iam-mfa-device-registered-for-other-user must not fire on li.wei's EnableMFADevice: he enables his own device with his own long-term key",
      ],
    },
  ];
}

/** The user name CloudTrail writes for a sign-in as a name that does not exist. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/* ------------------------------------------------------ credential report */

const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function reportRow(user: string, arn: string, created: string, password: string, lastUsed: string, changed: string, mfa: boolean, key1?: { rotated: string; used: string; region: string; service: string }): string {
  const na = 'N/A';
  const k = key1 ? ['true', key1.rotated, key1.used, key1.region, key1.service] : ['false', na, na, na, na];
  return [user, arn, created, password, lastUsed, changed, password === 'true' ? na : password === 'not_supported' ? 'not_supported' : na, String(mfa), ...k, 'false', na, na, na, na, 'false', na, 'false', na].join(',');
}

/** The IAM credential report of 444455556666, as of 2026-10-08T12:00Z. */
export function credentialReport(): string {
  const arn = (u: string): string => `arn:aws:iam::${B}:user/${u}`;
  const rows = [
    reportRow('<root_account>', `arn:aws:iam::${B}:root`, '2019-03-12T09:15:31+00:00', 'not_supported', '2026-10-08T07:45:12+00:00', 'not_supported', false),
    reportRow('deploy-bot', arn('deploy-bot'), '2026-10-05T15:30:10+00:00', 'true', '2026-10-07T02:14:33+00:00', '2026-10-05T15:31:02+00:00', false),
    reportRow('intern.tom', arn('intern.tom'), '2026-06-02T10:11:12+00:00', 'false', 'N/A', 'N/A', false, { rotated: '2026-06-02T10:15:40+00:00', used: '2026-10-07T17:05:00+00:00', region: 'us-east-1', service: 'iam' }),
    reportRow('jane.doe', arn('jane.doe'), '2026-10-06T11:00:20+00:00', 'true', 'no_information', '2026-10-06T11:01:05+00:00', true),
    reportRow('li.wei', arn('li.wei'), '2024-02-19T08:30:00+00:00', 'true', '2026-10-08T09:41:00+00:00', '2026-04-19T08:31:55+00:00', true),
    reportRow('nina.petrova', arn('nina.petrova'), '2025-07-01T12:00:03+00:00', 'true', '2026-10-08T10:02:00+00:00', '2026-07-01T12:04:10+00:00', true),
    reportRow('sam.okafor', arn('sam.okafor'), '2023-11-07T16:20:44+00:00', 'true', '2026-10-06T15:10:00+00:00', '2026-05-07T16:22:01+00:00', true),
    reportRow('svc-backup', arn('svc-backup'), '2022-01-10T07:00:00+00:00', 'false', 'N/A', 'N/A', false, { rotated: '2026-01-10T07:05:00+00:00', used: '2026-10-08T03:00:00+00:00', region: 'eu-west-1', service: 's3' }),
  ];
  return [REPORT_HEADER, ...rows].join('\n') + '\n';
}

/* ------------------------------------------------------------------ write */

export interface SamplesSummary {
  logObjects: number;
  digestObjects: number;
  records: number;
  bytes: number;
}

/** Deletes and rewrites the generated content of `outDir`. */
export function makeSamples(outDir: string): SamplesSummary {
  const all = stories();
  const planted: Planted[] = all.flatMap((s) => s.events.map((e) => ({ record: e.record, ...(e.copies !== undefined ? { copies: e.copies } : {}) })));
  rmSync(join(outDir, 'AWSLogs'), { recursive: true, force: true });
  const keysOf = new Map<string, string[]>();
  const summary: SamplesSummary = { logObjects: 0, digestObjects: 0, records: 0, bytes: 0 };
  const corpus = generateCorpus({
    seed: SEED,
    accounts: [ACCOUNT_A, ACCOUNT_B],
    regions: ['us-east-1', 'eu-west-1'],
    start: START,
    days: DAYS,
    filesPerHour,
    recordsPerFile: [2, 5],
    planted,
    digests: (account, region) => account === B && region === 'us-east-1',
    trailName: 'org-security-trail',
    bucket: 'acme-cloudtrail-archive',
  });
  for (const o of corpus) {
    const path = join(outDir, o.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.body);
    for (const id of o.planted) keysOf.set(id, [...(keysOf.get(id) ?? []), o.key]);
    if (o.kind === 'log') summary.logObjects++;
    else summary.digestObjects++;
    summary.records += o.records;
    summary.bytes += o.body.length;
  }
  const report = credentialReport();
  writeFileSync(join(outDir, 'credential-report.csv'), report);
  writeFileSync(join(outDir, 'INCIDENTS.md'), incidentsMarkdown(all, keysOf, summary));
  summary.bytes += report.length;
  return summary;
}

/** As the hunt's EventView reads it: userName, else the ARN, principal id or identity type. */
function actorOf(r: CloudTrailRecord): string {
  const id = r.userIdentity as Record<string, unknown>;
  return String(id.userName ?? id.arn ?? id.principalId ?? id.type);
}

function incidentsMarkdown(all: Story[], keysOf: Map<string, string[]>, summary: SamplesSummary): string {
  const out: string[] = [];
  out.push('# Planted incidents in samples/');
  out.push('');
  out.push('Generated by `scripts/make-samples.ts` (`npm run samples`); do not edit by hand.');
  out.push('');
  out.push(
    `The corpus covers ${START} to 2026-10-08 (UTC; late deliveries reach 2026-10-09) for two accounts in us-east-1 and eu-west-1: ` +
      `${A} under the organization trail prefix \`AWSLogs/${ORG_ID}/${A}/\`, and ${B} under \`AWSLogs/${B}/\`, ` +
      `whose us-east-1 trail also writes hourly digests to \`CloudTrail-Digest/\`. ` +
      `${summary.logObjects} log objects, ${summary.digestObjects} digest objects, ${summary.records} records. ` +
      'Background noise (AssumeRole, S3 data events, Describe/List/Get calls including ListMFADevices and GetLoginProfile, ' +
      'console sign-ins with MFA, sign-ins that fail at the password, rare IAM role changes) fires no rule.',
  );
  out.push('');
  out.push('Key paths below are relative to `samples/`. Times are `eventTime`, UTC.');
  const hits: { h: ExpectedHit; s: Story }[] = [];
  for (const s of all) {
    out.push('');
    out.push(`## ${s.title}`);
    out.push('');
    out.push(s.text);
    out.push('');
    out.push('Events:');
    out.push('');
    s.events.forEach((e, i) => {
      const r = e.record;
      const err = r.errorCode !== undefined ? ` errorCode ${String(r.errorCode)}` : '';
      out.push(`${i + 1}. ${String(r.eventTime)} ${String(r.eventName)} by ${actorOf(r)} in ${String(r.recipientAccountId)}/${String(r.awsRegion)} from ${String(r.sourceIPAddress)}${err}: ${e.note}.`);
      out.push(`   eventID \`${String(r.eventID)}\``);
      for (const k of keysOf.get(String(r.eventID)) ?? []) out.push(`   in \`${k}\``);
    });
    out.push('');
    if (s.hits.length === 0) out.push('Expected hits: none.');
    else {
      out.push('Expected hits:');
      out.push('');
      for (const h of s.hits) {
        const first = s.events[h.events[0]!]!.record;
        out.push(`- \`${h.rule}\`: time ${h.time}, lastTime ${h.lastTime}, count ${h.count}, account ${String(first.recipientAccountId)}, region ${String(first.awsRegion)}, actor ${actorOf(first)}, group \`${JSON.stringify(h.group)}\`, eventIDs of events ${h.events.map((i) => i + 1).join(', ')}.${h.note ? ` ${h.note[0]!.toUpperCase()}${h.note.slice(1)}.` : ''}`);
        hits.push({ h, s });
      }
    }
    for (const q of s.quiet) out.push(`- Quiet: ${q}.`);
  }
  out.push('');
  out.push('## Credential report (`credential-report.csv`, account 444455556666)');
  out.push('');
  out.push('- `<root_account>`: mfa_active false: the one `aws-root-account-mfa` hit, group `{"user":"<root_account>","arn":"arn:aws:iam::444455556666:root"}`, account 444455556666, time and lastTime null, count 1 (its password_enabled reads `not_supported`, so `aws-iam-user-mfa` does not see it).');
  out.push('- deploy-bot: password, no MFA: the one `aws-iam-user-mfa` hit, group `{"user":"deploy-bot","arn":"arn:aws:iam::444455556666:user/deploy-bot"}`, account 444455556666, time and lastTime null, count 1.');
  out.push('- jane.doe, li.wei, nina.petrova, sam.okafor: password and MFA, no finding.');
  out.push('- intern.tom, svc-backup: access keys only (no password, no MFA), no finding.');
  out.push('');
  out.push('## All expected hits of `hunt --source samples --credential-report samples/credential-report.csv`, in output order');
  out.push('');
  const ruleOrder = (a: { h: ExpectedHit }, b: { h: ExpectedHit }): number => (a.h.time ?? '').localeCompare(b.h.time ?? '') || a.h.rule.localeCompare(b.h.rule);
  hits.sort(ruleOrder);
  out.push('| # | time | rule | count | account | actor | eventIDs |');
  out.push('|---|---|---|---|---|---|---|');
  hits.forEach(({ h, s }, i) => {
    const ids = h.events.map((e) => `\`${String(s.events[e]!.record.eventID)}\``).join(' ');
    const first = s.events[h.events[0]!]!.record;
    out.push(`| ${i + 1} | ${h.time} | ${h.rule} | ${h.count} | ${String(first.recipientAccountId)} | ${actorOf(first)} | ${ids} |`);
  });
  out.push(`| ${hits.length + 1} | (null) | aws-iam-user-mfa | 1 | 444455556666 | deploy-bot | (none) |`);
  out.push(`| ${hits.length + 2} | (null) | aws-root-account-mfa | 1 | 444455556666 | <root_account> | (none) |`);
  out.push('');
  const byRule = new Map<string, number>();
  for (const { h } of hits) byRule.set(h.rule, (byRule.get(h.rule) ?? 0) + 1);
  byRule.set('aws-iam-user-mfa', 1);
  byRule.set('aws-root-account-mfa', 1);
  out.push('Per rule: ' + [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${r} ${n}`).join(', ') + '.');
  out.push('');
  return out.join('\n');
}

function main(): void {
  const outDir = resolve(process.argv[2] ?? 'samples');
  const s = makeSamples(outDir);
  process.stderr.write(`samples: ${s.logObjects} log and ${s.digestObjects} digest objects, ${s.records} records, ${s.bytes} bytes in ${outDir}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
