// The interface every source implements: it enumerates object references and
// never reads bytes. Workers open the objects themselves.

import type { Scope } from './cloudtrail-key.js';

/** Where an object's bytes are; plain data, sent to workers. */
export type ObjectRef =
  | { kind: 'file'; path: string; size: number }
  | { kind: 's3'; bucket: string; key: string; size: number };

/** Why a listed key was not scanned. */
export type SkipReason = 'digest' | 'insight' | 'aggregated' | 'other-service' | 'not-a-log' | 'out-of-scope';

export type Listed =
  | { type: 'object'; ref: ObjectRef }
  /** Skipped without opening; `folder` when a whole folder was left out unlisted. */
  | { type: 'skipped'; reference: string; reason: SkipReason; folder: boolean }
  /** An IAM credential report found among the sources (`*credential-report*.csv`). */
  | { type: 'credential-report'; reference: string; path: string }
  /** A folder or key that could not be listed: reported, and the hunt goes on. */
  | { type: 'unlistable'; reference: string; message: string };

export interface Source {
  /** The source as the user wrote it. */
  readonly reference: string;
  /** Listing requests sent so far, for sources that list over the network (S3). */
  readonly listRequests?: number;
  list(scope: Scope): AsyncIterable<Listed>;
}

/** How a reference is shown to people and in a hit's `sources`. */
export function referenceOf(ref: ObjectRef): string {
  return ref.kind === 'file' ? ref.path : `s3://${ref.bucket}/${ref.key}`;
}
