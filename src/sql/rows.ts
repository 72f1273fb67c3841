// Rows of the CloudTrail table → CloudTrail events → the candidates the
// workers post. A row holds the table's columns as text (structs as JSON with
// the engine's key spelling); the event is rebuilt in CloudTrail's spelling
// from the one schema (schema.ts); the readers hand the records to the
// Scanner's scanRecords, so every row is re-checked by the local matcher and
// becomes the same Candidate type.

import type { CloudTrailEvent } from '../model.js';
import { CLOUDTRAIL_COLUMNS, type ColumnType } from './schema.js';

/** One result row: column name (lowercase) → text, or null. */
export type Row = Record<string, string | null | undefined>;

/** A struct or array value read back in CloudTrail's spelling; nulls are left out (a missing key). */
function project(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'json':
      return value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => project(v, type.of) ?? null) : undefined;
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const byLower = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
      const out: Record<string, unknown> = {};
      for (const [name, t] of type.fields) {
        const v = project(byLower.get(name.toLowerCase()), t);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
  }
}

/** The CloudTrail event a row holds. */
export function eventOfRow(row: Row): CloudTrailEvent {
  const event: CloudTrailEvent = {};
  for (const [name, type] of CLOUDTRAIL_COLUMNS) {
    const text = row[name.toLowerCase()];
    if (text === null || text === undefined) continue;
    if (type.kind === 'string') {
      event[name] = text;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (type.kind === 'json') event[name] = text; // JSON text that is not JSON: keep it as the string it is
      continue;
    }
    const v = type.kind === 'json' ? parsed : project(parsed, type);
    if (v !== undefined && v !== null) event[name] = v;
  }
  return event;
}
