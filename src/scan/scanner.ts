// The scan core, free of threads so tests and every reader can call it:
// bytes → gunzip (when the bytes say gzip) → prefilter → parse → per-event
// predicates → small candidates (`scan`), or records that arrive already
// parsed, such as SQL rows (`scanRecords`). The worker (workers/scan.worker.ts)
// is a thin shell around it.
//
// The prefilter (prefilter.ts) parses only the records that hold one
// of the rules' needles (src/rules/needles.ts). It is skipped, and the whole
// object parsed, when some rule has no usable literal, when the object is not
// gzip (a plain file can be cut anywhere; gzip's CRC and length prove the bytes
// are whole), when the text does not have CloudTrail's layout, or when a
// cut-out record is not valid JSON; so an object that is not JSON still fails
// as a whole. With the prefilter on, ObjectStats mean:
//   records     record starts (`{"eventVersion":`) in the object — every record
//               CloudTrail writes;
//   events      events in scope among the records parsed (those holding a
//               needle), i.e. the events the rules could match, not every event;
//   notObjects, badTimes  among the records parsed.
// The options turn it off (`HUNT_PREFILTER=off`; benchmarks and tests compare both).

import { isAscii } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import type { ObjectError } from '../errors.js';
import type { Candidate, CloudTrailEvent, EventView } from '../model.js';
import type { Scope } from '../options.js';
import { boundValue, contentDigest } from '../merge/canonical.js';
import { CORRELATION_KINDS, correlationFields } from '../merge/correlation/index.js';
import { compileEventRules } from '../rules/compile.js';
import { fieldValues } from '../rules/fields.js';
import { needlesOf } from '../rules/needles.js';
import type { Rule } from '../rules/types.js';
import { MAX_OBJECT_BYTES, tooLarge } from '../stores/store.js';
import { Prefilter } from './prefilter.js';


const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

export interface ScannerOptions {
  /** Parse only the records that hold a needle (default: on). */
  prefilter?: boolean;
}

/** What one scanned object contributed, for the summary. */
export interface ObjectStats {
  /** Uncompressed bytes. */
  bytes: number;
  /** Records in the object. */
  records: number;
  /** Events inside the scope (time window, accounts, regions). */
  events: number;
  /** Records that are not JSON objects. */
  notObjects: number;
  /** Events without a parsable `eventTime`. */
  badTimes: number;
  /** Earliest and latest eventTime among the events examined (epoch ms), null when none. */
  firstMs: number | null;
  lastMs: number | null;
  /** A `recipientAccountId` other than the account folder of the object's key, when one was seen. */
  otherAccount: string | null;
}

/** The object being scanned: its reference for `sources`, and its key's account when the layout gives one. */
export interface ScanSource {
  reference: string;
  account?: string;
}

export type ScanResult =
  | { ok: true; candidates: Candidate[]; stats: ObjectStats }
  | { ok: false; error: ObjectError };

/** A compiled scanner for one set of rules and one event filter. */
export class Scanner {
  private readonly predicates: { key: string; match: (e: CloudTrailEvent) => boolean }[];
  /** Extra dotted paths each rule needs carried to the merge stage. */
  private readonly fieldsOf = new Map<string, string[]>();
  private readonly accounts: Set<string>;
  private readonly regions: Set<string>;
  /** Undefined when every record must be parsed. */
  readonly prefilter: Prefilter | undefined;

  constructor(
    rules: Rule[],
    private readonly filter: Scope,
    options: ScannerOptions = {},
  ) {
    const needles = (options.prefilter ?? true) ? needlesOf(rules) : null;
    this.prefilter = needles === null ? undefined : new Prefilter(needles);
    this.predicates = compileEventRules(rules).map(({ rule, match }) => ({ key: rule.key, match }));
    for (const rule of rules) {
      if (rule.kind === 'correlation') {
        for (const [base, paths] of correlationFields(rule, rules, CORRELATION_KINDS[rule.type])) this.addFields(base, paths);
      } else if (rule.kind === 'stateful') {
        this.addFields(rule.key, rule.fields);
      }
    }
    this.accounts = new Set(filter.accounts);
    this.regions = new Set(filter.regions);
  }

