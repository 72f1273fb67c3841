// Wires the stages: a reader feeds candidates into the merge, the merge makes
// hits, posture rules add theirs. No I/O details live here; the CLI owns
// stdout, exit codes and signals.

import { awsSettings } from './aws.js';
import { UsageError } from './errors.js';
import { Merge, sortHits } from './merge/index.js';
import type { Hit } from './model.js';
import type { HuntOptions } from './options.js';
import { Tally } from './output/summary.js';
import { credentialReportHits } from './posture/credential-report.js';
import type { HuntIO, ReadContext, Reader } from './readers/reader.js';
import { listObjects } from './readers/reader.js';
import type { PostureRule, Rule } from './rules/types.js';
import { connectStores, storeKind, storeSettings } from './stores/registry.js';
import type { ObjectRef, Store } from './stores/store.js';

/** What a hunt gets from the outside world (defined with the readers, which use it). */
export type { HuntIO } from './readers/reader.js';

export interface HuntResult {
  hits: Hit[];
  tally: Tally;
  /** What the `--context` pass read, when it ran. */
  contextTally?: Tally;
  interrupted: boolean;
  /** The merge, for its counts (eventIDs shared by records of different content). */
  merge: Merge;
}

/** Who reads the events, by `--engine`; each is loaded only when chosen. */
const READERS: Record<HuntOptions['engine'], () => Promise<Reader>> = {
  local: async () => (await import('./readers/objects.js')).objectsReader,
  duckdb: async () => (await import('./readers/duckdb.js')).duckdbReader,
  athena: async () => (await import('./readers/athena.js')).athenaReader,
};

// Loading and selecting rules lives with the rules; prepareRuleSet also
// returns what loading left out (refused rules), for the summary.
export { prepareRules, prepareRuleSet, type PreparedRules } from './rules/prepare.js';

export async function hunt(opts: HuntOptions, rules: Rule[], stores: Store[], io: HuntIO): Promise<HuntResult> {
  const posture = rules.filter((r): r is PostureRule => r.kind === 'posture');
  if (opts.credentialReport && posture.length === 0) {
    throw new UsageError('--credential-report needs a posture rule (aws-iam-user-mfa, aws-root-account-mfa), which --rules/--rule/--min-level left out');
  }
  const ctx: ReadContext = { opts, rules, stores, merge: new Merge(rules), tally: new Tally(), io, reports: [] };
  let interrupted = false;
  if (rules.some((r) => r.kind !== 'posture') && (stores.length > 0 || opts.engine === 'athena')) {
    ({ interrupted } = await (await READERS[opts.engine]()).read(ctx));
  } else {
    // Only posture rules: no object is scanned, but the sources may carry credential reports.
    for await (const ref of listObjects(ctx)) void ref;
  }
  let hits = ctx.merge.hits();
  let contextTally: Tally | undefined;
  if (opts.contextMs > 0 && !interrupted && hits.length > 0) {
    const { addContext } = await import('./readers/context.js');
    const pass = await addContext(ctx, hits, opts.contextMs);
    contextTally = pass.tally;
    interrupted = pass.interrupted;
  }
  if (posture.length > 0 && !interrupted) {
    const postureHits = await readCredentialReports(ctx, posture);
    if (postureHits.length > 0) hits = sortHits(hits.concat(postureHits));
  }
  return { hits, tally: ctx.tally, ...(contextTally ? { contextTally } : {}), interrupted, merge: ctx.merge };
}

/**
 * `--credential-report` (a file, or `aws` for the live report) and the reports
 * found among the sources, each read once. A report found among the sources
 * is input like any object: one that cannot be read as a report is FAILED and
 * named, and the hunt goes on; a bad `--credential-report` is a usage error.
 */
async function readCredentialReports(ctx: ReadContext, posture: readonly PostureRule[]): Promise<Hit[]> {
  const { opts, tally, io } = ctx;
  const hits: Hit[] = [];
  const explicit = opts.credentialReport;
  if (explicit === 'aws') {
    const { fetchCredentialReport } = await import('./posture/iam-report.js');
    addAll(hits, credentialReportHits(await fetchCredentialReport(awsSettings(opts)), posture, 'aws'));
    tally.credentialReports++;
  } else if (explicit !== undefined) {
    const [store] = await connectStores([explicit], awsSettings(opts));
    let named: { ref: ObjectRef; id: string } | undefined;
    for await (const entry of store!.list(opts.scope)) {
      if (entry.type === 'object' || entry.type === 'credential-report') {
        named = { ref: entry.ref, id: entry.id };
        break;
      }
    }
    if (!named) throw new UsageError(`--credential-report ${explicit}: not a file; give the CSV of aws iam get-credential-report, or aws`);
    // Also found among the sources: read it once.
    ctx.reports = ctx.reports.filter((r) => r.id !== named.id);
    const text = await readReport(ctx, named.ref).catch((err: { message?: string }) => {
      throw new UsageError(`--credential-report ${explicit}: cannot read it (${err.message ?? String(err)})`);
    });
    addAll(hits, credentialReportHits(text, posture, named.ref.reference));
    tally.credentialReports++;
  }
  for (const { ref } of ctx.reports) {
    let found: Hit[];
    try {
      found = credentialReportHits(await readReport(ctx, ref), posture, ref.reference);
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const reason = message.startsWith(`${ref.reference}: `) ? message.slice(ref.reference.length + 2) : message;
      tally.addFailed('not-credential-report', ref.reference, reason);
      io.report(`error: ${ref.reference}: ${reason}`);
      continue;
    }
    addAll(hits, found);
    tally.credentialReports++;
  }
  return hits;
}

async function readReport(ctx: ReadContext, ref: ObjectRef): Promise<string> {
  const open = (await storeKind(ref.store)).opener(await storeSettings(awsSettings(ctx.opts), ctx.stores));
  const { bytes } = await open(ref);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Appends without a spread: a report can flag more users than a call has room for arguments. */
function addAll(into: Hit[], from: readonly Hit[]): void {
  for (const hit of from) into.push(hit);
}
