// A scan worker: a thin shell around the scan core. It takes one object
// reference at a time, has the reference's store open it, scans the bytes and
// posts back the candidates. Never writes to stdout or stderr.

import { parentPort, workerData } from 'node:worker_threads';
import type { ObjectError } from '../src/errors.js';
import { isToWorker, type FromWorker, type ToWorker, type WorkerSetup } from '../src/pool/protocol.js';
import { Scanner } from '../src/scan/scanner.js';
import { storeKind } from '../src/stores/registry.js';
import type { ObjectRef, Opened, OpenError } from '../src/stores/store.js';

if (!parentPort) throw new Error('scan.worker must run in a worker thread');
const port = parentPort;
const setup = workerData as WorkerSetup;
const scanner = new Scanner(setup.rules, setup.scope, { prefilter: setup.prefilter, records: setup.records, ...(setup.context ? { context: setup.context } : {}) });
const openers = new Map<string, Promise<(ref: ObjectRef) => Promise<Opened>>>();

port.on('message', (message: unknown) => {
  if (!isToWorker(message)) {
    throw new Error(`scan worker: unknown message ${JSON.stringify(message)?.slice(0, 200)}`);
  }
  void handle(message);
});
port.postMessage({ type: 'ready' } satisfies FromWorker);

async function handle(message: ToWorker): Promise<void> {
  port.postMessage(await scanRef(message.job, message.ref));
}

async function scanRef(job: number, ref: ObjectRef): Promise<FromWorker> {
  let opened: Opened;
  try {
    // Stores load lazily: a worker that reads only files never loads the AWS SDK.
    let opener = openers.get(ref.store);
    if (!opener) {
      opener = storeKind(ref.store).then((kind) => kind.opener({ ...setup.stores, mayBlock: true }));
      openers.set(ref.store, opener);
    }
    opened = await (await opener)(ref);
  } catch (err) {
    return { type: 'failed', job, error: openError(err), requests: (err as OpenError).requests ?? 0 };
  }
  const result = scanner.scan(opened.bytes, ref);
  return result.ok
    ? { type: 'scanned', job, candidates: result.candidates, stats: result.stats, requests: opened.requests }
    : { type: 'failed', job, error: result.error, requests: opened.requests };
}

function openError(err: unknown): ObjectError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err && !(err instanceof Error)) {
    const { code, message } = err as ObjectError;
    return { code, message };
  }
  return { code: 'unreadable', message: `cannot read: ${(err as Error)?.message ?? String(err)}` };
}