  private addFields(key: string, paths: string[]): void {
    const list = this.fieldsOf.get(key) ?? [];
    for (const p of paths) if (!list.includes(p)) list.push(p);
    this.fieldsOf.set(key, list);
  }

  /** Scans one object's bytes. Never throws: a bad object is a result, not an exception. */
  scan(bytes: Uint8Array, from: ScanSource | string): ScanResult {
    const source = typeof from === 'string' ? { reference: from } : from;
    let decoded: { plain: Buffer; gzip: boolean };
    try {
      decoded = decode(bytes);
    } catch (err) {
      return { ok: false, error: err as ObjectError };
    }
    const { plain, gzip } = decoded;
    if (this.prefilter && gzip) {
      const fast = this.scanSelected(plain, source);
      if (fast) return fast;
    }
    return this.scanWhole(textOf(plain), source);
  }

  /** The prefilter's path: parse only the records that hold a needle; undefined means "parse it whole". */
  private scanSelected(plain: Buffer, source: ScanSource): ScanResult | undefined {
    const selection = this.prefilter!.select(plain);
    if (!selection) return undefined;
    const records: unknown[] = [];
    for (const piece of selection.pieces) {
      try {
        records.push(JSON.parse(piece));
      } catch {
        return undefined;
      }
    }
    return this.scanParsed(records, plain.length, selection.records, source);
  }

  /**
   * Records that arrive already parsed (rows of a SQL reader rebuilt as
   * CloudTrail records): the same checks and predicates, no bytes.
   */
  scanRecords(records: readonly unknown[], from: ScanSource | string): { candidates: Candidate[]; stats: ObjectStats } {
    const source = typeof from === 'string' ? { reference: from } : from;
    return this.scanParsed(records, 0, records.length, source);
  }

  private scanParsed(records: readonly unknown[], bytes: number, count: number, source: ScanSource): ScanResult & { ok: true } {
    const stats: ObjectStats = { bytes, records: count, events: 0, notObjects: 0, badTimes: 0, firstMs: null, lastMs: null, otherAccount: null };
    const candidates: Candidate[] = [];
    for (const record of records) this.scanRecord(record, source, stats, candidates);
    return { ok: true, candidates, stats };
  }

