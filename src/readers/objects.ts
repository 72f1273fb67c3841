// The objects reader: stores list, a pool of worker threads opens and scans,
// candidates go into the merge as workers finish. The `--context` pass
// (context.ts) runs the same pool over its own listing.

import { awsSettings } from '../aws.js';
import type { ObjectError } from '../errors.js';
import type { Candidate } from '../model.js';
import { Progress } from '../output/progress.js';
import type { Tally } from '../output/summary.js';
import { ScanPool } from '../pool/pool.js';
import type { ContextSpec } from '../scan/context.js';
import type { ObjectStats } from '../scan/scanner.js';
import { storeKind, storeSettings } from '../stores/registry.js';
import type { ObjectRef } from '../stores/store.js';
import { listObjects, takeObject, type ReadContext, type Reader } from './reader.js';

export const objectsReader: Reader = {
  async read(ctx: ReadContext) {
    return scanObjects(ctx, listObjects(ctx), ctx.tally, {
      progress: true,
      scanned(ref, candidates, stats) {
        if (takeObject(ctx, ref.reference, { candidates, stats }, ref.size)) warnAboutRecords(ctx, ref, stats);
      },
      counted: true,
    });
  },
};

export interface ScanJob {
  /** The `--context` pass: match the hits' principals instead of the rules. */
  context?: ContextSpec;
  /** Draw progress (on a terminal). */
  progress?: boolean;
  /** `scanned` counts the object in the tally itself (takeObject), or fails it. */
  counted?: boolean;
  scanned(ref: ObjectRef, candidates: Candidate[], stats: ObjectStats): void;
}

/** Scans every reference with a pool of workers, counting into `tally`; resolves when done or on Ctrl-C. */
export async function scanObjects(ctx: ReadContext, refs: AsyncIterable<ObjectRef>, tally: Tally, job: ScanJob): Promise<{ interrupted: boolean }> {
  const { opts, io } = ctx;
  // Which stores go over a network, and what they call their requests.
  const labels = new Map<string, string>();
  for (const key of new Set(ctx.stores.map((s) => s.key))) {
    const label = (await storeKind(key)).requestLabel;
    if (label) labels.set(key, label);
  }
  const remote = labels.size > 0;
  const progress = job.progress && opts.progress && io.progressStream ? new Progress(io.progressStream, tally, { hits: () => ctx.merge.candidates }) : undefined;
  const pool = new ScanPool(
    {
      workers: opts.workers,
      // Network stores keep more objects in flight per worker, all of them under --max-requests.
      // (Four local objects per worker, not two, cut a worker's idle time but
      // raised peak RSS over four copies of the bench corpus by about 20 MB.)
      depth: remote ? Math.max(2, Math.ceil(opts.maxRequests / opts.workers)) : 2,
      remote: remote ? { stores: new Set(labels.keys()), maxInFlight: opts.maxRequests } : undefined,
      workerUrl: io.workerUrl,
    },
    {
      rules: job.context ? [] : ctx.rules,
      scope: job.context ? contextScope(opts.scope) : opts.scope,
      prefilter: opts.prefilter,
      records: opts.events && !job.context,
      ...(job.context ? { context: job.context } : {}),
      stores: await storeSettings(awsSettings(opts), ctx.stores),
    },
    {
      scanned(ref: ObjectRef, candidates, stats: ObjectStats) {
        if (!job.counted) tally.addScanned(stats, ref.size);
        job.scanned(ref, candidates, stats);
      },
      failed(ref: ObjectRef, error: ObjectError) {
        tally.addFailed(error.code, ref.reference, error.message);
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
  if (io.signal?.aborted) onAbort();
  progress?.start();
  try {
    await pool.run(refs);
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
}

/** The context pass filters by time on the main thread, per hit; in the workers only --region still applies. */
function contextScope(scope: ReadContext['opts']['scope']): ReadContext['opts']['scope'] {
  return { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: scope.regions };
}

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
