// Coded errors as plain data: they cross from workers to the main thread by
// structured clone, and the CLI maps them to exit codes.

/** Why one object could not be read. Reported with the object's reference; the hunt goes on. */
export type ObjectErrorCode =
  | 'unreadable' // open/read failed (permissions, vanished, I/O)
  | 'bad-gzip' // gzip magic but the stream is corrupt or truncated
  | 'not-json' // bytes are not JSON
  | 'not-cloudtrail' // JSON, but not {"Records": [...]}
  | 'too-large' // over the size guard
  | 'worker-crash' // the worker died twice on this object
  | 'too-many-matches' // more matching events than one object may hold (memory bound), or than the hunt has room for
  | 'not-credential-report'; // a credential report found among the sources that cannot be read as one

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
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${detail}`);
  }
}

export const EXIT = {
  ok: 0,
  hits: 1,
  usage: 2,
  failedObjects: 3,
  internal: 70,
  interrupted: 130,
} as const;
