// The SQL engines' place in the pipeline: they replace sources → pool only.
// Rows become the same candidates the workers post (rows.ts, re-checked by
// the local matcher) and go into the same Merge; dedup, windows, the stateful
// rule, sorting and output are hunt's own, so the hits are the same.

import type { AthenaClient } from '@aws-sdk/client-athena';
import { UsageError } from '../errors.js';
import type { HuntIO } from '../hunt.js';
import type { Merge } from '../merge/index.js';
import { eventFilter, type HuntOptions } from '../options.js';
import type { Tally } from '../output/summary.js';
import type { Rule } from '../rules/types.js';
import type { ObjectRef } from '../sources/source.js';
import { Scanner } from '../../workers/scan.js';
import { athenaClient, runAthenaQuery } from './athena.js';
import { DuckEngine } from './duckdb.js';
import { candidatesOfRows, type Row } from './rows.js';
import { athenaQuery, huntQuery } from './sql.js';

export interface EngineIO extends HuntIO {
  /** Tests hand in a client with a stubbed transport. */
  athenaClient?: AthenaClient;
  /** Athena poll interval (tests make it short). */
  athenaPollMs?: number;
  /** --dry-run prints the SQL here (stdout). */
  printSql?: (sql: string) => void;
}

export async function huntWithDuckDB(
  opts: HuntOptions,
  rules: Rule[],
  refs: ObjectRef[],
  merge: Merge,
  tally: Tally,
  io: EngineIO,
): Promise<void> {
  const query = huntQuery(rules, 'duckdb', 'cloudtrail');
  if (opts.dryRun) {
    (io.printSql ?? ((s) => process.stdout.write(s)))(query);
    return;
  }
  const paths: string[] = [];
  for (const ref of refs) {
    if (ref.kind !== 'file') throw new UsageError('--engine duckdb reads local sources only: copy the objects down, or use --engine athena');
    paths.push(ref.path);
  }
  const engine = await DuckEngine.create();
  try {
    const result = await engine.run(paths, query);
    const scanner = new Scanner(rules, eventFilter(opts), { prefilter: false });
    for (const path of result.scanned) {
      const { candidates, stats } = candidatesOfRows(scanner, path, result.rows.get(path) ?? []);
      tally.addScanned(stats);
      for (const c of candidates) merge.add(c);
    }
    for (const f of result.failed) {
      tally.addFailed(f.error.code);
      io.report(`error: ${f.path}: ${f.error.message}`);
    }
  } finally {
    engine.close();
  }
}

export async function huntWithAthena(opts: HuntOptions, rules: Rule[], merge: Merge, tally: Tally, io: EngineIO): Promise<void> {
  const query = athenaQuery(opts, rules);
  if (opts.dryRun) {
    (io.printSql ?? ((s) => process.stdout.write(s)))(query);
    return;
  }
  const client = io.athenaClient ?? athenaClient({ profile: opts.profile });
  const run = await runAthenaQuery(client, query, opts.athena, { signal: io.signal, delayMs: io.athenaPollMs });
  const scanner = new Scanner(rules, eventFilter(opts), { prefilter: false });
  // Rows arrive in no particular order; group them by object so `sources` and the summary count objects.
  const byPath = new Map<string, Row[]>();
  for await (const page of run.rows) {
    for (const row of page) {
      const path = row.path ?? '(unknown object)';
      const list = byPath.get(path) ?? [];
      list.push(row);
      byPath.set(path, list);
    }
  }
  for (const [path, rows] of [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { candidates, stats } = candidatesOfRows(scanner, path, rows);
    tally.addScanned(stats);
    for (const c of candidates) merge.add(c);
  }
  if (!opts.quiet) {
    io.report(`Athena query ${run.queryId} scanned ${(run.bytesScanned / 1e6).toFixed(1)} MB; ${byPath.size} object(s) held candidate events`);
  }
}
