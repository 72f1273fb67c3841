// Wires the stages: sources → pool of workers → merge → hits. No I/O details
// live here; the CLI owns stdout, exit codes and signals.

import { readFile } from 'node:fs/promises';
import { UsageError, type ObjectError } from './errors.js';
import { Merge } from './merge/index.js';
import { sortHits } from './merge/sort.js';
import type { Hit } from './model.js';
import { eventFilter, type HuntOptions } from './options.js';
import { Progress } from './output/progress.js';
import { Tally } from './output/summary.js';
import { ScanPool } from './pool/pool.js';
import { credentialReportHits } from './posture/credential-report.js';
import { bundledRulesDir, loadRules, selectRules } from './rules/load.js';
import type { PostureRule, Rule } from './rules/types.js';
import type { Scope } from './sources/cloudtrail-key.js';
import { LocalSource } from './sources/local.js';
import type { S3Settings } from './sources/s3-client.js';
import { referenceOf, type ObjectRef, type Source } from './sources/source.js';

export interface HuntIO {
  /** Where notes, warnings and errors about the input go (stderr). */
  report(line: string): void;
  /** Progress goes here when it is a terminal. */
  progressStream?: NodeJS.WriteStream;
  /** Aborted on Ctrl-C: workers stop and the partial result is returned. */
  signal?: AbortSignal;
  /** --engine athena: a client (tests stub its transport), the poll interval, where --dry-run prints. */
  athenaClient?: import('@aws-sdk/client-athena').AthenaClient;
  athenaPollMs?: number;
  printSql?: (sql: string) => void;
}

export interface HuntResult {
  hits: Hit[];
  tally: Tally;
  interrupted: boolean;
}

export async function prepareRules(opts: HuntOptions, io: HuntIO): Promise<Rule[]> {
  const own = opts.rulePaths.length > 0;
  const loaded = await loadRules(own ? opts.rulePaths : [bundledRulesDir()]);
  if (loaded.skipped.length > 0 && !opts.quiet) {
    io.report(`skipped ${loaded.skipped.length} rule(s) not for AWS CloudTrail (first: ${loaded.skipped[0]!.file}: ${loaded.skipped[0]!.reason})`);
  }
  const rules = opts.ruleGlobs.length > 0 ? selectRules(loaded.rules, opts.ruleGlobs) : loaded.rules;
  if (rules.length === 0) throw new UsageError('no rules to run: --rules/--rule selected none');
  return rules;
}

export function s3Settings(opts: HuntOptions): S3Settings {
  return { endpointUrl: opts.endpointUrl, profile: opts.profile };
}

/** Opens every source first, so a typo or a missing permission stops the hunt before any work. */
export async function openSources(opts: HuntOptions): Promise<Source[]> {
  return Promise.all(
    opts.sources.map(async (s) => {
      if (!s.startsWith('s3://')) return LocalSource.open(s);
      // The AWS SDK takes a good part of a second to load: only S3 hunts pay for it.
      const { S3Source } = await import('./sources/s3.js');
      return S3Source.open(s, s3Settings(opts));
    }),
  );
}

/** Objects S3 workers hold at once; local reads need only one object of read-ahead. */
function poolDepth(opts: HuntOptions, sources: Source[]): number {
  if (!sources.some((s) => s.listRequests !== undefined)) return 2;
  return Math.max(1, Math.ceil(opts.maxRequests / opts.workers));
}

