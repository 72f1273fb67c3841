// A test wrapper around the built scan worker: on an object whose reference
// contains `text`, it crashes the worker (`crash`), crashes it only the first
// time (`crash-once`, remembered by a marker in the test's own `state`
// folder, never beside the evidence), or spins forever (`hang`). The entry
// module that calls installFault is written by faultWorkerUrl
// (test/helpers/cli.ts).

import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

export function installFault({ mode, text, state }) {
  // The real worker loads (and says it is ready) before any fault fires: a
  // fault is an object's doing, not a worker that cannot start.
  let ready = false;
  const loaded = import('../../dist/workers/scan.worker.js').then(() => {
    ready = true;
  });
  // This listener is added before the real worker's, so it runs first, and a
  // fault fires synchronously: before the real worker could scan the object
  // and post its result (it reads and scans in one synchronous go).
  parentPort.on('message', (message) => {
    const reference = message?.ref?.reference ?? '';
    if (!text || !reference.includes(text)) return;
    if (!ready) throw new Error(`fault worker: a job arrived before the scan worker was ready (${reference})`);
    if (mode === 'crash-once') {
      const marker = path.join(state, encodeURIComponent(reference));
      if (existsSync(marker)) return;
      writeFileSync(marker, '');
    } else if (mode === 'hang') {
      if (state) writeFileSync(path.join(state, 'hanging'), '');
      for (;;);
    }
    throw new Error(`injected fault on ${reference}`);
  });
  return loaded;
}
