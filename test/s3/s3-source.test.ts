// The S3 source against a real S3-compatible server, through the real SDK
// client: pruned listing by time, account and region, from any prefix.

import type { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {isLogFileName, isNonLogService, mayHoldEvents, placeOf } from '../../src/stores/cloudtrail-key.js';
import type { Scope } from '../../src/options.js';

import { makeS3Client, parseS3Url, S3Source, type S3SourceOptions } from '../../src/stores/s3.js';
import type { Listed } from '../../src/stores/store.js';
import { S3RVER_KEY, shortestRetryWaits, startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const BUCKET = 'org-trail';
const ORG = 'o-abcde12345';
const ORG_ACCOUNTS = ['111111111111', '222222222222'];
const PLAIN_ACCOUNT = '333333333333';
const ACCOUNTS = [...ORG_ACCOUNTS, PLAIN_ACCOUNT];
const REGIONS = ['eu-west-1', 'us-east-1'];
const DAYS = 20; // 2026-10-01 .. 2026-10-20
const TIMES = ['0005', '0600', '1200', '2355'];

const all: Scope = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };
const scope = (since: string, until: string, more: Partial<Scope> = {}): Scope => ({
  ...all,
  sinceMs: Date.parse(since),
  untilMs: Date.parse(until),
  ...more,
});

function accountFolder(account: string): string {
  return ORG_ACCOUNTS.includes(account) ? `AWSLogs/${ORG}/${account}/` : `AWSLogs/${account}/`;
}

function logKey(account: string, region: string, day: number, hhmm: string, service = 'CloudTrail'): string {
  const d = `2026/10/${String(day).padStart(2, '0')}`;
  const stamp = `202610${String(day).padStart(2, '0')}T${hhmm}Z`;
  return `${accountFolder(account)}${service}/${region}/${d}/${account}_${service}_${region}_${stamp}_x${hhmm}.json.gz`;
}

const corpus: string[] = [];
for (const account of ACCOUNTS) {
  for (const region of REGIONS) {
    for (let day = 1; day <= DAYS; day++) for (const t of TIMES) corpus.push(logKey(account, region, day, t));
    corpus.push(logKey(account, region, 5, '0015', 'CloudTrail-Digest'));
    corpus.push(logKey(account, region, 5, '0015', 'CloudTrail-Insight'));
  }
  corpus.push(`${accountFolder(account)}vpcflowlogs/us-east-1/2026/10/05/flow.log.gz`);
}
const extras = [
  `${accountFolder(PLAIN_ACCOUNT)}CloudTrail/us-east-1/2026/10/05/notes.txt`,
  'exports/loose-events.json',
  'exports/deeper/more.json.gz',
  'README.txt',
];
corpus.push(...extras);

/** What a listing must yield as objects: every log key under the prefix whose place can hold events of the scope. */
function expected(prefix: string, s: Scope): string[] {
  return corpus
    .filter((key) => key.startsWith(prefix))
    .filter((key) => {
      const place = placeOf(key.split('/'), true);
      if (place && isNonLogService(place)) return false;
      if (!isLogFileName(key)) return false;
      return !place || mayHoldEvents(place, s);
    })
    .sort();
}

let server: S3TestServer;
let client: S3Client;
/** Every ListObjectsV2 the source sent, as `Prefix|StartAfter`. */
let lists: string[] = [];
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = await startS3Server();
  const body = gzipSync('{"Records":[]}');
  await server.putAll(BUCKET, corpus.map((key): [string, Uint8Array] => [key, body]));
  client = makeS3Client({ endpointUrl: server.endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') {
        const input = args.input as { Prefix?: string; StartAfter?: string };
        lists.push(`${input.Prefix ?? ''}|${input.StartAfter ?? ''}`);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordLists' },
  );
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

async function hunt(url: string, s: Scope, options: S3SourceOptions = {}) {
  lists = [];
  const source = await S3Source.open(url, { endpointUrl: server.endpoint }, { client, ...options });
  const listed: Listed[] = [];
  for await (const entry of source.list(s)) listed.push(entry);
  const objects = listed.flatMap((e) => (e.type === 'object' ? [e.ref.reference.slice(`s3://${BUCKET}/`.length)] : []));
  const skipped = listed.flatMap((e) => (e.type === 'skipped' ? [`${e.reason}${e.folder ? ' folder' : ''} ${e.reference}`] : []));
  return { source, listed, objects, skipped, lists: [...lists] };
}

describe('S3Source listing', () => {
  it('lists every log object of the bucket, in key order, skipping digest, insight and other services unlisted', async () => {
    const run = await hunt(`s3://${BUCKET}`, all);
    expect(run.objects).toEqual(expected('', all));
    expect(run.objects).toHaveLength(ACCOUNTS.length * REGIONS.length * DAYS * TIMES.length + 2);
    expect(run.listed.every((e) => e.type !== 'object' || e.ref.size > 0)).toBe(true);
    for (const account of ACCOUNTS) {
      expect(run.skipped).toContain(`digest folder s3://${BUCKET}/${accountFolder(account)}CloudTrail-Digest/`);
      expect(run.skipped).toContain(`insight folder s3://${BUCKET}/${accountFolder(account)}CloudTrail-Insight/`);
      expect(run.skipped).toContain(`other-service folder s3://${BUCKET}/${accountFolder(account)}vpcflowlogs/`);
    }
    expect(run.skipped).toContain(`not-a-log s3://${BUCKET}/README.txt`);
    expect(run.skipped).toContain(`not-a-log s3://${BUCKET}/${accountFolder(PLAIN_ACCOUNT)}CloudTrail/us-east-1/2026/10/05/notes.txt`);
    expect(run.lists.filter((l) => /Digest|Insight|vpcflowlogs/.test(l))).toEqual([]);
    // Never a flat listing of the bucket: every LIST is of one folder.
    expect(run.source.listRequests).toBe(run.lists.length);
  });

  it('lists only the day folders of a narrow window, each whole, and judges every key in them', async () => {
    // Margin 2 h: files delivered from 10-10 08:00 up to (not including) 10-11 12:00.
    const s = scope('2026-10-10T10:00:00Z', '2026-10-11T10:00:00Z');
    const run = await hunt(`s3://${BUCKET}`, s);
    expect(run.objects).toEqual(expected('', s));
    // 4 files per account and region, and the 2 keys outside the layout (no time to prune them by).
    expect(run.objects).toHaveLength(ACCOUNTS.length * REGIONS.length * 4 + 2);
    expect(run.objects.filter((k) => k.includes('T0005Z') && k.includes('/10/10/'))).toEqual([]);
    // Probe, root, exports/ and exports/deeper/, AWSLogs/, the org, 3 accounts, 3 CloudTrail/ folders,
    // then 2 days × 2 regions × 3 accounts.
    const days = run.lists.filter((l) => /\/\d{4}\/\d{2}\/\d{2}\/\|/.test(l));
    expect(days).toHaveLength(2 * REGIONS.length * ACCOUNTS.length);
    expect(run.source.listRequests).toBe(1 + 1 + 2 + 1 + 1 + 3 + 3 + days.length);
    const firstDay = `${accountFolder(PLAIN_ACCOUNT)}CloudTrail/us-east-1/2026/10/10/`;
    // No StartAfter shortcut: a key outside the layout early in the day would be lost to it.
    expect(run.lists).toContain(`${firstDay}|`);
    expect(run.lists.every((l) => l.endsWith('|'))).toBe(true);
    // The early files of the first day are listed and left out by their delivery time.
    expect(run.skipped).toContain(`out-of-scope s3://${BUCKET}/${logKey(PLAIN_ACCOUNT, "us-east-1", 10, "0005")}`);
    // Nothing outside the window's days.
    expect(run.lists.some((l) => l.includes('/2026/10/09/') || l.includes('/2026/10/12/'))).toBe(false);
  });

  it('sends LIST requests in proportion to days × regions × accounts', async () => {
    const two = await hunt(`s3://${BUCKET}`, scope('2026-10-05T12:00:00Z', '2026-10-06T12:00:00Z'));
    const six = await hunt(`s3://${BUCKET}`, scope('2026-10-05T12:00:00Z', '2026-10-10T12:00:00Z'));
    expect(six.source.listRequests - two.source.listRequests).toBe(4 * REGIONS.length * ACCOUNTS.length);
    expect(six.objects.length).toBeGreaterThan(two.objects.length);
  });

  it('discovers years, months and days by listing when --since is open', async () => {
    const s: Scope = { ...all, untilMs: Date.parse('2026-10-03T00:00:00Z') };
    const run = await hunt(`s3://${BUCKET}`, s);
    expect(run.objects).toEqual(expected('', s));
    // 2026/ and 2026/10/ listed, then only the days up to 10-03 (margin): 01, 02, 03.
    const perRegion = run.lists.filter((l) => l.startsWith(`AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/`));
    expect(perRegion.map((l) => l.split('|')[0])).toEqual([
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/`,
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/`,
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/`,
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/01/`,
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/02/`,
      `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/03/`,
    ]);
  });

  it.each([
    ['the bucket root', ''],
    ['AWSLogs/', 'AWSLogs/'],
    ['an org id', `AWSLogs/${ORG}/`],
    ['an org-trail account', `AWSLogs/${ORG}/${ORG_ACCOUNTS[1]}/`],
    ['a plain account', `AWSLogs/${PLAIN_ACCOUNT}`],
    ['CloudTrail/', `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/`],
    ['a region', `AWSLogs/${ORG}/${ORG_ACCOUNTS[0]}/CloudTrail/eu-west-1/`],
    ['a month', `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/`],
    ['a day', `AWSLogs/${PLAIN_ACCOUNT}/CloudTrail/us-east-1/2026/10/10`],
    ['a folder outside the layout', 'exports/'],
  ])('works from a prefix at %s', async (_, prefix) => {
    const s = scope('2026-10-10T10:00:00Z', '2026-10-11T10:00:00Z');
    const run = await hunt(`s3://${BUCKET}/${prefix}`, s);
    const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    expect(run.objects).toEqual(expected(folder, s));
    if (folder !== 'exports/') expect(run.objects.length).toBeGreaterThan(0);
    // The probe of open() lists the prefix as written; everything after stays inside the folder.
    expect(run.lists.slice(1).every((l) => l.startsWith(folder))).toBe(true);
  });

  it('lists a folder outside the layout whatever the window, and scans a key named in the URL', async () => {
    const s = scope('2026-10-10T10:00:00Z', '2026-10-11T10:00:00Z');
    expect((await hunt(`s3://${BUCKET}/exports`, s)).objects).toEqual(['exports/deeper/more.json.gz', 'exports/loose-events.json']);
    // Out of the window, but named: the user asked for it.
    const key = logKey(PLAIN_ACCOUNT, 'us-east-1', 2, '1200');
    const one = await hunt(`s3://${BUCKET}/${key}`, s);
    expect(one.objects).toEqual([key]);
    expect(one.source.listRequests).toBe(1);
  });

  it('never lists below a digest folder named as the prefix', async () => {
    const run = await hunt(`s3://${BUCKET}/AWSLogs/${PLAIN_ACCOUNT}/CloudTrail-Digest/`, all);
    expect(run.objects).toEqual([]);
    expect(run.skipped).toEqual([`digest folder s3://${BUCKET}/AWSLogs/${PLAIN_ACCOUNT}/CloudTrail-Digest/`]);
    expect(run.lists).toHaveLength(1); // the probe of open()
  });

  it('follows pagination', async () => {
    const s = scope('2026-10-01T00:00:00Z', '2026-10-04T00:00:00Z');
    const paged = await hunt(`s3://${BUCKET}/AWSLogs/${ORG}/`, s, { pageSize: 2 });
    const whole = await hunt(`s3://${BUCKET}/AWSLogs/${ORG}/`, s);
    expect(paged.objects).toEqual(expected(`AWSLogs/${ORG}/`, s));
    expect(paged.objects).toEqual(whole.objects);
    // Every page is read: the same keys are judged, whatever the page size.
    expect(paged.listed).toEqual(whole.listed);
    expect(paged.source.listRequests).toBeGreaterThan(whole.source.listRequests);
  });

  it('prunes by --account at the account level and by --region without listing the regions', async () => {
    const s = scope('2026-10-10T10:00:00Z', '2026-10-11T10:00:00Z', {
      accounts: [ORG_ACCOUNTS[1]!],
      regions: ['eu-west-1'],
    });
    const run = await hunt(`s3://${BUCKET}`, s);
    expect(run.objects).toEqual(expected('', s));
    expect(run.objects.filter((k) => k.startsWith('AWSLogs/'))).toHaveLength(4);
    expect(run.skipped).toContain(`out-of-scope folder s3://${BUCKET}/AWSLogs/${ORG}/${ORG_ACCOUNTS[0]}/`);
    expect(run.skipped).toContain(`out-of-scope folder s3://${BUCKET}/AWSLogs/${PLAIN_ACCOUNT}/`);
    expect(run.lists.some((l) => l.includes(ORG_ACCOUNTS[0]!) || l.includes(PLAIN_ACCOUNT))).toBe(false);
    expect(run.lists.some((l) => l.includes('us-east-1'))).toBe(false);
    // Probe, root, exports/ and below, AWSLogs/, the org, the account, then 2 days of one region:
    // CloudTrail/ is not listed.
    expect(run.source.listRequests).toBe(1 + 1 + 2 + 1 + 1 + 1 + 2);
  });

  it('yields objects while listing goes on, with a bounded number of LISTs in flight', async () => {
    maxInFlight = 0;
    const source = await S3Source.open(`s3://${BUCKET}`, { endpointUrl: server.endpoint }, { client });
    let listsAtFirstObject = -1;
    let objects = 0;
    for await (const entry of source.list(scope('2026-10-01T00:00:00Z', '2026-10-21T00:00:00Z'))) {
      if (entry.type !== 'object') continue;
      if (objects++ === 0) listsAtFirstObject = source.listRequests;
    }
    expect(objects).toBe(ACCOUNTS.length * REGIONS.length * DAYS * TIMES.length + 2);
    expect(listsAtFirstObject).toBeGreaterThan(0);
    expect(listsAtFirstObject).toBeLessThan(source.listRequests / 2);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
  });

  it('gives the same entries in the same order every run', async () => {
    const s = scope('2026-10-03T00:00:00Z', '2026-10-09T00:00:00Z');
    const a = await hunt(`s3://${BUCKET}`, s);
    const b = await hunt(`s3://${BUCKET}`, s);
    expect(a.listed).toEqual(b.listed);
    const keys = a.listed.map((e) => (e.type === 'object' || e.type === 'credential-report' ? e.ref.reference : e.reference));
    expect(keys).toEqual([...keys].sort());
  });
});

describe('S3 credentials, the AWS CLI way', () => {
  let dir: string;
  let saved: NodeJS.ProcessEnv;

  beforeAll(async () => {
    saved = { ...process.env };
    dir = await mkdtemp(path.join(tmpdir(), 'hunt-aws-'));
    await writeFile(path.join(dir, 'credentials'), `[hunt-test]\naws_access_key_id = ${S3RVER_KEY}\naws_secret_access_key = ${S3RVER_KEY}\n`);
    await writeFile(path.join(dir, 'config'), '[profile hunt-test]\nregion = eu-west-1\n');
  });

  afterEach(() => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes the credentials of --profile from the shared files, ahead of the environment', async () => {
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    delete process.env.AWS_REGION;
    const settings = { endpointUrl: server.endpoint, profile: 'hunt-test' };
    const profiled = makeS3Client(settings);
    expect(await profiled.config.region()).toBe('eu-west-1');
    const source = await S3Source.open(`s3://${BUCKET}/exports/`, settings, { client: profiled });
    const listed: Listed[] = [];
    for await (const entry of source.list(all)) listed.push(entry);
    expect(listed.filter((e) => e.type === 'object')).toHaveLength(2);
    profiled.destroy();

    // Without the profile, the environment's (wrong) keys are used, and the message says so without quoting them.
    const opening = S3Source.open(`s3://${BUCKET}`, { endpointUrl: server.endpoint });
    await expect(opening).rejects.toThrow(/cannot list bucket org-trail: the credentials were rejected.*--profile/);
    await expect(opening).rejects.not.toThrow(/AKIA|wJalr/);
  });
});

describe('S3Source errors', () => {
  it('names the bucket and the fix when it does not exist', async () => {
    const opening = S3Source.open('s3://no-such-bucket/AWSLogs/', { endpointUrl: server.endpoint }, { client });
    await expect(opening).rejects.toThrow(UsageError);
    await expect(opening).rejects.toThrow(/--source s3:\/\/no-such-bucket\/AWSLogs\/: cannot list bucket no-such-bucket: no such bucket; check the bucket name/);
  });

  it('says when the server cannot be reached', async () => {
    // The SDK retries a refused connection: without its random waits here.
    const restore = shortestRetryWaits();
    try {
      const opening = S3Source.open(`s3://${BUCKET}`, { endpointUrl: 'http://127.0.0.1:9' });
      await expect(opening).rejects.toThrow(/cannot list bucket org-trail: network error \(ECONNREFUSED\).*--endpoint-url/);
    } finally {
      restore();
    }
  }, 30_000);

  it.each([
    ['s3://', /no bucket name/],
    ['s3:///AWSLogs', /no bucket name/],
    ['s3://My_Bucket', /bucket names are lowercase/],
    ['s3://ab', /3 to 63 characters/],
    ['s3://-bucket', /begin and end with a letter or digit/],
    ['s3://bucket//AWSLogs', /starts with "\/"; write s3:\/\/bucket\/AWSLogs/],
    ['https://bucket/x', /not an S3 URL/],
  ])('rejects %s', (url, message) => {
    expect(() => parseS3Url(url)).toThrow(UsageError);
    expect(() => parseS3Url(url)).toThrow(message);
    expect(() => parseS3Url(url)).toThrow(/--source/);
  });

  it('parses bucket and prefix', () => {
    expect(parseS3Url('s3://org-trail')).toEqual({ bucket: 'org-trail', prefix: '' });
    expect(parseS3Url('s3://org-trail/')).toEqual({ bucket: 'org-trail', prefix: '' });
    expect(parseS3Url('s3://org.trail/AWSLogs/o-abc/')).toEqual({ bucket: 'org.trail', prefix: 'AWSLogs/o-abc/' });
  });
});
