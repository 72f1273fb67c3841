// `s3://bucket[/prefix]` sources. The bucket is never listed flat: the
// CloudTrail layout is discovered level by level with `Delimiter: "/"`
// (AWSLogs, org ids, accounts, services, regions), then only the day folders
// that can hold events of the scope are listed, starting inside the first day
// after the files delivered too early. LIST requests therefore grow with
// days × regions × accounts, not with objects. Listings run in parallel with
// a bound and are yielded in key order as they come, so scanning starts while
// listing goes on.

import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../errors.js';
import { DELIVERY_MARGIN_MS, isLogFileName, isNonLogService, mayHoldEvents, placeOf, type Scope } from './cloudtrail-key.js';
import { describeS3Error, makeS3Client, parseS3Url, type S3Settings } from './s3-client.js';
import type { Listed, SkipReason, Source } from './source.js';

const DAY = 86_400_000;
/** LIST requests in flight per source. */
const LIST_CONCURRENCY = 8;
/** Sibling folders whose listing starts before the walk reaches them. */
const LOOKAHEAD = 8;
/** Bounded windows up to this many days list their day folders by name; wider ones discover them by listing. */
const MAX_NAMED_DAYS = 400;
/** Folders above `AWSLogs/` (custom trail prefixes) are discovered this deep, then listed flat. */
const MAX_PREFIX_DEPTH = 2;

const SKIP_BY_SERVICE: Record<string, SkipReason> = {
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
  'CloudTrail-Aggregated': 'aggregated',
};

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const YEAR = /^\d{4}$/;
const TWO_DIGITS = /^\d{2}$/;

/**
 * Where a folder sits in the layout, which decides how it is listed:
 * `above` is the bucket root, a custom trail prefix or anything outside the
 * layout; `flat` is listed without a delimiter and filtered key by key.
 */
type Level = 'above' | 'awslogs' | 'org' | 'account' | 'service' | 'region' | 'year' | 'month' | 'day' | 'flat';

interface Folder {
  /** Key prefix, ending in `/` (empty for the bucket root). */
  prefix: string;
  level: Level;
  /** For `above`: how many folders below the starting one. */
  depth: number;
}

type Child =
  | { type: 'key'; key: string; size: number }
  | { type: 'folder'; folder: Folder; listing?: Promise<Children> }
  | { type: 'skip'; prefix: string; reason: SkipReason };

type Children = { ok: true; children: Child[] } | { ok: false; error: unknown };

export interface S3SourceOptions {
  /** A ready client (tests); otherwise one is made from the settings. */
  client?: S3Client;
  /** MaxKeys per LIST page (tests; S3's default and maximum is 1000). */
  pageSize?: number;
}

export class S3Source implements Source {
  /** ListObjectsV2 requests sent, one per page (the SDK's retries of a request not counted). */
  listRequests = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  private constructor(
    readonly reference: string,
    readonly bucket: string,
    /** A folder prefix ending in `/`, empty for the whole bucket. */
    private readonly prefix: string,
    /** Set when the URL names one object: it is scanned whatever its name. */
    private readonly single: { key: string; size: number } | undefined,
    readonly client: S3Client,
    private readonly pageSize: number | undefined,
  ) {}

  /**
   * Checks that the bucket can be listed with these credentials (one LIST), so
   * a typo or a missing permission is a usage error before any work starts.
   */
  static async open(url: string, settings: S3Settings, options: S3SourceOptions = {}): Promise<S3Source> {
    const { bucket, prefix } = parseS3Url(url);
    const client = options.client ?? makeS3Client(settings);
    const probe = new S3Source(url, bucket, '', undefined, client, options.pageSize);
    let first: ListObjectsV2CommandOutput;
    try {
      // The smallest key under the prefix is the prefix itself when the URL names an object.
      first = await probe.send({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 });
    } catch (err) {
      throw bucketError(url, bucket, err);
    }
    const exact = first.Contents?.[0];
    const single =
      prefix !== '' && !prefix.endsWith('/') && exact?.Key === prefix ? { key: prefix, size: exact.Size ?? 0 } : undefined;
    const folder = single || prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const source = new S3Source(url, bucket, folder, single, client, options.pageSize);
    source.listRequests = probe.listRequests;
    return source;
  }

