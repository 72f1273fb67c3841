// A real S3-compatible server for the tests: s3rver on 127.0.0.1, a random
// free port, a temporary folder. Its three known defects with SDK v3 are
// worked around here, in the test setup only (see shared/MEASUREMENTS.md):
//  * paginated listings need `--openssl-legacy-provider` (DES continuation
//    tokens): the server runs in a child process started with that flag;
//  * Delimiter listings dropped deeper common prefixes: patches/s3rver+*.patch,
//    applied by patch-package on npm install (test/s3/server.test.ts fails
//    if it is not);
//  * stream bodies are stored with their aws-chunked framing: put() sends
//    Buffers and its client computes checksums only when required.

import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The server's fixed account. */
export const S3RVER_KEY = 'S3RVER';

const CHILD = `
const S3rver = require('s3rver');
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR });
server.run().then(
  (address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'),
  (err) => { process.stderr.write(String(err && err.stack || err) + '\\n'); process.exit(1); },
);
process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
process.stdin.resume();
`;

export interface S3TestServer {
  /** `http://127.0.0.1:PORT`, for --endpoint-url. */
  endpoint: string;
  /** Stores one object (creating the bucket on first use). */
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  /** Stores many objects, a few at a time. */
  putAll(bucket: string, objects: Iterable<[key: string, body: string | Uint8Array]>): Promise<void>;
  /** A client of the server with its own account's credentials. */
  client: S3Client;
  /** The server's process (the bench reads its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/** The AWS variables startS3Server sets (or, when undefined, removes) while the server runs. */
const SERVER_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: S3RVER_KEY,
  AWS_SECRET_ACCESS_KEY: S3RVER_KEY,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
};

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/**
 * Starts the server. Also points this process's AWS credential chain at the
 * server's account, so hunt's own client (built from the default chain) works
 * against it whatever the developer's environment holds; stop() puts the
 * variables back as they were (test files may share a process).
 */
export async function startS3Server(): Promise<S3TestServer> {
  const before = Object.fromEntries(Object.keys(SERVER_ENV).map((name) => [name, process.env[name]]));
  setEnv(SERVER_ENV);

  const directory = await mkdtemp(path.join(tmpdir(), 'hunt-s3rver-'));
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    cwd: REPO,
    env: { ...process.env, S3RVER_DIR: directory },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const buckets = new Set<string>();

  const put = async (bucket: string, key: string, body: string | Uint8Array): Promise<void> => {
    if (!buckets.has(bucket)) {
      buckets.add(bucket);
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
  };

  return {
    endpoint,
    client,
    pid: child.pid!,
    put,
    async putAll(bucket, objects) {
      const queue = [...objects];
      if (queue.length === 0) return;
      await put(bucket, queue[0]![0], queue[0]![1]);
      let next = 1;
      const worker = async () => {
        while (next < queue.length) {
          const [key, body] = queue[next++]!;
          await put(bucket, key, body);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(directory, { recursive: true, force: true });
      setEnv(before);
    },
  };
}

/**
 * The AWS SDK's standard retries wait a random share of an exponential cap
 * before each retry ("full jitter"; for throttling the caps are 1, 2, 4 and
 * 8 s, about 7.5 s on average before a fifth attempt). With Math.random()
 * pinned at 0 the SDK draws the shortest wait it can draw on its own, and the
 * retry strategy stays the real one: which errors it retries, how many
 * attempts, its retry quota. Returns the undo.
 */
export function shortestRetryWaits(): () => void {
  const random = Math.random;
  Math.random = () => 0;
  return () => {
    Math.random = random;
  };
}

/** The built scan worker with shortestRetryWaits() in its thread: an in-process hunt's `io.workerUrl`. */
export const SHORTEST_RETRY_WAITS_WORKER = pathToFileURL(path.join(REPO, 'test/helpers/shortest-retry-waits-worker.mjs'));

export interface FaultProxy {
  endpoint: string;
  /** The next `count` requests whose path contains `match` are answered with this error instead. */
  fail(match: string, count: number, status: number, code: string): void;
  /** Forgets every rule not yet used up. */
  clear(): void;
  /** Requests whose path contains `match` get no answer until the proxy stops (a hung download). */
  stall(match: string): void;
  /** Requests seen, by method and path. */
  seen: string[];
  /** The most GetObject requests that were in flight at once. */
  maxGetsInFlight(): number;
  stop(): Promise<void>;
}

/** A proxy in front of the server that can answer S3 errors (503 SlowDown) a given number of times. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const rules: { match: string; count: number; status: number; code: string }[] = [];
  const stalls: string[] = [];
  const seen: string[] = [];
  let getsInFlight = 0;
  let maxGets = 0;
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    // A GET that is not a listing (ListObjectsV2 carries list-type=2) is a GetObject.
    if (req.method === 'GET' && !req.url!.includes('list-type=')) {
      getsInFlight++;
      maxGets = Math.max(maxGets, getsInFlight);
      res.on('close', () => getsInFlight--);
    }
    if (stalls.some((m) => req.url!.includes(m))) return;
    const rule = rules.find((r) => r.count > 0 && req.url!.includes(r.match));
    if (rule) {
      rule.count--;
      req.resume();
      res.writeHead(rule.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${rule.code}</Code><Message>injected by the test</Message></Error>`);
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    fail(match, count, status, code) {
      rules.push({ match, count, status, code });
    },
    stall(match) {
      stalls.push(match);
    },
    maxGetsInFlight: () => maxGets,
    clear() {
      rules.length = 0;
      stalls.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
