// Counts for the summary on stderr: every object is scanned, skipped (why) or
// failed (why), and every record read or dropped (why).

import type { Hit, ObjectErrorCode, ObjectStats, SkipReason } from '../model.js';
import { forTerminal } from './sanitize.js';

const SKIP_WORDS: Record<SkipReason, string> = {
  digest: 'CloudTrail digest',
  insight: 'CloudTrail Insights',
  aggregated: 'CloudTrail aggregated',
  'other-service': 'other AWS service logs',
  'not-a-log': 'not a .json/.json.gz log',
  'out-of-scope': 'outside --since/--until/--account/--region',
};

const FAIL_WORDS: Record<ObjectErrorCode, string> = {
  unreadable: 'unreadable',
  'bad-gzip': 'bad gzip',
  'not-json': 'not JSON',
  'not-cloudtrail': 'not CloudTrail',
  'too-large': 'too large',
  'worker-crash': 'crashed the scanner',
  'not-credential-report': 'not a credential report',
};

const FAIL_WORDS_ALL: Record<ObjectErrorCode | 'unlistable', string> = { ...FAIL_WORDS, unlistable: 'unlistable' };

export class Tally {
  scanned = 0;
  bytes = 0;
  records = 0;
  events = 0;
  notObjects = 0;
  badTimes = 0;
  readonly skippedFiles = new Map<SkipReason, number>();
  readonly skippedFolders = new Map<SkipReason, number>();
  readonly failed = new Map<ObjectErrorCode | 'unlistable', number>();
  credentialReports = 0;
  /** Requests of network stores, by the store's label (`S3`): shown when such a store was hunted. */
  readonly requests = new Map<string, { list: number; get: number }>();
  /** Objects listed so far (for progress). */
  listed = 0;
  /**
   * Stored bytes (as listed: gzip, mostly) of the objects listed so far, and
   * of those scanned: progress's MB done of the total and its ETA. `bytes`
   * counts uncompressed bytes and cannot be compared with listed sizes.
   */
  listedBytes = 0;
  scannedStoredBytes = 0;
  listingDone = false;
  /**
   * Oldest and newest `eventTime` (epoch ms) of the records read, whether or
   * not they fell inside the window: what the summary's `events` line shows.
   * Fed by `noteEventTime`; both are NaN until then.
   */
  eventMinMs = NaN;
  eventMaxMs = NaN;
  /** Objects with some record inside the window and filters: none means the hunt covered no events. */
  coveredObjects = 0;
  /** Oldest and newest day folder (`YYYY/MM/DD`) of the layout seen while listing, scanned or skipped. */
  oldestDay: string | null = null;
  newestDay: string | null = null;

  noteDay(day: string): void {
    if (this.oldestDay === null || day < this.oldestDay) this.oldestDay = day;
    if (this.newestDay === null || day > this.newestDay) this.newestDay = day;
  }

  /** One object listed, with its size in bytes. */
  noteListed(bytes: number): void {
    this.listed++;
    if (Number.isFinite(bytes) && bytes > 0) this.listedBytes += bytes;
  }

  /**
   * An event time read (epoch ms). Cheap enough per record; a worker that
   * tracks its own oldest and newest can instead call it with just those two.
   */
  noteEventTime(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (!(ms >= this.eventMinMs)) this.eventMinMs = ms;
    if (!(ms <= this.eventMaxMs)) this.eventMaxMs = ms;
  }

  /** The event time range read, or null when no event time was noted. */
  get eventRange(): { minMs: number; maxMs: number } | null {
    return Number.isNaN(this.eventMinMs) ? null : { minMs: this.eventMinMs, maxMs: this.eventMaxMs };
  }

  /** One object scanned; `storedBytes` is its listed size (the reference's `size`), for progress. */
  addScanned(stats: ObjectStats, storedBytes?: number): void {
    this.scanned++;
    if (storedBytes !== undefined && Number.isFinite(storedBytes) && storedBytes > 0) this.scannedStoredBytes += storedBytes;
    this.bytes += stats.bytes;
    this.records += stats.records;
    this.events += stats.events;
    this.notObjects += stats.notObjects;
    this.badTimes += stats.badTimes;
    if (stats.covered) this.coveredObjects++;
    if (stats.firstMs !== null) this.noteEventTime(stats.firstMs);
    if (stats.lastMs !== null) this.noteEventTime(stats.lastMs);
  }

