// The CloudTrail key layout, shared by every store:
//   AWSLogs/[o-orgid/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<id>.json.gz
// The one classifier of keys: every store asks it what a folder or a file is
// (a log, a digest, an Insight, a manifest, another service's log, a
// credential report) and whether the scope needs it, so a tree hunted from
// disk and from S3 is judged the same. It also owns the late-delivery margin.

import type { Scope } from '../options.js';
import type { SkipReason } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Late-delivery margin. A log file's name carries its delivery time; its
 * events are older, usually by 5 to 15 minutes and, by CloudTrail's own
 * account, occasionally by up to about an hour. We keep every file delivered
 * from `since - MARGIN` up to `until + MARGIN`, so an event is lost to pruning
 * only if it was delivered more than two hours late. Pruning never decides
 * which events count: the workers still filter each event by `eventTime`.
 */
export const DELIVERY_MARGIN_MS = 2 * HOUR;

/** Folder names that sit where `CloudTrail` sits but hold no event logs. */
const NON_LOG_SERVICES = new Set(['CloudTrail-Digest', 'CloudTrail-Insight', 'CloudTrail-Aggregated']);

/**
 * The delivery times a log file of the scope can carry: the window widened by
 * the margin on both sides. Every store and the SQL readers prune with it.
 */
export function deliveryRange(scope: { sinceMs: number; untilMs: number }): { fromMs: number; toMs: number } {
  return { fromMs: scope.sinceMs - DELIVERY_MARGIN_MS, toMs: scope.untilMs + DELIVERY_MARGIN_MS };
}

/** Where a path sits in the layout, as far as its segments tell. */
export interface KeyPlace {
  /** `CloudTrail`, or a non-log service folder such as `CloudTrail-Digest`. */
  service: string;
  account: string;
  region?: string;
  year?: number;
  month?: number;
  day?: number;
  /** Delivery time from the file name, epoch ms. */
  deliveredMs?: number;
}

const ACCOUNT = /^\d{12}$/;
const YEAR = /^\d{4}$/;
const MONTH_OR_DAY = /^\d{2}$/;
const DELIVERY = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/**
 * Reads the layout from path segments (folders, then possibly a file name).
 * Returns undefined when the segments do not reach `<account>/<service>`.
 */
