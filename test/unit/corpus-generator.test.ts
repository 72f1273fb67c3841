import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CorpusConfig,
  type CorpusObject,
  DIGEST_KEY_RE,
  LOG_KEY_RE,
  consoleLogin,
  createLoginProfile,
  createRng,
  createUser,
  deactivateMFADevice,
  deleteLoginProfile,
  deleteUser,
  deleteVirtualMFADevice,
  enableMFADevice,
  federatedConsoleLogin,
  generateCorpus,
  iamUser,
  mfaArn,
  rootUser,
  assumedRole,
} from '../../scripts/corpus.js';

const A = '111122223333';
const B = '444455556666';

const small: CorpusConfig = {
  seed: 42,
  accounts: [A, B],
  regions: ['us-east-1', 'eu-west-1'],
  start: '2026-10-05',
  days: 1,
  organizationId: 'o-abcdefgh12',
  filesPerHour: 2,
  recordsPerFile: [5, 15],
  digests: true,
};

const all = (cfg: CorpusConfig): CorpusObject[] => [...generateCorpus(cfg)];
const recordsOf = (o: CorpusObject): Record<string, unknown>[] => (JSON.parse(gunzipSync(o.body).toString()) as { Records: Record<string, unknown>[] }).Records;
const deliveredMs = (key: string): number => {
  const d = LOG_KEY_RE.exec(key)![7]!;
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13));
};

