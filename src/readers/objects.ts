// The objects reader: stores list, a pool of worker threads opens and scans,
// candidates go into the merge as workers finish.

import { awsSettings } from '../aws.js';
import type { ObjectError } from '../errors.js';
import { Progress } from '../output/progress.js';
import { ScanPool } from '../pool/pool.js';
import type { ObjectStats } from '../scan/scanner.js';
import { storeKind, storeSettings } from '../stores/registry.js';
import type { ObjectRef } from '../stores/store.js';
import { listObjects, takeObject, type ReadContext, type Reader } from './reader.js';

export const objectsReader: Reader = {
  async read(ctx: ReadContext) {
    const { opts, tally, io } = ctx;
    // Which stores go over a network, and what they call their requests.
    const labels = new Map<string, string>();
    for (const key of new Set(ctx.stores.map((s) => s.key))) {
      const label = (await storeKind(key)).requestLabel;
      if (label) labels.set(key, label);
    }
    const remote = labels.size > 0;
    const progress = opts.progress && io.progressStream ? new Progress(io.progressStream, tally) : undefined;
    const pool = new ScanPool(
      {
        workers: opts.workers,
        // Network stores keep more objects in flight per worker, all of them under --max-requests.
        depth: remote ? Math.max(2, Math.ceil(opts.maxRequests / opts.workers)) : 2,
        remote: remote ? { stores: new Set(labels.keys()), maxInFlight: opts.maxRequests } : undefined,
        workerUrl: io.workerUrl,
      },
      { rules: ctx.rules, scope: opts.scope, prefilter: opts.prefilter, stores: await storeSettings(awsSettings(opts), ctx.stores) },
      {
        scanned(ref: ObjectRef, candidates, stats: ObjectStats) {
          if (takeObject(ctx, ref.reference, { candidates, stats }, ref.size)) warnAboutRecords(ctx, ref, stats);
        },
        failed(ref: ObjectRef, error: ObjectError) {
          tally.addFailed(error.code);
          io.report(`error: ${ref.reference}: ${error.message}`);
        },
        requested(ref: ObjectRef, requests: number) {
          const label = labels.get(ref.store);
          if (label) tally.addRequests(label, 0, requests);
        },
      },
    );
    let interrupted = false;
    const onAbort = () => {
      interrupted = true;
      void pool.stop();
    };
    io.signal?.addEventListener('abort', onAbort, { once: true });
    progress?.start();
    try {
      await pool.run(listObjects(ctx));
    } finally {
      progress?.stop();
      io.signal?.removeEventListener('abort', onAbort);
      await pool.stop();
      for (const store of ctx.stores) {
        const label = labels.get(store.key);
        if (label) tally.addRequests(label, store.listRequests ?? 0, 0);
      }
    }
    return { interrupted };
  },
};

function warnAboutRecords(ctx: ReadContext, ref: ObjectRef, stats: ObjectStats): void {
  if (ctx.opts.quiet) return;
  const dropped = stats.notObjects + stats.badTimes;
  if (dropped > 0) {
    const why = [];
    if (stats.notObjects) why.push(`${stats.notObjects} not an object`);
    if (stats.badTimes) why.push(`${stats.badTimes} without a valid eventTime`);
    ctx.io.report(`warning: ${ref.reference}: dropped ${dropped} record(s) (${why.join(', ')})`);
  }
  if (stats.otherAccount !== null && ref.account !== undefined) {
    ctx.io.report(
      `warning: ${ref.reference}: records name account ${stats.otherAccount}, the key's folder ${ref.account}; --account matches either`,
    );
  }
}
