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
import type { Candidate, CloudTrailEvent, EventView, ObjectStats } from '../model.js';
import type { Scope } from '../options.js';
import { boundValue, contentDigest } from '../merge/canonical.js';
import { CORRELATION_KINDS, correlationFields } from '../merge/correlation/index.js';
import { compileEventRules } from '../rules/compile.js';
import { compilePath, fieldValues, type FieldPath } from '../rules/fields.js';
import { needlesOf } from '../rules/needles.js';
import type { Rule } from '../rules/types.js';
import { MAX_OBJECT_BYTES, tooLarge } from '../stores/store.js';
import { contextMatcher, contextNeedles, type ContextSpec } from './context.js';
import { actorOf, targetOf } from './identity.js';
import { Prefilter } from './prefilter.js';


const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

export interface ScannerOptions {
  /** Parse only the records that hold a needle (default: on). */
  prefilter?: boolean;
  /** Candidates carry their whole record (`--events`). */
  records?: boolean;
  /** The `--context` pass: instead of the rules, match the hits' principals and addresses (their key is `context`). */
  context?: ContextSpec;
  /** Matching events one object may hold before it fails (default MAX_MATCHES_PER_OBJECT; tests lower it). */
  maxMatches?: number;
}

/**
 * Matching events one object may hold; past this the object fails as a
 * whole ("too many matching events") and contributes none. Each matching
 * event costs memory on the main thread until the output is written, so one
 * planted object of a million tiny matching records must not get to spend
 * it. A real CloudTrail object holds a few thousand records, and the MFA
 * events the rules look for are a handful of them.
 */
export const MAX_MATCHES_PER_OBJECT = 100_000;

/** Thrown inside a scan when an object passes the limit; becomes its ObjectError. */
class TooManyMatches {
  readonly error: ObjectError;
  constructor(limit: number) {
    this.error = {
      code: 'too-many-matches',
      message: `too many matching events (over ${limit.toLocaleString('en-US')} in one object): no CloudTrail object holds that many; it is not scanned`,
    };
  }
}

/** A record carried whole (`--events`) is bounded too, more loosely: CloudTrail's own events are at most 256 KB. */
const RECORD_LIMITS = { depth: 64, bytes: 1024 * 1024 };

export type { ObjectStats } from '../model.js';

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
  private readonly fieldsOf = new Map<string, FieldPath[]>();
  private readonly accounts: Set<string>;
  private readonly regions: Set<string>;
  /** Undefined when every record must be parsed. */
  readonly prefilter: Prefilter | undefined;
  private readonly records: boolean;
  private readonly maxMatches: number;

  constructor(
    rules: Rule[],
    private readonly filter: Scope,
    options: ScannerOptions = {},
  ) {
    const needles = !(options.prefilter ?? true) ? null : options.context ? contextNeedles(options.context) : needlesOf(rules);
    this.prefilter = needles === null ? undefined : new Prefilter(needles);
    this.maxMatches = options.maxMatches ?? MAX_MATCHES_PER_OBJECT;
    this.predicates = options.context
      ? [{ key: 'context', match: contextMatcher(options.context) }]
      : compileEventRules(rules).map(({ rule, match }) => ({ key: rule.key, match }));
    this.records = options.records ?? false;
    for (const rule of rules) {
      if (rule.kind === 'correlation') {
        for (const [base, paths] of correlationFields(rule, rules, CORRELATION_KINDS[rule.type])) this.addFields(base, paths);
        // A correlation's hit takes its `fields` from its first event, which any rule down its chain may have matched.
        for (const base of detectionRulesOf(rule, rules)) this.addFields(base, rule.outputFields ?? []);
      } else if (rule.kind === 'stateful') {
        this.addFields(rule.key, [...rule.fields, ...(rule.outputFields ?? [])]);
      } else {
        this.addFields(rule.key, rule.outputFields ?? []);
      }
    }
    this.accounts = new Set(filter.accounts);
    this.regions = new Set(filter.regions);
  }

  private addFields(key: string, paths: string[]): void {
    const list = this.fieldsOf.get(key) ?? [];
    for (const p of paths) if (!list.some((f) => f.path === p)) list.push(compilePath(p));
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
    try {
      if (this.prefilter && gzip) {
        const fast = this.scanSelected(plain, source);
        if (fast) return fast;
      }
      return this.scanWhole(textOf(plain), source);
    } catch (err) {
      if (err instanceof TooManyMatches) return { ok: false, error: err.error };
      throw err;
    }
  }

  /**
   * The prefilter's path: parse only the records that hold a needle, one at
   * a time (no list of every parsed record is held); undefined means "parse
   * it whole".
   */
  private scanSelected(plain: Buffer, source: ScanSource): ScanResult | undefined {
    const selection = this.prefilter!.select(plain);
    if (!selection) return undefined;
    const stats = newStats(plain.length, selection.records);
    const candidates: Candidate[] = [];
    const pieces = selection.pieces;
    for (let i = 0; i < pieces.length; i++) {
      let record: unknown;
      try {
        record = JSON.parse(pieces[i]!);
      } catch {
        return undefined;
      }
      pieces[i] = ''; // its text is no longer needed
      this.scanRecord(record, source, stats, candidates);
    }
    if (!stats.covered) this.sampleFirstRecord(plain, source, stats);
    return { ok: true, candidates, stats };
  }
  /**
   * The first record's eventTime, read from the text without parsing the
   * record: the prefilter skipped the records without a rule literal, and
   * this one says whether the object holds events of the window at all.
   */
  private sampleFirstRecord(plain: Buffer, source: ScanSource, stats: ObjectStats): void {
    const head = plain.toString('latin1', 0, Math.min(plain.length, 16_384));
    const m = /"eventTime":"([^"\\]{1,40})"/.exec(head);
    const recipient = /"recipientAccountId":"(\d{12})"/.exec(head)?.[1] ?? null;
    const region = /"awsRegion":"([a-z0-9-]{1,30})"/.exec(head)?.[1];
    if (!m) return;
    const t = eventTimeOf({ eventTime: m[1] });
    if (t === undefined) return;
    noteTime(stats, t);
    if (this.inScope({ awsRegion: region }, t, recipient, source)) stats.covered = true;
  }

  /**
   * Records that arrive already parsed (rows of a SQL reader rebuilt as
   * CloudTrail records): the same checks and predicates, no bytes. Past the
   * limit of matching events, the object's result is its ObjectError.
   */
  scanRecords(records: readonly unknown[], from: ScanSource | string): { candidates: Candidate[]; stats: ObjectStats; error?: ObjectError } {
    const source = typeof from === 'string' ? { reference: from } : from;
    try {
      return this.scanParsed(records, 0, records.length, source);
    } catch (err) {
      if (err instanceof TooManyMatches) return { candidates: [], stats: newStats(0, records.length), error: err.error };
      throw err;
    }
  }

  private scanParsed(records: readonly unknown[], bytes: number, count: number, source: ScanSource): ScanResult & { ok: true } {
    const stats = newStats(bytes, count);
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
    noteTime(stats, t);
    if (!this.inScope(event, t, recipient, source)) return;
    stats.events++;
    stats.covered = true;
    let matched: string[] | undefined;
    for (const p of this.predicates) {
      if (p.match(event)) (matched ??= []).push(p.key);
    }
    if (matched) {
      if (candidates.length >= this.maxMatches) throw new TooManyMatches(this.maxMatches);
      candidates.push({ rules: matched, event: this.view(event, t, matched), source: source.reference });
    }
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
      for (const path of this.fieldsOf.get(key) ?? []) {
        const p = path.path;
        if (Object.hasOwn(fields, p)) continue;
        const values = fieldValues(event, path);
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
      target: targetOf(event),
      errorCode: stringOr(event.errorCode),
      fields,
      ...(this.records ? { record: boundRecord(event) } : {}),
    };
  }
}