  private scanWhole(text: string, source: ScanSource): ScanResult {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      const empty = text.trim() === '';
      return {
        ok: false,
        error: {
          code: 'not-json',
          message: empty ? 'the object is empty' : `not JSON (${(err as Error).message})`,
        },
      };
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.hasOwn(doc, 'Records')) {
      return {
        ok: false,
        error: { code: 'not-cloudtrail', message: 'not a CloudTrail log: JSON without a "Records" list' },
      };
    }
    const records = (doc as { Records: unknown }).Records;
    if (!Array.isArray(records)) {
      return { ok: false, error: { code: 'not-cloudtrail', message: 'not a CloudTrail log: "Records" is not a list' } };
    }
    return this.scanParsed(records, text.length, records.length, source);
  }

  private scanRecord(record: unknown, source: ScanSource, stats: ObjectStats, candidates: Candidate[]): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      stats.notObjects++;
      return;
    }
    const event = record as CloudTrailEvent;
    const t = eventTimeOf(event);
    if (t === undefined) {
      stats.badTimes++;
      return;
    }
    const recipient = stringOr(event.recipientAccountId);
    if (source.account !== undefined && recipient !== null && recipient !== source.account) stats.otherAccount ??= recipient;
    if (!this.inScope(event, t, recipient, source)) return;
    stats.events++;
    if (stats.firstMs === null || t < stats.firstMs) stats.firstMs = t;
    if (stats.lastMs === null || t > stats.lastMs) stats.lastMs = t;
    let matched: string[] | undefined;
    for (const p of this.predicates) {
      if (p.match(event)) (matched ??= []).push(p.key);
    }
    if (matched) candidates.push({ rules: matched, event: this.view(event, t, matched), source: source.reference });
  }

  /**
   * In the window, and in the accounts and regions asked for. An event counts
   * for `--account X` when its recipientAccountId or its key's account folder
   * is X: copied or re-homed logs disagree, and neither may hide an event.
   */
  private inScope(event: CloudTrailEvent, t: number, recipient: string | null, source: ScanSource): boolean {
    if (t < this.filter.sinceMs || t >= this.filter.untilMs) return false;
    if (this.accounts.size > 0 && !this.accounts.has(recipient ?? '') && !(source.account !== undefined && this.accounts.has(source.account))) {
      return false;
    }
    if (this.regions.size > 0 && !this.regions.has(stringOr(event.awsRegion) ?? '')) return false;
    return true;
  }

  private view(event: CloudTrailEvent, t: number, rules: string[]): EventView {
    const fields: Record<string, unknown> = {};
    for (const key of rules) {
      for (const p of this.fieldsOf.get(key) ?? []) {
        if (Object.hasOwn(fields, p)) continue;
        const values = fieldValues(event, p);
        // Bounded: a value nested thousands deep would overflow structured
        // clone on its way to the main thread (see boundValue).
        fields[p] = boundValue(values.length === 0 ? null : values.length === 1 ? values[0] : values);
      }
    }
    return {
      eventID: eventIDOf(event.eventID),
      digest: contentDigest(event),
      time: formatTime(t),
      t,
      eventName: stringOr(event.eventName),
      eventSource: stringOr(event.eventSource),
      account: stringOr(event.recipientAccountId),
      region: stringOr(event.awsRegion),
      sourceIPAddress: stringOr(event.sourceIPAddress),
      actor: actorOf(event.userIdentity),
      fields,
    };
  }
}

/** gunzip when the bytes start with the gzip magic number, whatever the name says; also says whether it did. */
function decode(bytes: Uint8Array): { plain: Buffer; gzip: boolean } {
  let plain: Buffer;
  let gzip = false;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    gzip = true;
    try {
      plain = gunzipSync(bytes, { maxOutputLength: MAX_OBJECT_BYTES });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(MAX_OBJECT_BYTES, ' uncompressed');
      }
      const why = e.code === 'Z_BUF_ERROR' ? 'truncated gzip (unexpected end of data)' : `corrupt gzip (${e.message})`;
      throw { code: 'bad-gzip', message: why } satisfies ObjectError;
    }
  } else {
    if (bytes.length > MAX_OBJECT_BYTES) {
      throw tooLarge(MAX_OBJECT_BYTES);
    }
    plain = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return { plain, gzip };
}

/** The bytes as text: UTF-8 (without a byte-order mark); pure ASCII, the usual case, decodes 3× faster as latin1, to the same string. */
function textOf(plain: Buffer): string {
  if (isAscii(plain)) return plain.toString('latin1');
  let text = plain.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** `eventTime` as epoch ms, or undefined when missing or not an ISO 8601 time. */
export function eventTimeOf(event: CloudTrailEvent): number | undefined {
  const raw = event.eventTime;
  if (typeof raw !== 'string' || !ISO_TIME.test(raw)) return undefined;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? t : undefined;
}

/** CloudTrail's own format: seconds, `Z`; milliseconds only when the event had them. */
export function formatTime(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A string eventID; `""` is no eventID at all (DESIGN.md, "Window semantics"). */
function eventIDOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function actorOf(identity: unknown): string | null {
  if (typeof identity !== 'object' || identity === null) return null;
  const id = identity as Record<string, unknown>;
  return stringOr(id.userName) ?? stringOr(id.arn) ?? stringOr(id.principalId) ?? stringOr(id.invokedBy) ?? stringOr(id.type);
}
