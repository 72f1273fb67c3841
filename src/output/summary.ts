// Counts for the summary on stderr: every object is scanned, skipped (why) or
// failed (why), and every record read or dropped (why).

import type { ObjectErrorCode } from '../errors.js';
import type { Hit } from '../model.js';
import type { ObjectStats } from '../scan/scanner.js';
import type { SkipReason } from '../stores/store.js';

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
  /** Bytes of the objects listed so far (for progress). */
  listedBytes = 0;
  listingDone = false;

  addScanned(stats: ObjectStats): void {
    this.scanned++;
    this.bytes += stats.bytes;
    this.records += stats.records;
    this.events += stats.events;
    this.notObjects += stats.notObjects;
    this.badTimes += stats.badTimes;
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

  addFailed(code: ObjectErrorCode | 'unlistable'): void {
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

/** The closing summary, one fact per line, for stderr. */
export function summary(tally: Tally, hits: readonly Hit[], elapsedMs: number, interrupted: boolean): string {
  const lines: string[] = [];
  const mb = (tally.bytes / 1e6).toFixed(1);
  lines.push(
    `${interrupted ? 'interrupted: partial results; ' : ''}scanned ${plural(tally.scanned, 'object')} ` +
      `(${mb} MB, ${plural(tally.records, 'record')}, ${tally.events.toLocaleString('en-US')} examined) in ${(elapsedMs / 1000).toFixed(1)} s`,
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
  const perRule = new Map<string, number>();
  for (const h of hits) perRule.set(h.rule, (perRule.get(h.rule) ?? 0) + 1);
  const rules = [...perRule.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([r, n]) => `${r} ${n}`);
  lines.push(`${plural(hits.length, 'hit')}${rules.length ? `: ${rules.join(', ')}` : ''}`);
  return lines.map((l) => `hunt: ${l}\n`).join('');
}
