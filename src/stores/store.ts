// A store is where objects live: it lists object references (main thread,
// never bytes) and opens one reference (in a worker thread). Local folders,
// S3 buckets and the tests' in-memory store implement it; the registry
// (registry.ts) is the only place that knows which stores exist.

import type { AwsSettings } from '../aws.js';
import type { ObjectError } from '../errors.js';
import type { Scope } from '../options.js';

/** Where an object's bytes are: plain data, sent to workers. */
export interface ObjectRef {
  /** The registry key of the store that opens it (the source's URL scheme, `file` for paths). */
  store: string;
  /** How people and a hit's `sources` name it: a path, or `scheme://…`. The store opens it from this alone. */
  reference: string;
  /** Size in bytes as listed. */
  size: number;
  /** The account folder of its key in the CloudTrail layout, when it has one. */
  account?: string;
  /**
   * A local file whose path is not valid UTF-8: its bytes (base64), to open
   * it by, since `reference` shows the bad bytes escaped and names no file.
   */
  pathBytes?: string;
}

export type { SkipReason } from '../model.js';
import type { SkipReason } from '../model.js';

export type Listed =
  /** `id` identifies the object whatever way it was reached (a real path, a bucket and key): scanned once. */
  | { type: 'object'; ref: ObjectRef; id: string }
  /** Skipped without opening; `folder` when a whole folder was left out unlisted. */
  | { type: 'skipped'; reference: string; reason: SkipReason; folder: boolean }
  /** An IAM credential report found among the sources (`*credential-report*.csv`): read like any object. */
  | { type: 'credential-report'; ref: ObjectRef; id: string }
  /** A folder or key that could not be listed: reported, and the hunt goes on. */
  | { type: 'unlistable'; reference: string; message: string };

/** A source as the main thread sees it. */
export interface Store {
  /** The registry key of its kind. */
  readonly key: string;
  /** The source as the user wrote it. */
  readonly reference: string;
  list(scope: Scope): AsyncIterable<Listed>;
  /** LIST requests sent so far (network stores). */
  readonly listRequests?: number;
}

/** An object's bytes, and the GET requests it took (retries included; 0 for disk). */
export interface Opened {
  bytes: Uint8Array;
  requests: number;
}

/** Opening failed: an ObjectError (plain data) with the requests it took. */
export type OpenError = ObjectError & { requests?: number };

/** What a store needs in every worker to open its objects (plain data). */
export interface StoreSettings {
  aws: AwsSettings;
  /** Largest object accepted, in bytes. */
  maxObjectBytes: number;
  /** Store-specific data, by store key (the in-memory store sends its objects this way). */
  extra?: Record<string, unknown>;
  /**
   * The opener runs on a thread of its own (a scan worker), which may wait in
   * a read: a local file is then read in one synchronous go instead of a
   * chain of asynchronous steps that each wait for the thread to be free.
   */
  mayBlock?: boolean;
}

/** One kind of store: one file implements it, one registry line names it. */
export interface StoreKind {
  /** The URL scheme it serves (`s3` for `s3://…`); `file` for plain paths. */
  readonly key: string;
  /** What the summary calls its requests (`S3`), for stores that send requests over a network. */
  readonly requestLabel?: string;
  /** Checks that the source exists and can be listed, so a typo is a usage error before any work. */
  connect(reference: string, settings: StoreSettings): Promise<Store>;
  /** In a worker: an opener for this store's references. */
  opener(settings: StoreSettings): (ref: ObjectRef) => Promise<Opened>;
  /** Data the opener needs in the workers beyond the shared settings (optional). */
  workerData?(): unknown;
}

/** How a reference is shown to people and in a hit's `sources`. */
export function referenceOf(ref: ObjectRef): string {
  return ref.reference;
}

/**
 * Largest object hunt reads, compressed or not: V8 strings stop at about
 * 512 MiB. CloudTrail's own objects are a few MB; anything near this is not a log.
 */
export const MAX_OBJECT_BYTES = 500 * 1024 * 1024;

/** The size guard's error, wherever an object is found too large (file, S3 body, gzip output). */
export function tooLarge(maxBytes: number, what = ''): ObjectError {
  return { code: 'too-large', message: `over ${Math.round(maxBytes / 1048576)} MiB${what}` };
}
