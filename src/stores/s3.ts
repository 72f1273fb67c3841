// `s3://bucket[/prefix]` sources. The bucket is never listed flat: the
// CloudTrail layout is discovered level by level with `Delimiter: "/"`
// (AWSLogs, org ids, accounts, services, regions), then only the day folders
// that can hold events of the scope are listed, starting inside the first day
// are listed whole (every key in them is judged by the shared classifier, so
// a stray export in the first or last day is seen as on disk). LIST requests
// therefore grow with days × regions × accounts, not with objects. Listings
// run in parallel with a bound and are yielded in key order as they come, so
// scanning starts while listing goes on. Workers open objects with GetObject.

import { GetObjectCommand, ListObjectsV2Command, S3Client, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { clientConfig, describeAwsError, type AwsSettings } from '../aws.js';
import { UsageError } from '../errors.js';
import type { Scope } from '../options.js';
import { deliveryRange, fileVerdict, folderVerdict, placeOf } from './cloudtrail-key.js';
import { tooLarge, type Listed, type ObjectRef, type Opened, type OpenError, type SkipReason, type Store, type StoreKind, type StoreSettings } from './store.js';

const DAY = 86_400_000;
/** LIST requests in flight per source. */
const LIST_CONCURRENCY = 8;
/** Sibling folders whose listing starts before the walk reaches them. */
const LOOKAHEAD = 8;
/** Bounded windows up to this many days list their day folders by name; wider ones discover them by listing. */
const MAX_NAMED_DAYS = 400;
/** Folders above `AWSLogs/` (custom trail prefixes) are discovered this deep, then listed flat. */
const MAX_PREFIX_DEPTH = 2;

const SERVICES = new Set(['CloudTrail', 'CloudTrail-Digest', 'CloudTrail-Insight', 'CloudTrail-Aggregated']);

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

export class S3Source implements Store {
  readonly key = 's3';
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
  static async open(url: string, settings: AwsSettings, options: S3SourceOptions = {}): Promise<S3Source> {
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
      yield this.judgeKey(this.single.key, this.single.size, scope, true);
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
      yield { type: 'unlistable', reference: this.ref(child.folder.prefix), message: describeAwsError(listing.error).reason };
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
      if (folder.level === 'service' && scope.regions.length > 0) {
        // --region names the region folders: no need to list them.
        return { ok: true, children: [...scope.regions].sort(compare).map((r) => this.folderChild(folder, `${folder.prefix}${r}/`, scope)) };
      }
      if (folder.level === 'region') {
        const named = namedDays(folder.prefix, scope);
        if (named) return { ok: true, children: named };
      }
      const flat = folder.level === 'flat';
      const children: Child[] = [];
      let token: string | undefined;
      do {
        const page = await this.send({
          Bucket: this.bucket,
          Prefix: folder.prefix,
          ...(flat ? {} : { Delimiter: '/' }),
          ...(token ? { ContinuationToken: token } : {}),
          ...(this.pageSize ? { MaxKeys: this.pageSize } : {}),
        });
        for (const p of page.CommonPrefixes ?? []) {
          if (p.Prefix) children.push(this.folderChild(folder, p.Prefix, scope));
        }
        for (const o of page.Contents ?? []) {
          // Folder markers (`name/`, made by the console) are not objects.
          if (!o.Key || o.Key.endsWith('/')) continue;
          children.push({ type: 'key', key: o.Key, size: o.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
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
    const verdict = folderVerdict(segmentsOf(prefix), scope);
    if (verdict) return { type: 'skip', prefix, reason: verdict };
    return { type: 'folder', folder };
  }

  /** The starting folder can itself be out of scope or a non-log service. */
  private judgeFolder(folder: Folder, scope: Scope): Listed | undefined {
    const verdict = folderVerdict(segmentsOf(folder.prefix), scope);
    return verdict ? { type: 'skipped', reference: this.ref(folder.prefix), reason: verdict, folder: true } : undefined;
  }

  private judgeKey(key: string, size: number, scope: Scope, named = false): Listed {
    const reference = this.ref(key);
    const verdict = fileVerdict(segmentsOf(key), scope, named);
    if (verdict.type === 'skipped') return { type: 'skipped', reference, reason: verdict.reason, folder: false };
    const ref: ObjectRef = { store: 's3', reference, size, ...(verdict.type === 'object' && verdict.account ? { account: verdict.account } : {}) };
    return { type: verdict.type, ref, id: reference };
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
      return SERVICES.has(name) ? 'service' : 'flat';
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

/** Latest delivery time a file of the scope can carry; open windows stop at tomorrow. */
function windowOf(scope: Scope): { lo: number; hi: number } {
  const { fromMs, toMs } = deliveryRange(scope);
  return { lo: fromMs, hi: Number.isFinite(toMs) ? toMs : Date.now() + DAY };
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
  const failure = describeAwsError(err);
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

function segmentsOf(key: string): string[] {
  return key.split('/').filter(Boolean);
}

/** The S3 client, built the same way on the main thread (listing) and in each worker (GetObject). */
export function makeS3Client(settings: AwsSettings): S3Client {
  return new S3Client({
    ...clientConfig(settings),
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl, forcePathStyle: true } : {}),
    followRegionRedirects: true,
  });
}


/**
 * `s3://bucket[/prefix]` → bucket and prefix (as written, without the leading
 * slash). Throws a UsageError naming `--source` and the fix.
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  if (!match) throw new UsageError(`--source ${url}: not an S3 URL; write s3://bucket or s3://bucket/prefix`);
  const bucket = match[1]!;
  const prefix = match[2]!;
  if (!bucket) throw new UsageError(`--source ${url}: no bucket name; write s3://bucket or s3://bucket/prefix`);
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`--source ${url}: "${bucket}" is not a bucket name (${problem}); write s3://bucket[/prefix]`);
  if (/[?#]/.test(prefix)) {
    throw new UsageError(`--source ${url}: an S3 prefix has no query or fragment; write s3://bucket/prefix`);
  }
  if (prefix.startsWith('/')) {
    throw new UsageError(`--source ${url}: the prefix starts with "/"; write s3://${bucket}/${prefix.replace(/^\/+/, '')}`);
  }
  return { bucket, prefix };
}

/** S3's bucket naming rules, as a reason when broken. */
function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (/[A-Z]/.test(name)) return 'bucket names are lowercase';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'only lowercase letters, digits, dots and hyphens are allowed';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'it must begin and end with a letter or digit';
  if (name.includes('..')) return 'it has two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it is formatted like an IP address';
  return undefined;
}

// Opening, in a worker: GetObject, the body read into one buffer under the
// size guard. The bytes are returned as stored (gzip or not): the scanner
// sniffs the gzip magic itself.

/**
 * A body cut off mid-stream is not retried by the SDK (it retries until the
 * response headers): the whole GetObject is tried again this many times.
 */
const BODY_TRIES = 3;

/** Fetches an object's bytes, or throws an OpenError (plain data) with a reason a person understands. */
export async function openS3Object(client: S3Client, ref: { bucket: string; key: string; size: number }, maxBytes: number): Promise<Opened> {
  if (ref.size > maxBytes) throw tooLargeAfter(maxBytes, 0);
  let attempts = 0;
  for (let tryNo = 1; ; tryNo++) {
    let body: Readable;
    let length: number | undefined;
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
      attempts += response.$metadata.attempts ?? 1;
      body = response.Body as Readable;
      length = response.ContentLength;
    } catch (err) {
      const failure = describeAwsError(err);
      attempts += failure.attempts;
      throw {
        code: 'unreadable',
        message: failure.reason.replace(/ after \d+ attempts$/, '') + (attempts > 1 ? ` after ${attempts} attempts` : ''),
        requests: attempts,
      } satisfies OpenError;
    }
    if (length !== undefined && length > maxBytes) {
      body.destroy();
      throw tooLargeAfter(maxBytes, attempts);
    }
    try {
      return { bytes: await readAll(body, maxBytes), requests: attempts };
    } catch (err) {
      body.destroy();
      if (err === TOO_LARGE) throw tooLargeAfter(maxBytes, attempts);
      if (tryNo >= BODY_TRIES) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
        throw {
          code: 'unreadable',
          message: `the download kept breaking off (${code}) after ${attempts} attempts`,
          requests: attempts,
        } satisfies OpenError;
      }
    }
  }
}

const TOO_LARGE = Symbol('too large');

async function readAll(body: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) throw TOO_LARGE;
    chunks.push(buf);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function tooLargeAfter(maxBytes: number, attempts: number): OpenError {
  return { ...tooLarge(maxBytes), requests: attempts };
}

export const s3Store: StoreKind = {
  key: 's3',
  requestLabel: 'S3',
  connect(reference: string, settings: StoreSettings): Promise<Store> {
    return S3Source.open(reference, settings.aws);
  },
  opener(settings: StoreSettings) {
    let client: S3Client | undefined;
    return (ref: ObjectRef) => {
      client ??= makeS3Client(settings.aws);
      // References are written `s3://<bucket>/<key>` by this store's own listing.
      const rest = ref.reference.slice('s3://'.length);
      const slash = rest.indexOf('/');
      return openS3Object(client, { bucket: rest.slice(0, slash), key: rest.slice(slash + 1), size: ref.size }, settings.maxObjectBytes);
    };
  },
};