export async function hunt(opts: HuntOptions, rules: Rule[], sources: Source[], io: HuntIO): Promise<HuntResult> {
  const tally = new Tally();
  const merge = new Merge(rules);
  const posture = rules.find((r): r is PostureRule => r.kind === 'posture');
  if (opts.credentialReport && !posture) {
    throw new UsageError('--credential-report needs the posture rule aws-iam-user-mfa, which --rules/--rule left out');
  }
  const reports: string[] = opts.credentialReport ? [opts.credentialReport] : [];
  tally.s3 = sources.some((s) => s.listRequests !== undefined);
  const scope: Scope = {
    sinceMs: opts.sinceMs,
    untilMs: opts.untilMs,
    accounts: new Set(opts.accounts),
    regions: new Set(opts.regions),
  };
  const filter = eventFilter(opts);
  const eventRules = rules.some((r) => r.kind !== 'posture');
  let interrupted = false;

  if (eventRules && opts.engine === 'athena') {
    // Loaded only when asked for: the local engine never pays for DuckDB or the Athena client.
    const { huntWithAthena } = await import('./engines/run.js');
    await huntWithAthena(opts, rules, merge, tally, io);
  } else if (sources.length > 0 && eventRules && opts.engine === 'duckdb') {
    const refs: ObjectRef[] = [];
    for await (const ref of listObjects(sources, scope, tally, reports, io)) refs.push(ref);
    const { huntWithDuckDB } = await import('./engines/run.js');
    await huntWithDuckDB(opts, rules, refs, merge, tally, io);
  } else if (sources.length > 0 && eventRules) {
    const progress = opts.progress && io.progressStream ? new Progress(io.progressStream, tally) : undefined;
    const pool = new ScanPool({ workers: opts.workers, depth: poolDepth(opts, sources) }, { rules, filter, s3: s3Settings(opts) }, {
      scanned(ref, candidates, stats) {
        tally.addScanned(stats);
        for (const c of candidates) merge.add(c);
        const dropped = stats.notObjects + stats.badTimes;
        if (dropped > 0 && !opts.quiet) {
          const why = [];
          if (stats.notObjects) why.push(`${stats.notObjects} not an object`);
          if (stats.badTimes) why.push(`${stats.badTimes} without a valid eventTime`);
          io.report(`warning: ${referenceOf(ref)}: dropped ${dropped} record(s) (${why.join(', ')})`);
        }
      },
      failed(ref: ObjectRef, error: ObjectError) {
        tally.addFailed(error.code);
        io.report(`error: ${referenceOf(ref)}: ${error.message}`);
      },
      requested(getRequests) {
        tally.getRequests += getRequests;
      },
    });
    const onAbort = () => {
      interrupted = true;
      void pool.stop();
    };
    io.signal?.addEventListener('abort', onAbort, { once: true });
    progress?.start();
    try {
      await pool.run(listObjects(sources, scope, tally, reports, io));
    } finally {
      progress?.stop();
      io.signal?.removeEventListener('abort', onAbort);
      await pool.stop();
      for (const s of sources) tally.listRequests += s.listRequests ?? 0;
    }
  } else if (sources.length > 0) {
    // Only posture rules: no object is scanned, but the sources may carry credential reports.
    for await (const ref of listObjects(sources, scope, tally, reports, io)) void ref;
  }

  let hits = merge.hits();
  // Reports found among the sources are read only when the posture rule runs.
  if (reports.length > 0 && posture) {
    const postureHits: Hit[] = [];
    for (const file of reports) {
      let text: string;
      if (file === 'aws' && file === opts.credentialReport) {
        const { fetchCredentialReport } = await import('./posture/iam-report.js');
        text = await fetchCredentialReport(s3Settings(opts));
      } else {
        try {
          text = await readFile(file, 'utf8');
        } catch (err) {
          throw new UsageError(`--credential-report ${file}: cannot read it (${(err as Error).message})`);
        }
      }
      postureHits.push(...credentialReportHits(text, posture, file));
      tally.credentialReports++;
    }
    hits = sortHits([...hits, ...postureHits]);
  }
  return { hits, tally, interrupted };
}

/** Every source's listing, in order, as the object references the pool scans; the rest is tallied. */
async function* listObjects(sources: Source[], scope: Scope, tally: Tally, reports: string[], io: HuntIO): AsyncGenerator<ObjectRef> {
  for (const source of sources) {
    for await (const entry of source.list(scope)) {
      switch (entry.type) {
        case 'object':
          tally.listed++;
          yield entry.ref;
          break;
        case 'skipped':
          tally.addSkipped(entry.reason, entry.folder);
          break;
        case 'credential-report':
          reports.push(entry.path);
          break;
        case 'unlistable':
          tally.addFailed('unlistable');
          io.report(`error: ${entry.reference}: ${entry.message}`);
          break;
      }
    }
  }
  tally.listingDone = true;
}
