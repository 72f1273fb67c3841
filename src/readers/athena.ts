// The Athena reader: one query over the CloudTrail table (the rules as
// Trino SQL, partitions from the scope), its rows re-checked by the scan core
// page by page and merged like any candidates, so memory stays flat in the
// number of rows (only the candidates that match a rule are kept).
//
// Before the query starts it says what the query cannot see or cannot
// narrow: rules whose filter is TRUE (Athena returns every event of the
// window for them), and --account/--region values the table does not project
// (Athena returns nothing there, without an error). After it, events naming
// an account or region outside the projection hint at folders the table
// leaves out.

import { Scanner } from '../scan/scanner.js';
import { athenaClient, athenaPages, Interrupted, projectedValues, type AthenaStats } from '../sql/athena.js';
import { eventOfRow, type Row } from '../sql/rows.js';
import { athenaQuery, detectionBounds } from '../sql/sql.js';
import type { Rule } from '../rules/types.js';
import { takeObject, type ReadContext, type Reader } from './reader.js';

/** Rules whose filter keeps every row: they cannot be pushed down to Athena. */
export function unpushableRules(rules: Rule[]): string[] {
  const names: string[] = [];
  for (const rule of rules) {
    if ((rule.kind === 'detection' || rule.kind === 'stateful') && detectionBounds(rule.detection, rule.file, 'trino').over === 'TRUE') {
      names.push(rule.key);
    }
  }
  return names;
}

export const athenaReader: Reader = {
  async read(ctx: ReadContext) {
    const { opts, rules, io } = ctx;
    const client = io.athenaClient ?? athenaClient({ profile: opts.profile });
    const warn = (line: string) => {
      if (!opts.quiet) io.report(`warning: ${line}`);
    };
    for (const name of unpushableRules(rules)) {
      warn(`rule ${name} cannot be pushed down: Athena returns every event of the window (bytes scanned are the same; rows returned are not)`);
    }
    const projected = await projectedValues(client, opts.athena);
    const table = `${opts.athena.database}.${opts.athena.table}`;
    if ('error' in projected) {
      warn(`cannot read the projected accounts and regions of ${table} (${projected.error}); folders the table leaves out cannot be named`);
    } else {
      const outside = (asked: string[], known: string[] | undefined) => (known ? asked.filter((v) => !known.includes(v)) : []);
      const accounts = outside(opts.scope.accounts, projected.accounts);
      const regions = outside(opts.scope.regions, projected.regions);
      if (accounts.length > 0) warn(`--account ${accounts.join(', ')}: not projected by ${table}, so Athena returns nothing there; recreate the table with hunt athena-ddl --from-bucket`);
      if (regions.length > 0) warn(`--region ${regions.join(', ')}: not projected by ${table}, so Athena returns nothing there; recreate the table with hunt athena-ddl --from-bucket`);
    }

    const scanner = new Scanner(rules, opts.scope, { prefilter: false, records: opts.events });
    const stats: AthenaStats = { bytesScanned: 0 };
    // Objects that returned rows (an object's rows can arrive over many pages): counted once each.
    const objects = new Set<string>();
    const seenAccounts = new Set<string>();
    const seenRegions = new Set<string>();
    let interrupted = false;
    try {
      for await (const page of athenaPages(client, athenaQuery(opts.athena, opts.scope, rules), opts.athena, stats, {
        signal: io.signal,
        delayMs: io.athenaPollMs,
      })) {
        for (const [path, rows] of groupByPath(page)) {
          const events = rows.map(eventOfRow);
          for (const e of events) {
            if (typeof e.recipientAccountId === 'string') seenAccounts.add(e.recipientAccountId);
            if (typeof e.awsRegion === 'string') seenRegions.add(e.awsRegion);
          }
          // An object's rows can come on several pages: it counts once.
          takeObject(ctx, path, scanner.scanRecords(events, { reference: path }), undefined, objects.has(path));
          objects.add(path);
        }
      }
    } catch (err) {
      if (!(err instanceof Interrupted)) throw err;
      interrupted = true;
    }
    if (!('error' in projected)) {
      const notProjected = (seen: Set<string>, known: string[] | undefined) => (known ? [...seen].filter((v) => !known.includes(v)).sort() : []);
      const a = notProjected(seenAccounts, projected.accounts);
      const r = notProjected(seenRegions, projected.regions);
      if (a.length > 0 || r.length > 0) {
        warn(
          `events name ${[...(a.length ? [`account(s) ${a.slice(0, 5).join(', ')}`] : []), ...(r.length ? [`region(s) ${r.slice(0, 5).join(', ')}`] : [])].join(' and ')} that ${table} does not project: their own folders, if any, were not read; recreate the table with hunt athena-ddl --from-bucket`,
        );
      }
    }
    if (!opts.quiet && stats.queryId) {
      io.report(`Athena query ${stats.queryId} scanned ${(stats.bytesScanned / 1e6).toFixed(1)} MB; ${objects.size} object(s) held candidate events`);
    }
    return { interrupted };
  },
};

function groupByPath(rows: Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const row of rows) {
    const path = row.path ?? '(unknown object)';
    const list = out.get(path);
    if (list) list.push(row);
    else out.set(path, [row]);
  }
  return out;
}
