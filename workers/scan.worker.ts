// A scan worker: takes one object reference at a time, opens it, scans it and
// posts back the candidates. Never writes to stdout or stderr.

import { existsSync, writeFileSync } from 'node:fs';
import { constants } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { ObjectError } from '../src/errors.js';
import { isToWorker, type FromWorker, type ToWorker, type WorkerSetup } from '../src/pool/protocol.js';
import { referenceOf, type ObjectRef } from '../src/sources/source.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { MAX_OBJECT_BYTES, Scanner, tooLarge } from './scan.js';

if (!parentPort) throw new Error('scan.worker must run in a worker thread');
const port = parentPort;
const setup = workerData as WorkerSetup;
const scanner = new Scanner(setup.rules, setup.filter);
let s3: S3Client | undefined;

port.on('message', (message: unknown) => {
  if (!isToWorker(message)) {
    throw new Error(`scan worker: unknown message ${JSON.stringify(message)?.slice(0, 200)}`);
  }
  void handle(message);
});

async function handle(message: ToWorker): Promise<void> {
  const reply = await scanRef(message.job, message.ref);
  port.postMessage(reply);
}

async function scanRef(job: number, ref: ObjectRef): Promise<FromWorker> {
  injectFault(ref);
  let opened: { bytes: Uint8Array; getRequests: number };
  try {
    opened = await open(ref);
  } catch (err) {
    const getRequests = ref.kind === 's3' ? ((err as { attempts?: number }).attempts ?? 1) : 0;
    return { type: 'failed', job, error: openError(err), getRequests };
  }
  const { bytes, getRequests } = opened;
  const result = scanner.scan(bytes, referenceOf(ref));
  return result.ok
    ? { type: 'scanned', job, candidates: result.candidates, stats: result.stats, getRequests }
    : { type: 'failed', job, error: result.error, getRequests };
}

async function open(ref: ObjectRef): Promise<{ bytes: Uint8Array; getRequests: number }> {
  if (ref.kind === 's3') {
    // The AWS SDK takes a good part of a second to load: only workers that fetch from S3 pay for it.
    const [{ makeS3Client }, { openS3Object }] = await Promise.all([import('../src/sources/s3-client.js'), import('./open-s3.js')]);
    s3 ??= makeS3Client(setup.s3);
    const { bytes, attempts } = await openS3Object(s3, ref);
    return { bytes, getRequests: attempts };
  }
  // O_NONBLOCK: a FIFO or device swapped in for a log must not block the worker forever.
  const handle = await openFile(ref.path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw { code: 'unreadable', message: 'not a regular file' } satisfies ObjectError;
    if (info.size > MAX_OBJECT_BYTES) {
      throw tooLarge();
    }
    return { bytes: await handle.readFile(), getRequests: 0 };
  } finally {
    await handle.close();
  }
}

function openError(err: unknown): ObjectError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err && !(err instanceof Error)) {
    const { code, message } = err as ObjectError;
    return { code, message };
  }
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'no longer exists'
        : code === 'EISDIR'
          ? 'is a folder'
          : (err as Error).message;
  return { code: 'unreadable', message: `cannot read: ${why}` };
}

/**
 * Fault injection for the tests of crash recovery: `HUNT_FAULT=crash:<text>`
 * kills this worker on every object whose reference contains <text>;
 * `crash-once:<text>` only the first time (a marker file beside the object
 * remembers it); `hang:<text>` spins forever on it (a scan that never ends).
 * Unset in normal use.
 */
function injectFault(ref: ObjectRef): void {
  const fault = process.env.HUNT_FAULT;
  if (!fault || ref.kind !== 'file') return;
  const [mode, text] = [fault.slice(0, fault.indexOf(':')), fault.slice(fault.indexOf(':') + 1)];
  if (!text || !ref.path.includes(text)) return;
  if (mode === 'crash-once') {
    const marker = `${ref.path}.crashed`;
    if (existsSync(marker)) return;
    writeFileSync(marker, '');
  } else if (mode === 'hang') {
    writeFileSync(`${ref.path}.hanging`, '');
    for (;;);
  } else if (mode !== 'crash') {
    return;
  }
  throw new Error(`injected fault on ${ref.path}`);
}