export function placeOf(segments: readonly string[], isFile: boolean): KeyPlace | undefined {
  let at = -1;
  for (let i = segments.length - (isFile ? 2 : 1); i >= 1; i--) {
    const s = segments[i]!;
    if ((s === 'CloudTrail' || NON_LOG_SERVICES.has(s)) && ACCOUNT.test(segments[i - 1]!)) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  const place: KeyPlace = { service: segments[at]!, account: segments[at - 1]! };
  const folders = segments.slice(at + 1, isFile ? -1 : undefined);
  if (folders.length >= 1) place.region = folders[0];
  if (folders.length >= 2 && YEAR.test(folders[1]!)) place.year = Number(folders[1]);
  if (folders.length >= 3 && MONTH_OR_DAY.test(folders[2]!)) place.month = Number(folders[2]);
  if (folders.length >= 4 && MONTH_OR_DAY.test(folders[3]!)) place.day = Number(folders[3]);
  if (isFile) {
    const m = DELIVERY.exec(segments[segments.length - 1]!);
    if (m) {
      const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
      if (Number.isFinite(t)) place.deliveredMs = t;
    }
  }
  return place;
}

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * Is this folder another AWS service's logs in the same bucket, such as
 * `AWSLogs/<account>/elasticloadbalancing/` or `AWSLogs/<account>/vpcflowlogs/`?
 * Those are never CloudTrail and are skipped unopened.
 */
export function isOtherServiceFolder(segments: readonly string[]): boolean {
  const n = segments.length;
  if (n < 3 || !ACCOUNT.test(segments[n - 2]!)) return false;
  const service = segments[n - 1]!;
  if (service === 'CloudTrail' || NON_LOG_SERVICES.has(service)) return false;
  const above = segments[n - 3]!;
  return above === 'AWSLogs' || (ORG_ID.test(above) && n >= 4 && segments[n - 4] === 'AWSLogs');
}

/** Manifests (S3 Inventory, exports) are JSON but never logs. */
export function isManifestName(name: string): boolean {
  return /manifest[^/]*\.json$/i.test(name);
}

export function isNonLogService(place: KeyPlace): boolean {
  return place.service !== 'CloudTrail';
}

/** Is this a name a log object can have? CloudTrail writes `.json.gz`; plain `.json` is accepted too. */
export function isLogFileName(name: string): boolean {
  return name.endsWith('.json.gz') || name.endsWith('.json');
}

/**
 * Can anything under this place hold events of the scope? Answers from what is
 * known: a place that only names an account is tested on the account, a day
 * folder on its day, a file on its delivery time.
 */
export function mayHoldEvents(place: KeyPlace, scope: Scope): boolean {
  if (scope.accounts.length > 0 && !scope.accounts.includes(place.account)) return false;
  if (place.region !== undefined && scope.regions.length > 0 && !scope.regions.includes(place.region)) return false;
  const { fromMs: lo, toMs: hi } = deliveryRange(scope);
  if (place.deliveredMs !== undefined) return place.deliveredMs >= lo && place.deliveredMs < hi;
  if (place.year === undefined) return true;
  // The folder covers [start, end): a year, a month or a day.
  const y = place.year;
  let start: number;
  let end: number;
  if (place.month === undefined) {
    start = Date.UTC(y, 0, 1);
    end = Date.UTC(y + 1, 0, 1);
  } else if (place.day === undefined) {
    start = Date.UTC(y, place.month - 1, 1);
    end = Date.UTC(y, place.month, 1);
  } else {
    start = Date.UTC(y, place.month - 1, place.day);
    end = start + DAY;
  }
  return end > lo && start < hi;
}

const CREDENTIAL_REPORT = /credential[-_]?report.*\.csv$/i;

const SKIP_BY_SERVICE: Record<string, SkipReason> = {
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
  'CloudTrail-Aggregated': 'aggregated',
};

/** The date folder a reference sits in (`YYYY/MM/DD`, or `YYYY/MM`, `YYYY` for a month or year folder), when it lies in the layout. */
export function dayOf(reference: string): string | undefined {
  const isFile = !/[\\/]$/.test(reference);
  const place = placeOf(reference.split(/[\\/]/).filter(Boolean), isFile);
  if (!place || place.year === undefined) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (place.month === undefined) return String(place.year);
  if (place.day === undefined) return `${place.year}/${pad(place.month)}`;
  return `${place.year}/${pad(place.month)}/${pad(place.day)}`;
}

/** Why a folder (by its path segments) is left out unlisted, or undefined when it must be walked. */
export function folderVerdict(segments: readonly string[], scope: Scope): SkipReason | undefined {
  if (isOtherServiceFolder(segments)) return 'other-service';
  const account = accountFolderOf(segments);
  if (account !== undefined) return scope.accounts.length > 0 && !scope.accounts.includes(account) ? 'out-of-scope' : undefined;
  const place = placeOf(segments, false);
  if (!place) return undefined;
  if (isNonLogService(place)) return SKIP_BY_SERVICE[place.service];
  return mayHoldEvents(place, scope) ? undefined : 'out-of-scope';
}

export type FileVerdict =
  | { type: 'object'; account?: string }
  | { type: 'credential-report' }
  | { type: 'skipped'; reason: SkipReason };

/**
 * What a file is (by its path segments, the name last) and whether the scope
 * needs it. A file the user named itself is always scanned: they asked for it.
 */
export function fileVerdict(segments: readonly string[], scope: Scope, named: boolean): FileVerdict {
  const name = segments[segments.length - 1] ?? '';
  if (CREDENTIAL_REPORT.test(name)) return { type: 'credential-report' };
  const place = placeOf(segments, true);
  const account = place?.account;
  if (!named) {
    if (place && isNonLogService(place)) return { type: 'skipped', reason: SKIP_BY_SERVICE[place.service]! };
    if (isInsideOtherService(segments)) return { type: 'skipped', reason: 'other-service' };
    if (!isLogFileName(name) || isManifestName(name)) return { type: 'skipped', reason: 'not-a-log' };
    if (place && !mayHoldEvents(place, scope)) return { type: 'skipped', reason: 'out-of-scope' };
  }
  return account !== undefined ? { type: 'object', account } : { type: 'object' };
}

/** The account of `AWSLogs/<account>` or `AWSLogs/o-…/<account>`, when the segments end at one. */
function accountFolderOf(segments: readonly string[]): string | undefined {
  const n = segments.length;
  const last = segments[n - 1];
  if (last === undefined || !ACCOUNT.test(last)) return undefined;
  const above = segments[n - 2];
  if (above === 'AWSLogs' || (above !== undefined && ORG_ID.test(above) && segments[n - 3] === 'AWSLogs')) return last;
  return undefined;
}

/** Is some folder above this file another AWS service's logs (reached when a store lists flat)? */
function isInsideOtherService(segments: readonly string[]): boolean {
  for (let n = 3; n < segments.length; n++) if (isOtherServiceFolder(segments.slice(0, n))) return true;
  return false;
}
