// DuckDB over local files, standing in for the CloudTrail table: a view with
// the table's columns (schema.ts) over `read_json`, so the same hunt query
// (sql.ts) runs here as on Athena. A correctness stand-in, not a faster engine.
//
// Measured facts (MEASUREMENTS.md, issue 7; issue 14): read `Records` as an
// explicit JSON list, never with schema inference (it retypes
// eventID/eventTime and drops keys); format `unstructured`, since a
// CloudTrail object is one JSON value that may span many lines (pretty-printed
// exports) and `newline_delimited` fails those; compression set per file list
// from the bytes' gzip magic (DuckDB goes by the extension); a raised maximum
// object size; file names kept.
//
// Which objects are good is decided as the local engine decides it, not by
// DuckDB's error messages: every gzip object is gunzipped here first (DuckDB
// skips the trailer check, and a cut stream can read as zero rows without an
// error), and an object DuckDB cannot read as one {"Records": [...]} is
// classified by the local scanner, so its FAILED reason is the local one.

import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ObjectError } from '../errors.js';
import { Scanner } from '../scan/scanner.js';
import { MAX_OBJECT_BYTES, tooLarge } from '../stores/store.js';
import { CLOUDTRAIL_COLUMNS, duckStructure } from './schema.js';
import { literal } from './sql.js';
import type { Row } from './rows.js';

/** Files per query: bounds the SQL text and the memory of one result. */
const BATCH = 256;

interface Checked {
  path: string;
  gzip: boolean;
  /** Why the local engine would fail it before parsing, if it would. */
  error?: ObjectError;
  /** The first character that is not white space (after a byte-order mark): a CloudTrail object starts with `{`. */
  first?: string;
}

/**
 * What the local engine sees of the bytes before it parses them: gzip or not
 * (magic number), a gzip stream that gunzips whole (CRC and length checked by
 * zlib), the size guard, and the first character of the text.
 */
async function check(path: string): Promise<Checked> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    return { path, gzip: false, error: { code: 'unreadable', message: (err as Error).message } };
  }
  let head: Buffer;
  let size: number;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(4096);
    head = head.subarray(0, (await fh.read(head, 0, head.length, 0)).bytesRead);
  } finally {
    await fh.close();
  }
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    if (size > MAX_OBJECT_BYTES) return { path, gzip, error: tooLarge(MAX_OBJECT_BYTES) };
    return { path, gzip, first: firstChar(head) };
  }
  return new Promise((resolve) => {
    let total = 0;
    let first: string | undefined;
    let start = Buffer.alloc(0);
    const input = createReadStream(path);
    const gunzip = createGunzip();
    const done = (r: Checked) => {
      input.destroy();
      gunzip.destroy();
      resolve(r);
    };
    gunzip.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (first === undefined && start.length < 4096) {
        start = Buffer.concat([start, chunk]);
        const c = firstChar(start);
        if (c !== '') first = c;
      }
      if (total > MAX_OBJECT_BYTES) done({ path, gzip, error: tooLarge(MAX_OBJECT_BYTES, ' uncompressed') });
    });
    gunzip.on('end', () => done({ path, gzip, first: first ?? firstChar(start) }));
    gunzip.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'Z_BUF_ERROR' ? 'truncated gzip (unexpected end of data)' : `corrupt gzip (${err.message})`;
      done({ path, gzip, error: { code: 'bad-gzip', message: why } });
    });
    input.on('error', (err) => done({ path, gzip, error: { code: 'unreadable', message: err.message } }));
    input.pipe(gunzip);
  });
}

function firstChar(bytes: Buffer): string {
  const text = bytes.toString('utf8').replace(/^\ufeff/, '');
  const m = /\S/.exec(text);
  return m ? m[0] : '';
}

