// The CLI against a real S3-compatible server on 127.0.0.1, through the real
// @aws-sdk/client-s3 client: the samples hunted from S3 give the same hits
// as from disk, and a narrow window sends fewer requests.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hunt, huntProcess, lines, ROOT, type Run } from '../helpers/cli.js';
import { SHORTEST_RETRY_WAITS_WORKER, startFaultProxy, startS3Server, type S3TestServer } from '../helpers/s3-server.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let server: S3TestServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startS3Server();
  const files = (await readdir(path.join(ROOT, 'samples'), { recursive: true })).filter((f) => f.endsWith('.json.gz'));
  const objects: [string, Uint8Array][] = [];
  for (const f of files) objects.push([f.split(path.sep).join('/'), await readFile(path.join(ROOT, 'samples', f))]);
  await server.putAll('org-trail', objects);
  // Also under a key prefix, as a trail that writes below a folder of its bucket.
  await server.putAll(
    'org-trail',
    objects.filter(([k]) => k.includes('/444455556666/')).map(([k, b]) => [`archive/${k}`, b]),
  );
  env = {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  // In-process hunts take their AWS credentials from this process's environment.
  Object.assign(process.env, env);
});
afterAll(async () => {
  for (const k of Object.keys(env ?? {})) delete process.env[k];
  await server?.stop();
});

const withoutSources = (stdout: string) => lines(stdout).map(({ sources, ...rest }) => ({ ...rest, nSources: (sources as string[]).length }));
const requests = (stderr: string) => {
  const m = /S3 requests: ([\d,]+) LISTs?, ([\d,]+) GETs?/.exec(stderr);
  return m ? { list: Number(m[1]!.replace(/,/g, '')), get: Number(m[2]!.replace(/,/g, '')) } : undefined;
};
/** `hunt --source s3://org-trail/AWSLogs/ --format ndjson`, run once for the tests that need it. */
let whole: Promise<Run> | undefined;
const wholeTrail = () => (whole ??= hunt(['--source', 's3://org-trail/AWSLogs/', '--endpoint-url', server.endpoint, '--format', 'ndjson'], { env }));
const scanned = (stderr: string) => Number(/scanned ([\d,]+) objects?/.exec(stderr)![1]!.replace(/,/g, ''));

