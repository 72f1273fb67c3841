// The messages between the main thread and the scan workers. Both sides import
// this file; a message of any other shape is a bug and fails loudly.

import type { ObjectError } from '../errors.js';
import type { Candidate } from '../model.js';
import type { Rule } from '../rules/types.js';
import type { S3Settings } from '../sources/s3-client.js';
import type { ObjectRef } from '../sources/source.js';

/** What every worker is started with (`workerData`). */
export interface WorkerSetup {
  rules: Rule[];
  filter: EventFilter;
  /** How workers reach S3 (each worker makes its own client). */
  s3: S3Settings;
}

/** Which events count at all: `--since/--until`, `--account`, `--region`. */
export interface EventFilter {
  sinceMs: number;
  untilMs: number;
  accounts: string[];
  regions: string[];
}

/** Main → worker. */
export type ToWorker = { type: 'scan'; job: number; ref: ObjectRef };

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
}

/** Worker → main. */
export type FromWorker =
  | { type: 'scanned'; job: number; candidates: Candidate[]; stats: ObjectStats; getRequests: number }
  | { type: 'failed'; job: number; error: ObjectError; getRequests: number };

export function isFromWorker(message: unknown): message is FromWorker {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; job?: unknown };
  return (m.type === 'scanned' || m.type === 'failed') && typeof m.job === 'number';
}

export function isToWorker(message: unknown): message is ToWorker {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; job?: unknown; ref?: unknown };
  return m.type === 'scan' && typeof m.job === 'number' && typeof m.ref === 'object' && m.ref !== null;
}