describe('generateCorpus', () => {
  const objects = all(small);
  const logs = objects.filter((o) => o.kind === 'log');
  const digests = objects.filter((o) => o.kind === 'digest');

  it('gives the same keys and bytes for the same seed', () => {
    const again = all(small);
    expect(again.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    again.forEach((o, i) => expect(o.body.equals(objects[i]!.body)).toBe(true));
  });

  it('gives other keys and events for another seed', () => {
    const other = all({ ...small, seed: 43 });
    expect(other.map((o) => o.key)).not.toEqual(objects.map((o) => o.key));
  });

  it('writes keys in the CloudTrail layout, under the organization prefix when there is one', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const o of logs) {
      expect(o.key).toMatch(LOG_KEY_RE);
      expect(o.key.startsWith('AWSLogs/o-abcdefgh12/')).toBe(true);
    }
    const plain = all({ ...small, organizationId: undefined, digests: false }).map((o) => o.key);
    for (const k of plain) expect(k).toMatch(/^AWSLogs\/\d{12}\/CloudTrail\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
  });

  it('starts the body and every record with eventVersion 1.08 or 1.09', () => {
    for (const o of logs) {
      const text = gunzipSync(o.body).toString();
      expect(text.startsWith('{"Records":[{"eventVersion":"1.0')).toBe(true);
      const records = recordsOf(o);
      expect(text.split('{"eventVersion":').length - 1).toBe(records.length);
      for (const r of records) expect(JSON.stringify(r)).toMatch(/^\{"eventVersion":"1\.0[89]",/);
    }
  });

  it('writes records of realistic size', () => {
    const sizes = logs.flatMap((o) => recordsOf(o).map((r) => JSON.stringify(r).length));
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(1200);
    expect(mean).toBeLessThan(1800);
    expect(Math.min(...sizes)).toBeGreaterThan(800);
    expect(Math.max(...sizes)).toBeLessThan(2600);
  });

  it('keeps each file in its stream, its events older than its delivery by at most 15 minutes', () => {
    for (const o of logs) {
      const m = LOG_KEY_RE.exec(o.key)!;
      const delivered = deliveredMs(o.key);
      for (const r of recordsOf(o)) {
        const t = Date.parse(r.eventTime as string);
        expect(t).toBeLessThan(delivered);
        expect(delivered - t).toBeLessThanOrEqual(15 * 60_000);
        expect(r.recipientAccountId).toBe(m[2]);
        expect(r.awsRegion).toBe(m[3]);
        expect(r.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    }
  });

  it('writes digests without Records that list the log files by hash', () => {
    expect(digests.length).toBeGreaterThan(0);
    const byKey = new Map(logs.map((o) => [o.key, o]));
    let listed = 0;
    for (const d of digests) {
      expect(d.key).toMatch(DIGEST_KEY_RE);
      const doc = JSON.parse(gunzipSync(d.body).toString()) as Record<string, unknown>;
      expect(doc).not.toHaveProperty('Records');
      expect(doc).toMatchObject({ digestSignatureAlgorithm: 'SHA256withRSA' });
      expect(doc.awsAccountId).toMatch(/^\d{12}$/);
      expect(typeof doc.digestStartTime).toBe('string');
      for (const f of doc.logFiles as { s3Object: string; hashValue: string }[]) {
        const log = byKey.get(f.s3Object)!;
        expect(log).toBeDefined();
        expect(f.hashValue).toBe(createHash('sha256').update(gunzipSync(log.body)).digest('hex'));
        listed++;
      }
    }
    // Every non-empty log file is in exactly one digest.
    expect(listed).toBe(logs.filter((o) => o.records > 0).length);
  });

  it('mixes in decoys that name MFA devices and login profiles', () => {
    const names = new Set(
      all({ ...small, accounts: [A], regions: ['us-east-1'], filesPerHour: 6, recordsPerFile: 40, digests: false }).flatMap((o) => recordsOf(o).map((r) => r.eventName)),
    );
    for (const n of ['AssumeRole', 'GetObject', 'PutObject', 'ListMFADevices', 'GetLoginProfile', 'ConsoleLogin']) expect(names).toContain(n);
    for (const n of ['EnableMFADevice', 'DeactivateMFADevice', 'CreateLoginProfile', 'CreateUser']) expect(names).not.toContain(n);
  });

  it('plants records, twice when asked, into files of their own stream', () => {
    const failure = consoleLogin({ actor: iamUser(B, 'sam.okafor'), time: '2026-10-05T16:40:12Z', region: 'eu-west-1', success: false, mfaUsed: true });
    const enable = enableMFADevice({ actor: iamUser(A, 'admin'), userName: 'bob', time: '2026-10-05T03:07:00Z' });
    const out = all({ ...small, planted: [{ record: failure, copies: 2 }, { record: enable }] });
    const holders = (id: unknown): string[] => out.filter((o) => o.planted.includes(String(id))).map((o) => o.key);
    expect(holders(failure.eventID)).toHaveLength(2);
    expect(holders(enable.eventID)).toHaveLength(1);
    for (const k of holders(failure.eventID)) {
      expect(k).toContain(`/${B}/CloudTrail/eu-west-1/2026/10/05/`);
      const o = out.find((x) => x.key === k)!;
      expect(recordsOf(o).filter((r) => r.eventID === failure.eventID)).toEqual([failure]);
    }
    expect(() => all({ ...small, planted: [{ record: consoleLogin({ actor: rootUser('999999999999'), time: '2026-10-05T01:00:00Z' }) }] })).toThrow(/does not cover/);
  });
});

describe('event builders', () => {
  it('builds a failed MFA console sign-in as CloudTrail records it', () => {
    const r = consoleLogin({ actor: iamUser(A, 'alice'), time: '2026-10-05T10:00:00Z', success: false, mfaUsed: true });
    expect(Object.keys(r)[0]).toBe('eventVersion');
    expect(r).toMatchObject({
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { MobileVersion: 'No', MFAUsed: 'Yes', MFAIdentifier: mfaArn(A, 'alice') },
      userIdentity: { type: 'IAMUser', userName: 'alice', accountId: A },
      recipientAccountId: A,
    });
    expect(r).not.toHaveProperty('errorCode');
  });

  it('builds sign-ins without MFA: IAM user, root, missing MFAUsed, federated', () => {
    const user = consoleLogin({ actor: iamUser(A, 'bob'), time: '2026-10-05T10:00:00Z' });
    expect(user.additionalEventData).toEqual(expect.objectContaining({ MFAUsed: 'No' }));
    expect(user.additionalEventData).not.toHaveProperty('MFAIdentifier');
    expect(consoleLogin({ actor: rootUser(A), time: '2026-10-05T10:00:00Z' }).userIdentity).toMatchObject({ type: 'Root', arn: `arn:aws:iam::${A}:root` });
    expect(consoleLogin({ actor: iamUser(A, 'bob'), time: '2026-10-05T10:00:00Z', mfaUsed: null }).additionalEventData).not.toHaveProperty('MFAUsed');
    const fed = federatedConsoleLogin({ account: A, roleName: 'OktaAdmin', sessionName: 'c@example.com', time: '2026-10-05T10:00:00Z' });
    expect(fed).toMatchObject({ userIdentity: { type: 'AssumedRole' }, additionalEventData: { MFAUsed: 'No', SamlProviderArn: `arn:aws:iam::${A}:saml-provider/Okta` } });
  });

  it('builds IAM changes, with errorCode and no responseElements when they fail', () => {
    const admin = assumedRole(A, 'Admin', 'ops', true);
    const t = '2026-10-05T10:00:00Z';
    const built = [
      createUser({ actor: admin, userName: 'u', time: t }),
      createLoginProfile({ actor: admin, userName: 'u', time: t }),
      deleteLoginProfile({ actor: admin, userName: 'u', time: t }),
      enableMFADevice({ actor: admin, userName: 'u', time: t }),
      deactivateMFADevice({ actor: admin, userName: 'u', time: t }),
      deleteVirtualMFADevice({ actor: admin, serialNumber: mfaArn(A, 'u'), time: t }),
      deleteUser({ actor: admin, userName: 'u', time: t }),
    ];
    expect(built.map((r) => r.eventName)).toEqual(['CreateUser', 'CreateLoginProfile', 'DeleteLoginProfile', 'EnableMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice', 'DeleteUser']);
    for (const r of built) expect(r).toMatchObject({ eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', recipientAccountId: A, eventType: 'AwsApiCall' });
    expect(built[3]!.requestParameters).toEqual({ userName: 'u', serialNumber: mfaArn(A, 'u') });
    expect(new Set(built.map((r) => r.eventID)).size).toBe(built.length);

    const denied = deactivateMFADevice({ actor: iamUser(A, 'intern'), userName: 'u', time: t, errorCode: 'AccessDenied' });
    expect(denied).toMatchObject({ errorCode: 'AccessDenied', responseElements: null });
    expect(String(denied.errorMessage)).toContain('iam:DeactivateMFADevice');
    // Without userName the call acts on its caller.
    expect(createLoginProfile({ actor: iamUser(A, 'self'), time: t }).requestParameters).toEqual({ passwordResetRequired: false });
  });

  it('derives ids from the content without an Rng, and draws them from it with one', () => {
    const o = { actor: iamUser(A, 'alice'), time: '2026-10-05T10:00:00Z' };
    expect(consoleLogin(o).eventID).toBe(consoleLogin(o).eventID);
    expect(consoleLogin({ ...o, time: '2026-10-05T10:00:01Z' }).eventID).not.toBe(consoleLogin(o).eventID);
    expect(consoleLogin({ ...o, rng: createRng(1) })).toEqual(consoleLogin({ ...o, rng: createRng(1) }));
    expect(consoleLogin({ ...o, eventID: 'fixed' }).eventID).toBe('fixed');
  });
});
