// The DuckDB reader: the stores list as for the objects reader, DuckDB reads
// the files with the rules as SQL, and the rows it keeps are re-checked by the
// scan core and merged like any candidates. Our proof that the SQL path
// finds what a local hunt finds.

import { UsageError } from '../errors.js';
import { Scanner } from '../scan/scanner.js';
import { DuckEngine } from '../sql/duckdb.js';
import { eventOfRow } from '../sql/rows.js';
import { huntQuery } from '../sql/sql.js';
import { listObjects, takeObject, type ReadContext, type Reader } from './reader.js';

export const duckdbReader: Reader = {
  async read(ctx: ReadContext) {
    const { opts, rules, tally, io } = ctx;
    const refs = [];
    for await (const ref of listObjects(ctx)) {
      if (ref.store !== 'file') throw new UsageError('--engine duckdb reads local sources only: copy the objects down, or use --engine athena');
      refs.push(ref);
    }
    const engine = await DuckEngine.create();
    try {
      const result = await engine.run(
        refs.map((r) => r.reference),
        huntQuery(rules, 'duckdb', 'cloudtrail'),
      );
      const scanner = new Scanner(rules, opts.scope, { prefilter: false, records: opts.events });
      const byPath = new Map(refs.map((r) => [r.reference, r]));
      for (const path of result.scanned) {
        const ref = byPath.get(path)!;
        takeObject(ctx, ref.reference, scanner.scanRecords((result.rows.get(path) ?? []).map(eventOfRow), ref));
      }
      for (const f of result.failed) {
        tally.addFailed(f.error.code, f.path, f.error.message);
        io.report(`error: ${f.path}: ${f.error.message}`);
      }
    } finally {
      engine.close();
    }
    return { interrupted: false };
  },
};
