// Coded errors as plain data: they cross from workers to the main thread by
// structured clone, and the CLI maps them to exit codes.

export type { ObjectErrorCode } from './model.js';
import type { ObjectErrorCode } from './model.js';

export interface ObjectError {
  code: ObjectErrorCode;
  /** A sentence a person understands, without the reference (the reporter adds it). */
  message: string;
}

/** A usage or configuration error: exit 2, one clear line naming the input and the way out. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A rule file that cannot be used: exit 2, naming the file and, where known, the line. */
export class RuleError extends UsageError {
  /** The problem without the file and line: what `--skip-unsupported` warns with. */
  readonly detail: string;
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
    /**
     * True when the rule is valid Sigma that hunt's engine cannot evaluate
     * (keyword search, an unsupported modifier, an old-style aggregation, …):
     * `--skip-unsupported` leaves such a rule out with a warning. False when
     * the file itself is wrong (bad YAML, a missing condition, …), which no
     * flag skips.
     */
    readonly unsupported = false,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
    this.detail = detail;
  }
}

export const EXIT = {
  ok: 0,
  hits: 1,
  usage: 2,
  failedObjects: 3,
  noEvents: 4,
  internal: 70,
  interrupted: 130,
} as const;
