import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/options.js';
import { localStore } from '../../src/stores/local.js';
import { MAX_OBJECT_BYTES } from '../../src/stores/store.js';
import type { Listed } from '../../src/stores/store.js';

let root: string;
const all: Scope = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };

const logKey = (account: string, region: string, day: string, hhmm: string, org = '') => {
  const [y, m, d] = day.split('-');
  return `AWSLogs/${org ? `${org}/` : ''}${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${y}${m}${d}T${hhmm}Z_aaaa.json.gz`;
};

const files = [
  logKey('111122223333', 'us-east-1', '2026-10-05', '0010'),
  logKey('111122223333', 'us-east-1', '2026-10-05', '2355'),
  logKey('111122223333', 'us-east-1', '2026-10-06', '0105'),
  logKey('111122223333', 'eu-west-1', '2026-10-06', '1200'),
  logKey('444455556666', 'us-east-1', '2026-10-07', '1200', 'o-abcdef1234'),
  'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/05/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261005T001500Z.json.gz',
  'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/10/05/x.json.gz',
  'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/05/notes.txt',
  'exports/loose-events.json',
  'iam/credential-report-2026-10-08.csv',
];

async function list(source: string, scope: Scope): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const entry of (await localStore.connect(source, { aws: {}, maxObjectBytes: MAX_OBJECT_BYTES })).list(scope)) out.push(entry);
  return out;
}
const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
const objects = (entries: Listed[]) => entries.flatMap((e) => (e.type === 'object' ? [rel(e.ref.reference)] : []));

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hunt-local-'));
  for (const f of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), '{"Records":[]}');
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('LocalSource', () => {
  it('lists every log in name order and sets the rest aside with a reason', async () => {
    const entries = await list(root, all);
    expect(objects(entries)).toEqual([files[3], files[0], files[1], files[2], files[4], 'exports/loose-events.json']);
    const skipped = entries.flatMap((e) => (e.type === 'skipped' ? [[rel(e.reference), e.reason, e.folder]] : []));
    expect(skipped).toEqual([
      ['AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/05/notes.txt', 'not-a-log', false],
      ['AWSLogs/111122223333/CloudTrail-Digest', 'digest', true],
      ['AWSLogs/111122223333/CloudTrail-Insight', 'insight', true],
    ]);
    expect(entries.filter((e) => e.type === 'credential-report').map((e) => rel((e as { ref: { reference: string } }).ref.reference))).toEqual([
      'iam/credential-report-2026-10-08.csv',
    ]);
  });

  it('prunes days and files outside --since/--until, keeping the late-delivery margin', async () => {
    const scope = { ...all, sinceMs: Date.parse('2026-10-06T00:00:00Z'), untilMs: Date.parse('2026-10-06T06:00:00Z') };
    const found = objects(await list(root, scope));
    // 23:55 on the 5th is within the margin before since; 12:00 on the 6th is past until + margin.
    expect(found).toContain(files[1]);
    expect(found).toContain(files[2]);
    expect(found).not.toContain(files[0]);
    expect(found).not.toContain(files[3]);
    expect(found).not.toContain(files[4]);
    // Outside the layout nothing is pruned.
    expect(found).toContain('exports/loose-events.json');
  });

  it('prunes by account and region', async () => {
    const found = objects(await list(root, { ...all, accounts: ['444455556666'] }));
    expect(found).toEqual([files[4], 'exports/loose-events.json']);
    const eu = objects(await list(root, { ...all, regions: ['eu-west-1'] }));
    expect(eu).toEqual([files[3], 'exports/loose-events.json']);
  });

  it('scans a file named on the command line whatever its name', async () => {
    const found = objects(await list(path.join(root, files[7]!), all));
    expect(found).toEqual([files[7]]);
  });

  it('a missing path is a usage error naming it', async () => {
    await expect(localStore.connect(path.join(root, 'nope'), { aws: {}, maxObjectBytes: MAX_OBJECT_BYTES })).rejects.toThrow(/--source .*nope: no such file or folder/);
  });
});

// Both ways a local object is read: asynchronously where a read must not hold
// the thread (the main thread's credential report), and in one synchronous go
// in a scan worker (mayBlock). They must agree on every outcome.
describe.each([
  ['asynchronously', false],
  ['in one go, in a worker', true],
])('the local opener, %s', (_way, mayBlock) => {
  const open = (maxObjectBytes: number) => localStore.opener({ aws: {}, maxObjectBytes, mayBlock });
  const ref = (file: string) => ({ store: 'file', reference: path.join(root, 'opener', file), size: 0 });

  beforeAll(async () => {
    await mkdir(path.join(root, 'opener'), { recursive: true });
    await writeFile(path.join(root, 'opener', 'ten.json'), '0123456789');
    await writeFile(path.join(root, 'opener', 'empty.json'), '');
    await writeFile(path.join(root, 'opener', 'big.json'), Buffer.alloc(300_000, 0x61));
    execFileSync('mkfifo', ['-m', '600', path.join(root, 'opener', `fifo-${mayBlock}.json`)]);
  });

  it('reads a file whole, up to the byte limit itself', async () => {
    const opened = await open(10)(ref('ten.json'));
    expect(Buffer.from(opened.bytes).toString()).toBe('0123456789');
    expect(opened.requests).toBe(0);
    expect((await open(10)(ref('empty.json'))).bytes.length).toBe(0);
    const big = await open(MAX_OBJECT_BYTES)(ref('big.json'));
    expect(big.bytes.length).toBe(300_000);
    expect(big.bytes.every((b) => b === 0x61)).toBe(true);
  });

  it('refuses a file one byte over the limit', async () => {
    await expect(open(9)(ref('ten.json'))).rejects.toMatchObject({ code: 'too-large' });
  });

  it('refuses a FIFO without waiting on it, and names a missing file', async () => {
    await expect(open(10)(ref(`fifo-${mayBlock}.json`))).rejects.toMatchObject({ code: 'unreadable', message: 'not a regular file' });
    await expect(open(10)(ref('gone.json'))).rejects.toMatchObject({ code: 'unreadable', message: 'cannot read: no longer exists' });
  });
});
