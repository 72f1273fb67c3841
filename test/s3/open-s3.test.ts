// Fetching objects in a worker, and what a person reads when it fails:
// a real server, with a proxy in front of it that answers S3 errors.

import type { S3Client } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/options.js';
import { MAX_ATTEMPTS } from '../../src/aws.js';
import { MAX_OBJECT_BYTES } from '../../src/stores/store.js';
import type { Listed } from '../../src/stores/store.js';
import { makeS3Client, openS3Object as openWith, S3Source } from '../../src/stores/s3.js';

const openS3Object = (client: S3Client, ref: { bucket: string; key: string; size: number }, maxBytes = MAX_OBJECT_BYTES) =>
  openWith(client, ref, maxBytes);
import { shortestRetryWaits, startFaultProxy, startS3Server, type FaultProxy, type S3TestServer } from '../helpers/s3-server.js';

const BUCKET = 'trail';
const DAY = 'AWSLogs/123456789012/CloudTrail/us-east-1/2026/10/05/';
const KEY = `${DAY}123456789012_CloudTrail_us-east-1_20261005T1200Z_abc.json.gz`;
const OTHER_DAY = 'AWSLogs/123456789012/CloudTrail/us-east-1/2026/10/06/';
const BODY = gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: 'e1' }] }));

let server: S3TestServer;
let proxy: FaultProxy;
let direct: S3Client;
let viaProxy: S3Client;
let restoreRetryWaits: (() => void) | undefined;

beforeAll(async () => {
  // The throttling tests go through the SDK's own retries, without its random waits of up to 8 s.
  restoreRetryWaits = shortestRetryWaits();
  server = await startS3Server();
  await server.put(BUCKET, KEY, BODY);
  await server.put(BUCKET, `${OTHER_DAY}123456789012_CloudTrail_us-east-1_20261006T1200Z_def.json.gz`, BODY);
  proxy = await startFaultProxy(server.endpoint);
  direct = makeS3Client({ endpointUrl: server.endpoint });
  viaProxy = makeS3Client({ endpointUrl: proxy.endpoint });
}, 30_000);

afterEach(() => proxy.clear());

afterAll(async () => {
  restoreRetryWaits?.();
  direct?.destroy();
  viaProxy?.destroy();
  await proxy?.stop();
  await server?.stop();
});

const ref = (key: string, size = BODY.length) => ({ bucket: BUCKET, key, size });

describe('openS3Object', () => {
  it('returns the stored bytes as they are (gzip included) and the requests', async () => {
    const opened = await openS3Object(direct, ref(KEY));
    expect(Buffer.from(opened.bytes).equals(BODY)).toBe(true);
    expect(opened.requests).toBe(1);
  });

  it('says an object deleted after listing no longer exists', async () => {
    await expect(openS3Object(direct, ref(`${DAY}gone.json.gz`))).rejects.toEqual({
      code: 'unreadable',
      message: 'no longer exists (deleted after it was listed?)',
      requests: 1,
    });
  });

  it('refuses objects over the size guard, by their listed size or by their body', async () => {
    await expect(openS3Object(direct, ref(KEY, 10 * 1048576), 1048576)).rejects.toMatchObject({ code: 'too-large' });
    await expect(openS3Object(direct, ref(KEY, 10), 16)).rejects.toMatchObject({ code: 'too-large', message: 'over 0 MiB' });
  });

  it('survives a few 503 SlowDown answers through the SDK retry strategy', async () => {
    proxy.fail('abc.json.gz', 2, 503, 'SlowDown');
    const opened = await openS3Object(viaProxy, ref(KEY));
    expect(Buffer.from(opened.bytes).equals(BODY)).toBe(true);
    expect(opened.requests).toBe(3);
  }, 30_000);

  it('gives up after the last attempt when S3 keeps throttling', async () => {
    proxy.fail('abc.json.gz', 100, 503, 'SlowDown');
    await expect(openS3Object(viaProxy, ref(KEY))).rejects.toEqual({
      code: 'unreadable',
      message: `S3 kept throttling (503 SlowDown) after ${MAX_ATTEMPTS} attempts`,
      requests: MAX_ATTEMPTS,
    });
    proxy.clear();
  }, 60_000);

  it('says access denied', async () => {
    proxy.fail('abc.json.gz', 1, 403, 'AccessDenied');
    await expect(openS3Object(viaProxy, ref(KEY))).rejects.toEqual({ code: 'unreadable', message: 'access denied', requests: 1 });
  });
});

describe('S3Source through faults', () => {
  const scope: Scope = {
    sinceMs: Date.parse('2026-10-05T00:00:00Z'),
    untilMs: Date.parse('2026-10-07T00:00:00Z'),
    accounts: [],
    regions: [],
  };

  async function listAll(source: S3Source): Promise<Listed[]> {
    const listed: Listed[] = [];
    for await (const entry of source.list(scope)) listed.push(entry);
    return listed;
  }

  it('reports a day folder it may not list as unlistable and goes on', async () => {
    proxy.fail(encodeURIComponent(DAY), 1, 403, 'AccessDenied');
    const source = await S3Source.open(`s3://${BUCKET}/AWSLogs/`, { endpointUrl: proxy.endpoint }, { client: viaProxy });
    const listed = await listAll(source);
    expect(listed).toContainEqual({ type: 'unlistable', reference: `s3://${BUCKET}/${DAY}`, message: 'access denied' });
    expect(listed.filter((e) => e.type === 'object')).toHaveLength(1);
  });

  it('retries a throttled LIST', async () => {
    proxy.fail(encodeURIComponent(OTHER_DAY), 2, 503, 'SlowDown');
    const source = await S3Source.open(`s3://${BUCKET}/AWSLogs/`, { endpointUrl: proxy.endpoint }, { client: viaProxy });
    expect((await listAll(source)).filter((e) => e.type === 'object')).toHaveLength(2);
  }, 30_000);

  it('makes access denied on the bucket a usage error naming the permission and --profile', async () => {
    proxy.fail(`/${BUCKET}/?list-type=2`, 1, 403, 'AccessDenied');
    await expect(S3Source.open(`s3://${BUCKET}`, { endpointUrl: proxy.endpoint }, { client: viaProxy })).rejects.toThrow(
      `--source s3://${BUCKET}: cannot list bucket ${BUCKET}: access denied; the credentials need s3:ListBucket on arn:aws:s3:::${BUCKET} and s3:GetObject on its objects; pick others with --profile`,
    );
  });
});
