// The messages between the main thread and the scan workers. Both sides import
// this file; a message of any other shape is a bug and fails loudly.

import type { ObjectError } from '../errors.js';
import type { Candidate } from '../model.js';
import type { Scope } from '../options.js';
import type { Rule } from '../rules/types.js';
import type { ContextSpec } from '../scan/context.js';
import type { ObjectStats } from '../scan/scanner.js';
import type { ObjectRef, StoreSettings } from '../stores/store.js';

export type { ObjectStats } from '../scan/scanner.js';

/** What every worker is started with (`workerData`). */
export interface WorkerSetup {
  rules: Rule[];
  scope: Scope;
  prefilter: boolean;
  /** Candidates carry their whole record (`--events`). */
  records: boolean;
  /** The `--context` pass: match the hits' principals and addresses instead of the rules. */
  context?: ContextSpec;
  /** How workers open objects (each worker makes its own clients). */
  stores: StoreSettings;
}

/** Main → worker. */
export type ToWorker = { type: 'scan'; job: number; ref: ObjectRef };

/** Worker → main. `requests`: GET requests sent for the object (retries included). */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'scanned'; job: number; candidates: Candidate[]; stats: ObjectStats; requests: number }
  | { type: 'failed'; job: number; error: ObjectError; requests: number };

export function isFromWorker(message: unknown): message is FromWorker {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; job?: unknown };
  if (m.type === 'ready') return true;
  return (m.type === 'scanned' || m.type === 'failed') && typeof m.job === 'number';
}

export function isToWorker(message: unknown): message is ToWorker {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; job?: unknown; ref?: unknown };
  return m.type === 'scan' && typeof m.job === 'number' && typeof m.ref === 'object' && m.ref !== null;
}