describe('hunt --source s3://…', () => {
  it('gives the same NDJSON as the same corpus on disk, apart from sources', async () => {
    const local = await hunt(['--source', 'samples/AWSLogs', '--format', 'ndjson']);
    const s3 = await wholeTrail();
    expect(s3.stderr).not.toMatch(/error/);
    expect(s3.code).toBe(0);
    expect(lines(local.stdout).length).toBe(23);
    expect(withoutSources(s3.stdout)).toEqual(withoutSources(local.stdout));
    for (const hit of lines(s3.stdout)) {
      for (const s of hit.sources as string[]) expect(s).toMatch(/^s3:\/\/org-trail\/AWSLogs\/.+\.json\.gz$/);
    }
  });

  it('fetches every log once and never a digest', async () => {
    const run = await hunt(['--source', 's3://org-trail', '--endpoint-url', server.endpoint, '--format', 'ndjson'], { env });
    const logs = (await readdir(path.join(ROOT, 'samples'), { recursive: true })).filter(
      (f) => f.endsWith('.json.gz') && !f.includes('CloudTrail-Digest'),
    ).length;
    const archived = logs - (await readdir(path.join(ROOT, 'samples'), { recursive: true })).filter(
      (f) => f.endsWith('.json.gz') && !f.includes('CloudTrail-Digest') && !f.includes('444455556666'),
    ).length;
    expect(scanned(run.stderr)).toBe(logs + archived);
    expect(requests(run.stderr)!.get).toBe(logs + archived);
    expect(run.stderr).toMatch(/CloudTrail digest/);
  });

  it('sends fewer LISTs and GETs for a narrow window, and finds that window\'s hits', async () => {
    const base = ['--source', 's3://org-trail/AWSLogs/', '--endpoint-url', server.endpoint, '--format', 'ndjson'];
    const wide = await wholeTrail();
    const narrow = await hunt([...base, '--since', '2026-10-06T09:00:00Z', '--until', '2026-10-06T10:00:00Z'], { env });
    const w = requests(wide.stderr)!;
    const n = requests(narrow.stderr)!;
    expect(n.get).toBeLessThan(w.get / 5);
    expect(n.list).toBeLessThan(w.list);
    expect(lines(narrow.stdout).map((h) => h.rule)).toEqual(['aws-console-login-mfa-failures']);
  });

  it('works from an account prefix below a folder, and with --account', async () => {
    const run = await hunt(
      ['--source', 's3://org-trail/archive/AWSLogs/444455556666/', '--endpoint-url', server.endpoint, '--format', 'ndjson'],
      { env },
    );
    const local = await hunt(['--source', 'samples/AWSLogs/444455556666', '--format', 'ndjson']);
    expect(withoutSources(run.stdout)).toEqual(withoutSources(local.stdout));
    const byAccount = await hunt(
      ['--source', 's3://org-trail', '--account', '111122223333', '--endpoint-url', server.endpoint, '--format', 'ndjson'],
      { env },
    );
    expect(new Set(lines(byAccount.stdout).map((h) => h.account))).toEqual(new Set(['111122223333']));
  });

  it('survives throttling, and names an object S3 will not return while keeping every other hit', async () => {
    const proxy = await startFaultProxy(server.endpoint);
    try {
      const base = ['--source', 's3://org-trail/AWSLogs/', '--endpoint-url', proxy.endpoint, '--format', 'ndjson'];
      const clean = await wholeTrail();
      // The object of maria.garcia's first MFA failure is throttled twice (and retried);
      // the object of the root sign-in is denied for good.
      const hits = lines(clean.stdout);
      const keyOf = (hit: Record<string, unknown> | undefined) => ((hit!.sources as string[])[0]!).split('/').pop()!;
      const throttled = keyOf(hits.find((h) => h.rule === 'aws-console-login-mfa-failures' && h.actor === 'maria.garcia'));
      const denied = keyOf(hits.find((h) => h.rule === 'aws-console-login-without-mfa' && h.actor === 'arn:aws:iam::444455556666:root'));
      proxy.fail(throttled, 2, 503, 'SlowDown');
      proxy.fail(denied, 100, 403, 'AccessDenied');
      // Workers whose SDK retries the throttled GETs without its random waits of up to 2 s.
      const run = await hunt(base, { env, io: { workerUrl: SHORTEST_RETRY_WAITS_WORKER } });
      expect(run.code).toBe(3);
      const errors = run.stderr.split('\n').filter((l) => l.includes('error:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`s3://org-trail/AWSLogs/.*${denied}.*access denied`));
      expect(run.stderr).toMatch(/FAILED 1 object/);
      // The root sign-in lived in the denied object: only the hits of that object's events are missing.
      const expected = lines(clean.stdout).filter((h) => !(h.sources as string[]).some((s) => s.endsWith(denied)));
      expect(expected).toHaveLength(lines(clean.stdout).length - 1);
      expect(lines(run.stdout)).toEqual(expected);
    } finally {
      await proxy.stop();
    }
  });

  it('a missing bucket is a usage error naming it', async () => {
    const run = await hunt(['--source', 's3://no-such-bucket', '--endpoint-url', server.endpoint], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-bucket/);
  });

  it('never prints credentials', async () => {
    // The built binary, with the secret in its own environment only.
    const run = await huntProcess(['--source', 's3://no-such-bucket', '--endpoint-url', server.endpoint], {
      env: { ...env, AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    });
    expect(run.stderr + run.stdout).not.toContain('wJalrXUtnFEMI');
  });
});
