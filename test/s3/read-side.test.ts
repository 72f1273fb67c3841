// One read side for every store: the same tree hunted from disk, from the
// local S3 server and from memory gives the same hits, the same skips by
// reason and the same exit code; --max-requests caps GETs in flight, counted
// at the server; Ctrl-C during hung downloads ends the built binary with 130.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putMemoryObjects } from '../../src/stores/memory.js';
import { BIN, hunt, lines, ROOT } from '../helpers/cli.js';
import { deactivate, gz } from '../helpers/events.js';
import { startFaultProxy, startS3Server, type S3TestServer } from '../helpers/s3-server.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const DAY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/05/';
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

/** A tree with every kind of key a trail bucket holds besides logs. */
const TREE: Record<string, Uint8Array> = {
  [`${DAY}111122223333_CloudTrail_us-east-1_20261005T1005Z_a.json.gz`]: gz([deactivate({ eventTime: '2026-10-05T10:01:00Z' })]),
  [`${DAY}111122223333_CloudTrail_us-east-1_20261005T1105Z_b.json.gz`]: gz([deactivate({ eventTime: '2026-10-05T11:01:00Z' })]),
  [`${DAY}manifest.json`]: Buffer.from('{"files":[]}'),
  [`${DAY}notes.txt`]: Buffer.from('not a log'),
  'AWSLogs/111122223333/CloudTrail/2026/10/05/manifest.json': Buffer.from('{"files":[]}'),
  'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/10/05/digest.json.gz': gz([]),
  'AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/10/05/insight.json.gz': Buffer.from('{"Records":[{"eventType":"AwsCloudTrailInsight"}]}'),
  'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/10/05/flow.json.gz': Buffer.from('{"flows":[]}'),
};

let server: S3TestServer;
let dir: string;

beforeAll(async () => {
  server = await startS3Server();
  await server.putAll('tree', Object.entries(TREE));
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-tree-'));
  for (const [key, body] of Object.entries(TREE)) {
    await mkdir(path.dirname(path.join(dir, key)), { recursive: true });
    await writeFile(path.join(dir, key), body);
  }
  putMemoryObjects('tree', TREE);
  Object.assign(process.env, AWS_ENV);
});
afterAll(async () => {
  for (const k of Object.keys(AWS_ENV)) delete process.env[k];
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const withoutSources = (stdout: string) => lines(stdout).map(({ sources: _s, ...rest }) => rest);
/** The summary's skip lines, without the numbers' places. */
const skips = (stderr: string) => stderr.split('\n').filter((l) => l.includes('skipped'));

describe('the same tree from every store', () => {
  it('gives the same hits, skips and exit code from disk, S3 and memory', async () => {
    const disk = await hunt(['--source', dir, '--format', 'ndjson']);
    const s3 = await hunt(['--source', 's3://tree', '--endpoint-url', server.endpoint, '--format', 'ndjson']);
    const mem = await hunt(['--source', 'mem://tree', '--format', 'ndjson']);
    expect(disk.code).toBe(0);
    expect(lines(disk.stdout)).toHaveLength(2);
    for (const other of [s3, mem]) {
      expect(other.code).toBe(disk.code);
      expect(withoutSources(other.stdout)).toEqual(withoutSources(disk.stdout));
      expect(skips(other.stderr)).toEqual(skips(disk.stderr));
    }
    expect(skips(disk.stderr)).toEqual([
      'hunt: skipped 3 files unopened: 3 not a .json/.json.gz log',
      'hunt: skipped 3 folders unlisted: 1 CloudTrail digest, 1 CloudTrail Insights, 1 other AWS service logs',
    ]);
    expect(lines(mem.stdout).flatMap((h) => h.sources as string[])).toEqual([
      `mem://tree/${DAY}111122223333_CloudTrail_us-east-1_20261005T1005Z_a.json.gz`,
      `mem://tree/${DAY}111122223333_CloudTrail_us-east-1_20261005T1105Z_b.json.gz`,
    ]);
  });

  it('--context reads the S3 objects again as it reads the files: the same timelines, apart from sources', async () => {
    const disk = await hunt(['--source', dir, '--format', 'ndjson', '--context', '2h']);
    const s3 = await hunt(['--source', 's3://tree', '--endpoint-url', server.endpoint, '--format', 'ndjson', '--context', '2h']);
    const timelines = (stdout: string) => lines(stdout).map((h) => (h.context as Record<string, unknown>[]).map(({ source: _s, ...rest }) => rest));
    expect(timelines(disk.stdout)[0]).toHaveLength(2);
    expect(timelines(s3.stdout)).toEqual(timelines(disk.stdout));
    expect(s3.stderr).toMatch(/context: read 2 object\(s\) again/);
  });

  it('lists a stray export in the first and last day of a window, as on disk', async () => {
    const first = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/06/';
    const stray = {
      [`${first}2026-10-06-export.json.gz`]: gz([deactivate({ eventTime: '2026-10-06T12:00:00Z' })]),
      [`${first}zz-export.json.gz`]: gz([deactivate({ eventTime: '2026-10-06T12:30:00Z' })]),
    };
    await server.putAll('stray', Object.entries(stray));
    const local = await mkdtemp(path.join(tmpdir(), 'hunt-stray-'));
    for (const [key, body] of Object.entries(stray)) {
      await mkdir(path.dirname(path.join(local, key)), { recursive: true });
      await writeFile(path.join(local, key), body);
    }
    const window = ['--since', '2026-10-06T11:00:00Z', '--until', '2026-10-06T13:00:00Z', '--format', 'ndjson'];
    const disk = await hunt(['--source', local, ...window]);
    const s3 = await hunt(['--source', 's3://stray', '--endpoint-url', server.endpoint, ...window]);
    expect(lines(disk.stdout)).toHaveLength(2);
    expect(withoutSources(s3.stdout)).toEqual(withoutSources(disk.stdout));
    await rm(local, { recursive: true, force: true });
  });
});

describe('--max-requests', () => {
  it('caps GetObject requests in flight over all workers, counted at the server', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `${DAY}111122223333_CloudTrail_us-east-1_20261005T${String(1000 + i).slice(0, 2)}${String(i % 60).padStart(2, '0')}Z_${i}.json.gz`,
        gz([deactivate({ eventTime: '2026-10-05T10:00:00Z' })]),
      ]),
    );
    await server.putAll('many', Object.entries(many));
    const proxy = await startFaultProxy(server.endpoint);
    try {
      const run = await hunt(['--source', 's3://many', '--endpoint-url', proxy.endpoint, '--format', 'ndjson', '--workers', '2', '--max-requests', '3']);
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toHaveLength(40);
      expect(proxy.maxGetsInFlight()).toBeGreaterThan(1);
      expect(proxy.maxGetsInFlight()).toBeLessThanOrEqual(3);
    } finally {
      await proxy.stop();
    }
  });
});

describe('Ctrl-C, the built binary', () => {
  it('ends a hunt whose downloads hang with exit 130 and a partial summary', async () => {
    const proxy = await startFaultProxy(server.endpoint);
    proxy.stall('_b.json.gz');
    try {
      const child = spawn(process.execPath, [BIN, '--source', 's3://tree', '--endpoint-url', proxy.endpoint, '--format', 'ndjson'], {
        cwd: ROOT,
        env: { ...process.env, ...AWS_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      for (let i = 0; i < 300 && !proxy.seen.some((r) => r.includes('_b.json.gz')); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(code).toBe(130);
      expect(stderr).toMatch(/interrupted: partial results; scanned [01] object/);
    } finally {
      await proxy.stop();
    }
  });
});

