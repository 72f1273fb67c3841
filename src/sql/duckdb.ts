// DuckDB over local files, standing in for the CloudTrail table: a view with
// the table's columns (schema.ts) over `read_json`, so the same hunt query
// (sql.ts) runs here as on Athena. A correctness stand-in, not a faster engine.
//
// Measured facts (MEASUREMENTS.md, issue 7): read `Records` as an explicit
// JSON list, never with schema inference (it retypes eventID/eventTime and
// drops keys); newline-delimited with errors ignored (the default format fails
// the whole query on one bad file); compression set per file list from the
// bytes' gzip magic (DuckDB goes by the extension); a raised maximum object
// size (a CloudTrail object is one JSON value); file names kept.

import { open } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ObjectError } from '../errors.js';
import { CLOUDTRAIL_COLUMNS, duckStructure } from './schema.js';
import { literal } from './sql.js';
import type { Row } from './rows.js';

/** Largest object read (the local scanner's guard is the same order). */
const MAX_OBJECT_BYTES = 512 * 1024 * 1024;
/** Files per query: bounds the SQL text and the memory of one result. */
const BATCH = 256;

export interface DuckFile {
  path: string;
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

function reads(files: { path: string; gzip: boolean }[]): string {
  const part = (list: string[], compression: string) =>
    `SELECT filename, Records FROM read_json([${list.map(literal).join(', ')}], columns = {Records: 'JSON[]'}, format = 'newline_delimited', ignore_errors = true, compression = '${compression}', maximum_object_size = ${MAX_OBJECT_BYTES}, filename = true)`;
  const gz = files.filter((f) => f.gzip).map((f) => f.path);
  const plain = files.filter((f) => !f.gzip).map((f) => f.path);
  const parts = [];
  if (gz.length > 0) parts.push(part(gz, 'gzip'));
  if (plain.length > 0) parts.push(part(plain, 'uncompressed'));
  return parts.join('\nUNION ALL\n');
}

/** The view's column expressions over one record `r` (JSON). */
function columns(): string {
  return CLOUDTRAIL_COLUMNS.map(([name, type]) => {
    const col = name.toLowerCase();
    const path = literal(`$."${name}"`);
    switch (type.kind) {
      case 'string':
        return `r->>${path} AS ${col}`;
      case 'json':
        return `CASE json_type(r, ${path}) WHEN 'NULL' THEN NULL WHEN 'VARCHAR' THEN r->>${path} ELSE CAST(r->${path} AS VARCHAR) END AS ${col}`;
      default:
        // A value of another shape than the table's (attacker-controlled) reads as NULL, as a serde would skip it.
        return `CASE WHEN json_type(r, ${path}) = '${type.kind === 'struct' ? 'OBJECT' : 'ARRAY'}' THEN json_transform(r->${path}, ${literal(JSON.stringify(duckStructure(type)))}) END AS ${col}`;
    }
  }).join(',\n  ');
}

export interface DuckResult {
  /** Rows of the hunt query by object path. */
  rows: Map<string, Row[]>;
  /** Objects read whole and well: every path with zero or more rows. */
  scanned: string[];
  failed: { path: string; error: ObjectError }[];
}

export class DuckEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async create(): Promise<DuckEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    return new DuckEngine(instance, await instance.connect());
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** Runs a query that reads the table `cloudtrail` (e.g. sql.ts huntQuery in the DuckDB dialect) over local files. */
  async run(paths: string[], query: string): Promise<DuckResult> {
    const out: DuckResult = { rows: new Map(), scanned: [], failed: [] };
    for (let i = 0; i < paths.length; i += BATCH) {
      const batch = paths.slice(i, i + BATCH);
      const files = await Promise.all(
        batch.map(async (path) => ({ path, gzip: await isGzip(path).catch(() => false) })),
      );
      await this.runBatch(files, query, out, true);
    }
    return out;
  }

  private async runBatch(files: { path: string; gzip: boolean }[], query: string, out: DuckResult, retry: boolean): Promise<void> {
    let good: { path: string; gzip: boolean }[];
    try {
      // Which objects are a single {"Records": [...]}: the others fail whole, as with the local engine.
      const status = await this.conn.runAndReadAll(
        `SELECT filename, count(*) AS n, count(Records) AS ok FROM (${reads(files)}) GROUP BY filename`,
      );
      const byPath = new Map<string, { n: number; ok: number }>();
      for (const r of status.getRowObjectsJson()) {
        byPath.set(String(r.filename), { n: Number(r.n), ok: Number(r.ok) });
      }
      good = [];
      for (const f of files) {
        const s = byPath.get(f.path);
        if (s && s.n === 1 && s.ok === 1) good.push(f);
        else {
          out.failed.push({
            path: f.path,
            error: { code: 'not-cloudtrail', message: 'not a CloudTrail log: DuckDB read no single {"Records": [...]} object' },
          });
        }
      }
    } catch (err) {
      if (!retry || files.length === 1) {
        for (const f of files) {
          const first = String((err as Error).message).split('\n')[0]!;
          out.failed.push({
            path: f.path,
            error: f.gzip ? { code: 'bad-gzip', message: `corrupt or truncated gzip (DuckDB: ${first})` } : { code: 'unreadable', message: `DuckDB: ${first}` },
          });
        }
        return;
      }
      // One bad object fails the whole query: find it by reading the batch one object at a time.
      for (const f of files) await this.runBatch([f], query, out, false);
      return;
    }
    if (good.length === 0) return;
    await this.conn.run(
      `CREATE OR REPLACE TEMP VIEW cloudtrail AS\nSELECT filename AS "$path",\n  ${columns()}\nFROM (SELECT filename, unnest(Records) AS r FROM (${reads(good)}))`,
    );
    const result = await this.conn.runAndReadAll(query);
    for (const f of good) out.scanned.push(f.path);
    for (const row of result.getRowObjectsJson()) {
      const path = String(row.path);
      const text: Row = {};
      for (const [k, v] of Object.entries(row)) text[k] = v === null ? null : String(v);
      const list = out.rows.get(path) ?? [];
      list.push(text);
      out.rows.set(path, list);
    }
  }

  /** Rows of any query, as text (for tests: the rows an Athena stub serves). */
  async rowsOf(paths: string[], query: string): Promise<Row[]> {
    const r = await this.run(paths, query);
    return [...r.rows.values()].flat();
  }
}
