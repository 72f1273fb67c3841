// Rows of the CloudTrail table → CloudTrail events → the candidates the
// workers post. A row holds the table's columns as text (structs as JSON with
// the engine's key spelling); the event is rebuilt in CloudTrail's spelling
// from the one schema (schema.ts); the readers hand the records to the
// Scanner's scanRecords, so every row is re-checked by the local matcher and
// becomes the same Candidate type.
//
// What the table can say is what comes back. Keys are spelled as CloudTrail
// spells them (`resources[].ARN`, `userIdentity.accountId`) whatever case the
// engine gives them; a JSON `null` inside a JSON-text column stays `null`. A
// top-level column or a struct field that is SQL NULL reads as missing: the
// table's reader gives NULL for a key holding `null` and for an absent key
// alike, so nothing after it can tell them apart (README: "What differs").

import type { CloudTrailEvent } from '../model.js';
import { CLOUDTRAIL_COLUMNS, type ColumnType } from './schema.js';

/** One result row: column name (lowercase) → text, or null. */
export type Row = Record<string, string | null | undefined>;

/** A string column as CloudTrail wrote it: `readOnly` is a JSON boolean there, a string in the table. */
function booleanOrText(text: string): boolean | string {
  return text === 'true' ? true : text === 'false' ? false : text;
}

/** A struct, array or map value read back in CloudTrail's spelling; undefined means "no value" (the key is left out). */
function project(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'boolean':
      return typeof value === 'string' ? booleanOrText(value) : value;
    case 'json':
      return value;
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = v === null || typeof v === 'string' ? v : JSON.stringify(v);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => project(v, type.of) ?? null) : undefined;
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      // Engines lowercase struct field names (Hive) or keep the declared ones: match either way.
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
    if (type.kind === 'boolean') {
      event[name] = booleanOrText(text);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (type.kind === 'json') event[name] = text; // JSON text that is not JSON: keep it as the string it is
      continue;
    }
    // A JSON column keeps its JSON as is, nulls inside included.
    const v = type.kind === 'json' ? parsed : project(parsed, type);
    if (v !== undefined) event[name] = v;
  }
  return event;
}