  addRequests(label: string, list: number, get: number): void {
    const held = this.requests.get(label) ?? { list: 0, get: 0 };
    held.list += list;
    held.get += get;
    this.requests.set(label, held);
  }

  addSkipped(reason: SkipReason, folder: boolean): void {
    const map = folder ? this.skippedFolders : this.skippedFiles;
    map.set(reason, (map.get(reason) ?? 0) + 1);
  }

  /** Every failed object by name, with its reason (the HTML report lists them). */
  readonly failures: { ref: string; reason: string }[] = [];

  addFailed(code: ObjectErrorCode | 'unlistable', reference?: string, reason?: string): void {
    if (reference !== undefined) this.failures.push({ ref: reference, reason: reason ?? FAIL_WORDS_ALL[code] });
    this.failed.set(code, (this.failed.get(code) ?? 0) + 1);
  }

  get failedCount(): number {
    let n = 0;
    for (const v of this.failed.values()) n += v;
    return n;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function breakdown<K extends string>(map: Map<K, number>, words: Record<K, string>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${n.toLocaleString('en-US')} ${words[k]}`)
    .join(', ');
}

/** What the closing summary reports. Everything but the first four is optional: what is absent is not mentioned. */
export interface SummaryInput {
  tally: Tally;
  hits: readonly Hit[];
  elapsedMs: number;
  /** Stopped by Ctrl-C or a signal: the counts are partial. */
  interrupted: boolean;
  /** The resolved `--since`/`--until` (epoch ms, `since <= eventTime < until`); ±Infinity for an open end. */
  window?: { sinceMs: number; untilMs: number };
  /**
   * Oldest and newest event time actually read (epoch ms), or null when none
   * was. Defaults to `tally.eventRange`.
   */
  eventRange?: { minMs: number; maxMs: number } | null;
  /**
   * Rules: `loaded` run, `skipped` for another log source than CloudTrail,
   * `refused` (a rule file that could not be used, when the hunt goes on without it).
   */
  rules?: { loaded: number; skipped: number; refused: number };
  /** eventIDs shared by records with different content (DESIGN: window semantics). */
  collisions?: { count: number; first: string };
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'informational'];

/** An instant as the summary prints it: UTC, to the minute unless it has seconds. */
export function shortTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-01T13:00:00.000Z
  if (iso.endsWith(':00.000Z')) return iso.slice(0, 16) + 'Z';
  if (iso.endsWith('.000Z')) return iso.slice(0, 19) + 'Z';
  return iso;
}

function windowLine(w: { sinceMs: number; untilMs: number }): string {
  const since = Number.isFinite(w.sinceMs) ? shortTime(w.sinceMs) : '(open: no --since)';
  const until = Number.isFinite(w.untilMs) ? shortTime(w.untilMs) : '(open: no --until)';
  return `window ${since} → ${until}`;
}

function eventsLine(range: { minMs: number; maxMs: number } | null, w: { sinceMs: number; untilMs: number } | undefined): string {
  if (range === null) return 'events: none read';
  const outside = w !== undefined && (range.maxMs < w.sinceMs || range.minMs >= w.untilMs);
  return `events ${shortTime(range.minMs)} … ${shortTime(range.maxMs)}${outside ? ' (none inside the window)' : ''}`;
}

/**
 * The closing summary, one fact per line, for stderr. Every line passes
 * `forTerminal`: rule names and eventIDs come from files an attacker may write.
 */
export function summary(input: SummaryInput): string;
/** @deprecated The positional form; pass a `SummaryInput`. */
export function summary(tally: Tally, hits: readonly Hit[], elapsedMs: number, interrupted: boolean): string;
export function summary(first: SummaryInput | Tally, hits?: readonly Hit[], elapsedMs?: number, interrupted?: boolean): string {
  const input: SummaryInput = first instanceof Tally ? { tally: first, hits: hits!, elapsedMs: elapsedMs!, interrupted: interrupted! } : first;
  const { tally } = input;
  const lines: string[] = [];
  const mb = (tally.bytes / 1e6).toFixed(1);
  lines.push(
    `${input.interrupted ? 'interrupted: partial results; ' : ''}scanned ${plural(tally.scanned, 'object')} ` +
      `(${mb} MB, ${plural(tally.records, 'record')}, ${tally.events.toLocaleString('en-US')} examined) in ${(input.elapsedMs / 1000).toFixed(1)} s`,
  );
  const files = [...tally.skippedFiles.values()].reduce((a, b) => a + b, 0);
  const folders = [...tally.skippedFolders.values()].reduce((a, b) => a + b, 0);
  if (files > 0) lines.push(`skipped ${plural(files, 'file')} unopened: ${breakdown(tally.skippedFiles, SKIP_WORDS)}`);
  if (folders > 0) lines.push(`skipped ${plural(folders, 'folder')} unlisted: ${breakdown(tally.skippedFolders, SKIP_WORDS)}`);
  const failed = tally.failedCount;
  if (failed > 0) {
    lines.push(
      `FAILED ${plural(failed, 'object')}, named above, contributed no events: ` +
        breakdown(tally.failed, { ...FAIL_WORDS, unlistable: 'unlistable' }),
    );
  }
  const dropped = tally.notObjects + tally.badTimes;
  if (dropped > 0) {
    const parts = [];
    if (tally.notObjects) parts.push(`${tally.notObjects.toLocaleString('en-US')} not an object`);
    if (tally.badTimes) parts.push(`${tally.badTimes.toLocaleString('en-US')} without a valid eventTime`);
    lines.push(`dropped ${plural(dropped, 'record')}: ${parts.join(', ')}`);
  }
  for (const [label, n] of [...tally.requests].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`${label} requests: ${plural(n.list, 'LIST')}, ${plural(n.get, 'GET')}`);
  }
  if (tally.credentialReports > 0) lines.push(`read ${plural(tally.credentialReports, 'credential report')}`);
  if (input.window) lines.push(windowLine(input.window));
  const range = input.eventRange !== undefined ? input.eventRange : tally.eventRange;
  // Without a window the caller is the old positional form: say nothing of a range nobody fed.
  if (input.window || range !== null) lines.push(eventsLine(range, input.window));
  if (input.rules) {
    const r = input.rules;
    lines.push(
      `rules: ${r.loaded.toLocaleString('en-US')} loaded` +
        (r.skipped ? `, ${r.skipped.toLocaleString('en-US')} skipped (other log sources)` : '') +
        (r.refused ? `, ${r.refused.toLocaleString('en-US')} refused` : ''),
    );
  }
  if (input.collisions && input.collisions.count > 0) {
    const c = input.collisions;
    lines.push(
      `warning: ${plural(c.count, 'eventID is', 'eventIDs are')} shared by records with different content ` +
        `(first: ${c.first}): each counted as its own event`,
    );
  }
  const hitList = input.hits;
  if (hitList.length > 0) {
    const perSeverity = new Map<string, number>();
    for (const h of hitList) perSeverity.set(h.severity, (perSeverity.get(h.severity) ?? 0) + 1);
    const rank = (s: string) => {
      const i = SEVERITY_ORDER.indexOf(s.toLowerCase());
      return i < 0 ? SEVERITY_ORDER.length : i;
    };
    const bySeverity = [...perSeverity.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1));
    lines.push(`hits by severity: ${bySeverity.map(([s, n]) => `${s} ${n}`).join(', ')}`);
  }
  const perRule = new Map<string, number>();
  for (const h of hitList) perRule.set(h.rule, (perRule.get(h.rule) ?? 0) + 1);
  const rules = [...perRule.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([r, n]) => `${r} ${n}`);
  lines.push(`${plural(hitList.length, 'hit')}${rules.length ? `: ${rules.join(', ')}` : ''}`);
  return lines.map((l) => `hunt: ${forTerminal(l)}\n`).join('');
}