  async *list(scope: Scope): AsyncIterable<Listed> {
    if (this.single) {
      yield { type: 'object', ref: { kind: 's3', bucket: this.bucket, key: this.single.key, size: this.single.size } };
      return;
    }
    const start = classify(this.prefix);
    const verdict = this.judgeFolder(start, scope);
    if (verdict) {
      yield verdict;
      return;
    }
    const listing = await this.childrenOf(start, scope);
    if (!listing.ok) throw bucketError(this.reference, this.bucket, listing.error);
    yield* this.walkChildren(listing.children, scope);
  }

  private async *walk(child: Child & { type: 'folder' }, scope: Scope): AsyncGenerator<Listed> {
    const listing = await (child.listing ??= this.childrenOf(child.folder, scope));
    child.listing = undefined; // let the children be collected once walked
    if (!listing.ok) {
      yield { type: 'unlistable', reference: this.ref(child.folder.prefix), message: describeS3Error(listing.error).reason };
      return;
    }
    yield* this.walkChildren(listing.children, scope);
  }

  /** Yields children in key order, starting the listings of the next few folders ahead of the walk. */
  private async *walkChildren(children: Child[], scope: Scope): AsyncGenerator<Listed> {
    const folders = children.filter((c): c is Child & { type: 'folder' } => c.type === 'folder');
    let started = 0;
    let seen = 0;
    for (const child of children) {
      if (child.type === 'key') {
        yield this.judgeKey(child.key, child.size, scope);
      } else if (child.type === 'skip') {
        yield { type: 'skipped', reference: this.ref(child.prefix), reason: child.reason, folder: true };
      } else {
        for (; started < folders.length && started <= seen + LOOKAHEAD; started++) {
          const ahead = folders[started]!;
          ahead.listing ??= this.childrenOf(ahead.folder, scope);
        }
        seen++;
        yield* this.walk(child, scope);
      }
    }
  }

