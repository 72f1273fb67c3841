// The Athena reader: one query over the CloudTrail table (the rules as
// Trino SQL, partitions from the scope), its rows re-checked by the scan core
// and merged like any candidates.

import type { Row } from '../sql/rows.js';
import { eventOfRow } from '../sql/rows.js';
import { Scanner } from '../scan/scanner.js';
import { athenaClient, runAthenaQuery } from '../sql/athena.js';
import { athenaQuery } from '../sql/sql.js';
import { takeObject, type ReadContext, type Reader } from './reader.js';

export const athenaReader: Reader = {
  async read(ctx: ReadContext) {
    const { opts, rules, io } = ctx;
    const client = io.athenaClient ?? athenaClient({ profile: opts.profile });
    const run = await runAthenaQuery(client, athenaQuery(opts.athena, opts.scope, rules), opts.athena, {
      signal: io.signal,
      delayMs: io.athenaPollMs,
    });
    const scanner = new Scanner(rules, opts.scope, { prefilter: false });
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
      takeObject(ctx, path, scanner.scanRecords(rows.map(eventOfRow), { reference: path }));
    }
    if (!opts.quiet) {
      io.report(`Athena query ${run.queryId} scanned ${(run.bytesScanned / 1e6).toFixed(1)} MB; ${byPath.size} object(s) held candidate events`);
    }
    return { interrupted: io.signal?.aborted ?? false };
  },
};