function reads(files: { path: string; gzip: boolean }[]): string {
  const part = (list: string[], compression: string) =>
    `SELECT filename, Records FROM read_json([${list.map(literal).join(', ')}], columns = {Records: 'JSON[]'}, format = 'unstructured', compression = '${compression}', maximum_object_size = ${MAX_OBJECT_BYTES + 1}, filename = true)`;
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
      case 'boolean':
        return `r->>${path} AS ${col}`;
      case 'json':
        return `CASE json_type(r, ${path}) WHEN 'NULL' THEN NULL WHEN 'VARCHAR' THEN r->>${path} ELSE CAST(r->${path} AS VARCHAR) END AS ${col}`;
      default:
        // A value of another shape than the table's (attacker-controlled) reads as NULL, as a serde would skip it.
        return `CASE WHEN json_type(r, ${path}) = '${type.kind === 'struct' ? 'OBJECT' : 'ARRAY'}' THEN json_transform(r->${path}, ${literal(JSON.stringify(duckStructure(type)))}) END AS ${col}`;
    }
  }).join(',\n  ');
}

const EVERYTHING = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };

/**
 * Why an object DuckDB did not read as one {"Records": [...]} fails: the
 * local scanner's own reason. If the local scanner reads it, DuckDB has a gap
 * of its own, and the object is FAILED with DuckDB's message (never silently
 * read another way, which would hide the gap this engine exists to show).
 */
async function classify(path: string, duckMessage?: string): Promise<ObjectError> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return { code: 'unreadable', message: (err as Error).message };
  }
  const result = new Scanner([], EVERYTHING, { prefilter: false }).scan(bytes, path);
  if (!result.ok) return result.error;
  return { code: 'unreadable', message: `DuckDB could not read this CloudTrail log (${duckMessage ?? 'no single {"Records": [...]} object'})` };
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
      const checked = await Promise.all(paths.slice(i, i + BATCH).map(check));
      const readable: Checked[] = [];
      for (const f of checked) {
        if (f.error) out.failed.push({ path: f.path, error: f.error });
        else if (f.first !== '{') out.failed.push({ path: f.path, error: await classify(f.path) });
        else readable.push(f);
      }
      if (readable.length > 0) await this.runBatch(readable, query, out);
    }
    return out;
  }

  private async runBatch(files: Checked[], query: string, out: DuckResult): Promise<void> {
    let good: Checked[] = [];
    const bad: Checked[] = [];
    let rows;
    try {
      // Which objects are a single {"Records": [...]}: the others fail whole, as with the local engine.
      const status = await this.conn.runAndReadAll(
        `SELECT filename, count(*) AS n, count(Records) AS ok FROM (${reads(files)}) GROUP BY filename`,
      );
      const byPath = new Map<string, { n: number; ok: number }>();
      for (const r of status.getRowObjectsJson()) {
        byPath.set(String(r.filename), { n: Number(r.n), ok: Number(r.ok) });
      }
      for (const f of files) {
        const s = byPath.get(f.path);
        (s && s.n === 1 && s.ok === 1 ? good : bad).push(f);
      }
      if (good.length > 0) {
        await this.conn.run(
          `CREATE OR REPLACE TEMP VIEW cloudtrail AS\nSELECT filename AS "$path",\n  ${columns()}\nFROM (SELECT filename, unnest(Records) AS r FROM (${reads(good)}))`,
        );
        rows = (await this.conn.runAndReadAll(query)).getRowObjectsJson();
      }
    } catch (err) {
      if (files.length > 1) {
        // One object DuckDB cannot read fails the whole query: find it by halves,
        // down to single objects (a few queries per bad object, not one per object).
        const half = Math.ceil(files.length / 2);
        await this.runBatch(files.slice(0, half), query, out);
        await this.runBatch(files.slice(half), query, out);
      } else {
        out.failed.push({ path: files[0]!.path, error: await classify(files[0]!.path, String((err as Error).message).split('\n')[0]!) });
      }
      return;
    }
    for (const f of bad) out.failed.push({ path: f.path, error: await classify(f.path) });
    for (const f of good) out.scanned.push(f.path);
    for (const row of rows ?? []) {
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
