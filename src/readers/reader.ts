// A reader is who reads the events: the worker pool over stores' objects,
// DuckDB over the same objects, or Amazon Athena over its table. Each feeds
// candidates into the same Merge and counts into the same Tally; hunt.ts picks
// one from a map.

import type { AthenaClient } from '@aws-sdk/client-athena';
import type { Merge } from '../merge/index.js';
import type { HuntOptions } from '../options.js';
import type { Tally } from '../output/summary.js';
import type { Rule } from '../rules/types.js';
import { dayOf } from '../stores/cloudtrail-key.js';
import type { Listed, ObjectRef, Store } from '../stores/store.js';

export interface HuntIO {
  /** Where notes, warnings and errors about the input go (stderr). */
  report(line: string): void;
  /** Progress goes here when it is a terminal. */
  progressStream?: NodeJS.WriteStream;
  /** Aborted on Ctrl-C: readers stop and the partial result is returned. */
  signal?: AbortSignal;
  /** The scan worker's entry (tests wrap it to inject faults). */
  workerUrl?: URL;
  /** --engine athena: a client (tests stub its transport) and the poll interval. */
  athenaClient?: AthenaClient;
  athenaPollMs?: number;
}

export interface ReadContext {
  opts: HuntOptions;
  rules: Rule[];
  stores: Store[];
  merge: Merge;
  tally: Tally;
  io: HuntIO;
  /** Credential reports met while listing (`id` as listed): collected here, read after the events. */
  reports: { ref: ObjectRef; id: string }[];
}

export interface Reader {
  /** Reads every event in scope into ctx.merge; resolves true when Ctrl-C cut it short. */
  read(ctx: ReadContext): Promise<{ interrupted: boolean }>;
}

/**
 * Every store's listing, in order, as the object references to scan: an
 * object reached twice (the same source named twice, a folder and a file in
 * it, links) is yielded once; the rest is tallied and reported.
 */
export async function* listObjects(ctx: ReadContext): AsyncGenerator<ObjectRef> {
  const seen = new Set<string>();
  for (const store of ctx.stores) {
    for await (const entry of store.list(ctx.opts.scope)) {
      const ref = take(entry, ctx, seen);
      if (ref) {
        ctx.tally.noteListed(ref.size);
        yield ref;
      }
    }
  }
  ctx.tally.listingDone = true;
}

function take(entry: Listed, ctx: ReadContext, seen: Set<string>): ObjectRef | undefined {
  const day = entry.type === 'object' ? dayOf(entry.ref.reference) : entry.type === 'skipped' ? dayOf(entry.reference) : undefined;
  if (day) ctx.tally.noteDay(day);
  switch (entry.type) {
    case 'object':
      if (seen.has(entry.id)) return undefined;
      seen.add(entry.id);
      return entry.ref;
    case 'credential-report':
      if (!seen.has(entry.id)) {
        seen.add(entry.id);
        ctx.reports.push({ ref: entry.ref, id: entry.id });
      }
      return undefined;
    case 'skipped':
      // The same source named twice skips the same things once.
      if (seen.has(`skipped:${entry.reference}`)) return undefined;
      seen.add(`skipped:${entry.reference}`);
      ctx.tally.addSkipped(entry.reason, entry.folder);
      return undefined;
    case 'unlistable':
      ctx.tally.addFailed('unlistable', entry.reference, entry.message);
      ctx.io.report(`error: ${entry.reference}: ${entry.message}`);
      return undefined;
  }
}