function newStats(bytes: number, records: number): ObjectStats {
  return { bytes, records, events: 0, notObjects: 0, badTimes: 0, firstMs: null, lastMs: null, covered: false, otherAccount: null };
}

function noteTime(stats: ObjectStats, t: number): void {
  if (stats.firstMs === null || t < stats.firstMs) stats.firstMs = t;
  if (stats.lastMs === null || t > stats.lastMs) stats.lastMs = t;
}

/**
 * zlib's output chunk for one object: its uncompressed size, which the gzip
 * trailer states (ISIZE, mod 2^32), so zlib inflates into one buffer instead
 * of concatenating 16 KB chunks (about a quarter of gunzip's time on
 * CloudTrail objects). The trailer is the object's own word: the chunk is
 * bounded by what deflate can expand these bytes to (at most 1032:1) and by
 * the size guard, and a wrong size only costs a concatenation again.
 */
function outputChunk(bytes: Uint8Array): number {
  const MIN = 64 * 1024;
  if (bytes.length < 18) return MIN;
  const isize = (bytes[bytes.length - 4]! | (bytes[bytes.length - 3]! << 8) | (bytes[bytes.length - 2]! << 16) | (bytes[bytes.length - 1]! << 24)) >>> 0;
  return Math.max(MIN, Math.min(isize + 1, bytes.length * 1032 + 1024, MAX_OBJECT_BYTES + 1));
}

/** gunzip when the bytes start with the gzip magic number, whatever the name says; also says whether it did. */
function decode(bytes: Uint8Array): { plain: Buffer; gzip: boolean } {
  let plain: Buffer;
  let gzip = false;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    gzip = true;
    try {
      plain = gunzipSync(bytes, { maxOutputLength: MAX_OBJECT_BYTES, chunkSize: outputChunk(bytes) });
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

/** The record for `--events`, bounded; a record past the bounds keeps its identity and says why the rest is left out. */
function boundRecord(event: CloudTrailEvent): CloudTrailEvent {
  const bounded = boundValue(event, RECORD_LIMITS);
  if (typeof bounded !== 'string') return bounded as CloudTrailEvent;
  return { eventID: event.eventID, eventTime: event.eventTime, huntNote: bounded.replace('value omitted', 'record omitted') };
}

/** The detection rules a correlation rests on, down its whole chain. */
function detectionRulesOf(rule: Rule, rules: readonly Rule[], seen = new Set<string>()): string[] {
  if (rule.kind !== 'correlation') return [];
  const out: string[] = [];
  for (const key of rule.rules) {
    if (seen.has(key)) continue;
    seen.add(key);
    const target = rules.find((r) => r.key === key);
    if (target?.kind === 'detection') out.push(key);
    else if (target) out.push(...detectionRulesOf(target, rules, seen));
  }
  return out;
}