  /** Lists one folder (every page) and sorts out its children. Never rejects. */
  private async childrenOf(folder: Folder, scope: Scope): Promise<Children> {
    try {
      if (folder.level === 'service' && scope.regions.size > 0) {
        // --region names the region folders: no need to list them.
        return { ok: true, children: [...scope.regions].sort(compare).map((r) => this.folderChild(folder, `${folder.prefix}${r}/`, scope)) };
      }
      if (folder.level === 'region') {
        const named = namedDays(folder.prefix, scope);
        if (named) return { ok: true, children: named };
      }
      const flat = folder.level === 'flat';
      const startAfter = folder.level === 'day' ? startAfterIn(folder.prefix, scope) : undefined;
      const stopAt = folder.level === 'day' ? stopKeyIn(folder.prefix, scope) : undefined;
      const children: Child[] = [];
      let token: string | undefined;
      do {
        const page = await this.send({
          Bucket: this.bucket,
          Prefix: folder.prefix,
          ...(flat ? {} : { Delimiter: '/' }),
          ...(token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {}),
          ...(this.pageSize ? { MaxKeys: this.pageSize } : {}),
        });
        for (const p of page.CommonPrefixes ?? []) {
          if (p.Prefix) children.push(this.folderChild(folder, p.Prefix, scope));
        }
        let past = false;
        for (const o of page.Contents ?? []) {
          // Folder markers (`name/`, made by the console) are not objects.
          if (!o.Key || o.Key.endsWith('/')) continue;
          children.push({ type: 'key', key: o.Key, size: o.Size ?? 0 });
          if (stopAt !== undefined && o.Key >= stopAt) past = true;
        }
        // In the last day, keys sort by delivery time: once one is past the window, the rest are too.
        token = page.IsTruncated && !past ? page.NextContinuationToken : undefined;
      } while (token);
      children.sort((a, b) => compare(nameOf(a), nameOf(b)));
      return { ok: true, children };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** A sub-folder found by a delimiter listing, classified by its parent's level. */
  private folderChild(parent: Folder, prefix: string, scope: Scope): Child {
    const name = prefix.slice(parent.prefix.length, -1);
    const level = childLevel(parent, name);
    const folder: Folder = { prefix, level, depth: level === 'above' ? parent.depth + 1 : 0 };
    if (level === 'account' || level === 'service' || level === 'region' || level === 'year' || level === 'month' || level === 'day') {
      const verdict = folderVerdict(folder, scope);
      if (verdict) return { type: 'skip', prefix, reason: verdict };
    }
    if (parent.level === 'account' && level === 'flat') {
      // Beside CloudTrail/ sit other services' logs (vpcflowlogs, elasticloadbalancing, Config): not ours.
      return { type: 'skip', prefix, reason: 'not-a-log' };
    }
    return { type: 'folder', folder };
  }

  /** The starting folder can itself be out of scope or a non-log service. */
  private judgeFolder(folder: Folder, scope: Scope): Listed | undefined {
    const verdict = folderVerdict(folder, scope);
    return verdict ? { type: 'skipped', reference: this.ref(folder.prefix), reason: verdict, folder: true } : undefined;
  }

  private judgeKey(key: string, size: number, scope: Scope): Listed {
    const reference = this.ref(key);
    const name = key.slice(key.lastIndexOf('/') + 1);
    const place = placeOf(key.split('/'), true);
    if (place && isNonLogService(place)) {
      return { type: 'skipped', reference, reason: SKIP_BY_SERVICE[place.service]!, folder: false };
    }
    if (!isLogFileName(name)) return { type: 'skipped', reference, reason: 'not-a-log', folder: false };
    if (place && !mayHoldEvents(place, scope)) return { type: 'skipped', reference, reason: 'out-of-scope', folder: false };
    return { type: 'object', ref: { kind: 's3', bucket: this.bucket, key, size } };
  }

  private ref(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  /** One LIST request, counted, at most LIST_CONCURRENCY at a time. */
  private async send(input: ListObjectsV2Command['input']): Promise<ListObjectsV2CommandOutput> {
    while (this.active >= LIST_CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.listRequests++;
    try {
      return await this.client.send(new ListObjectsV2Command(input));
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** The level of a folder from its own segments, for the prefix the user gave. */
function classify(prefix: string): Folder {
  const segments = prefix.split('/').filter(Boolean);
  const place = placeOf(segments, false);
  if (place) {
    const serviceAt = segments.lastIndexOf(place.service);
    const below = segments.length - 1 - serviceAt;
    const levels: Level[] = ['service', 'region', 'year', 'month', 'day'];
    let level: Level = levels[below] ?? 'flat';
    if ((level === 'year' && place.year === undefined) || (level === 'month' && place.month === undefined)) level = 'flat';
    if (level === 'day' && place.day === undefined) level = 'flat';
    return { prefix, level, depth: 0 };
  }
  const last = segments[segments.length - 1];
  const parent = segments[segments.length - 2];
  if (last === 'AWSLogs') return { prefix, level: 'awslogs', depth: 0 };
  if (last !== undefined && ORG.test(last) && parent === 'AWSLogs') return { prefix, level: 'org', depth: 0 };
  if (last !== undefined && ACCOUNT.test(last) && (parent === 'AWSLogs' || (parent !== undefined && ORG.test(parent)))) {
    return { prefix, level: 'account', depth: 0 };
  }
  return { prefix, level: 'above', depth: 0 };
}

function childLevel(parent: Folder, name: string): Level {
  switch (parent.level) {
    case 'above':
      if (name === 'AWSLogs') return 'awslogs';
      return parent.depth < MAX_PREFIX_DEPTH ? 'above' : 'flat';
    case 'awslogs':
      return ORG.test(name) ? 'org' : ACCOUNT.test(name) ? 'account' : 'flat';
    case 'org':
      return ACCOUNT.test(name) ? 'account' : 'flat';
    case 'account':
      return name === 'CloudTrail' || name in SKIP_BY_SERVICE ? 'service' : 'flat';
    case 'service':
      return 'region';
    case 'region':
      return YEAR.test(name) ? 'year' : 'flat';
    case 'year':
      return TWO_DIGITS.test(name) ? 'month' : 'flat';
    case 'month':
      return TWO_DIGITS.test(name) ? 'day' : 'flat';
    default:
      return 'flat';
  }
}

/** Why a layout folder is left out unlisted, if it is. */
function folderVerdict(folder: Folder, scope: Scope): SkipReason | undefined {
  const segments = folder.prefix.split('/').filter(Boolean);
  if (folder.level === 'account') {
    const account = segments[segments.length - 1]!;
    return scope.accounts.size > 0 && !scope.accounts.has(account) ? 'out-of-scope' : undefined;
  }
  const place = placeOf(segments, false);
  if (!place) return undefined;
  if (isNonLogService(place)) return SKIP_BY_SERVICE[place.service];
  return mayHoldEvents(place, scope) ? undefined : 'out-of-scope';
}

/** Latest delivery time a file of the scope can carry; open windows stop at tomorrow. */
function windowOf(scope: Scope): { lo: number; hi: number } {
  const lo = scope.sinceMs - DELIVERY_MARGIN_MS;
  const hi = Number.isFinite(scope.untilMs) ? scope.untilMs + DELIVERY_MARGIN_MS : Date.now() + DAY;
  return { lo, hi };
}

/**
 * The day folders of a region folder that can hold events of a bounded
 * window, named without listing; undefined when the window is open or wide
 * (then years, months and days are discovered by listing).
 */
function namedDays(regionPrefix: string, scope: Scope): Child[] | undefined {
  if (!Number.isFinite(scope.sinceMs)) return undefined;
  const { lo, hi } = windowOf(scope);
  const first = Math.floor(lo / DAY) * DAY;
  if (hi <= first || (hi - first) / DAY > MAX_NAMED_DAYS) return hi <= first ? [] : undefined;
  const days: Child[] = [];
  for (let t = first; t < hi; t += DAY) {
    const d = new Date(t);
    const name = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/`;
    days.push({ type: 'folder', folder: { prefix: regionPrefix + name, level: 'day', depth: 0 } });
  }
  return days;
}

/** The file-name stem of a day folder's logs: `<account>_CloudTrail_<region>_`. */
function stemOf(dayPrefix: string): { stem: string; dayStart: number } | undefined {
  const place = placeOf(dayPrefix.split('/').filter(Boolean), false);
  if (!place || place.region === undefined || place.year === undefined || place.month === undefined || place.day === undefined) {
    return undefined;
  }
  return {
    stem: `${dayPrefix}${place.account}_${place.service}_${place.region}_`,
    dayStart: Date.UTC(place.year, place.month - 1, place.day),
  };
}

/** In the day where the window opens, the listing starts after the files delivered before it. */
function startAfterIn(dayPrefix: string, scope: Scope): string | undefined {
  const day = stemOf(dayPrefix);
  if (!day) return undefined;
  const { lo } = windowOf(scope);
  if (!(lo > day.dayStart && lo < day.dayStart + DAY)) return undefined;
  // Keys of the minute `lo` falls in read `<stem><stamp>Z_…`, which sorts after `<stem><stamp>`.
  return day.stem + stampOf(lo);
}

/** In the day where the window closes, keys from this one on are delivered after it. */
function stopKeyIn(dayPrefix: string, scope: Scope): string | undefined {
  const day = stemOf(dayPrefix);
  if (!day) return undefined;
  const { hi } = windowOf(scope);
  if (!(hi > day.dayStart && hi < day.dayStart + DAY)) return undefined;
  // The first minute whose files all come at or after `hi`.
  return day.stem + stampOf(Math.ceil(hi / 60_000) * 60_000);
}

function stampOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function nameOf(child: Child): string {
  return child.type === 'key' ? child.key : child.type === 'skip' ? child.prefix : child.folder.prefix;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A listing failure on the bucket or the prefix the user named: exit 2 with the way out. */
function bucketError(url: string, bucket: string, err: unknown): UsageError {
  const failure = describeS3Error(err);
  let fix: string;
  if (failure.code === 'NoSuchBucket') {
    fix = 'check the bucket name (and --endpoint-url for S3-compatible stores)';
  } else if (failure.reason.startsWith('access denied')) {
    fix = `the credentials need s3:ListBucket on arn:aws:s3:::${bucket} and s3:GetObject on its objects; pick others with --profile`;
  } else if (failure.reason.startsWith('no AWS credentials') || failure.reason.startsWith('the credentials')) {
    fix = 'use --profile, AWS_PROFILE or aws sso login';
  } else if (failure.reason.startsWith('network error')) {
    fix = 'check the network, or --endpoint-url for S3-compatible stores';
  } else {
    fix = 'check the bucket, --profile and --endpoint-url';
  }
  return new UsageError(`--source ${url}: cannot list bucket ${bucket}: ${failure.reason}; ${fix}`);
}
