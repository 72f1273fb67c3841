// The data that flows between the stages. Everything here is plain data:
// candidates cross from worker threads to the main thread by structured clone.

/** A parsed CloudTrail record. Fields are attacker-controlled: never trust their types. */
export type CloudTrailEvent = Record<string, unknown>;

/**
 * The few fields of an event that the merge and output stages need, cut out in
 * the worker so that whole events never cross threads.
 */
export interface EventView {
  /** `eventID`, or null when the event has none or `""` (then it is distinct from every other). */
  eventID: string | null;
  /**
   * sha-256 (hex) of the canonical JSON of the whole record: two records are
   * one event only when eventID and digest are both equal (DESIGN.md, "Window
   * semantics"); a forged copy that reuses an eventID is an event of its own.
   */
  digest: string;
  /** `eventTime` normalised to ISO 8601 UTC with `Z` (CloudTrail's own format). */
  time: string;
  /** `eventTime` as epoch milliseconds. */
  t: number;
  eventName: string | null;
  eventSource: string | null;
  account: string | null;
  region: string | null;
  sourceIPAddress: string | null;
  /** Who acted: `userIdentity.userName`, else the ARN, principal id or identity type. */
  actor: string | null;
  /** The IAM user the event is about (see targetOf in src/scan/scanner.ts), or null. */
  target: string | null;
  errorCode: string | null;
  /** Values of extra dotted field paths a rule asked for (group-by, stateful and `fields:` paths). */
  fields: Record<string, unknown>;
  /** The whole record (bounded), only when `--events` asked for it. */
  record?: CloudTrailEvent;
}

/** One event that matched the per-event predicate of one or more rules. */
export interface Candidate {
  /** Keys of the matching rules (the `name`, else the `id`, of each rule). */
  rules: string[];
  event: EventView;
  /** The object it came from: a path or an `s3://bucket/key` reference. */
  source: string;
}

/** One hit: the NDJSON contract of DESIGN.md. */
export interface Hit {
  rule: string;
  title: string;
  severity: string;
  time: string | null;
  lastTime: string | null;
  count: number;
  group: Record<string, unknown>;
  account: string | null;
  region: string | null;
  actor: string | null;
  sourceIPAddress: string | null;
  eventName: string | null;
  eventIDs: string[];
  sources: string[];
  /** The IAM user the hit is about (whose MFA or password), or null; absent until the merge fills it. */
  target: string | null;
  /** `{path: value}` from the first event for the paths the rule lists under Sigma's `fields:`. */
  fields: Record<string, unknown>;
  /** With `--events`: the hit's distinct records, whole, in (`eventTime`, `eventID`) order. */
  events?: Record<string, unknown>[];
  /** With `--context <d>`: the timeline around a timed hit, in (time, eventID) order. */
  context?: ContextEvent[];
}

/** One event of a hit's `--context` timeline (DESIGN.md, the NDJSON contract). */
export interface ContextEvent {
  time: string;
  eventName: string | null;
  eventSource: string | null;
  actor: string | null;
  target: string | null;
  sourceIPAddress: string | null;
  errorCode: string | null;
  eventID: string | null;
  /** The object it came from: a path or an `s3://bucket/key` reference. */
  source: string;
  /** True when the event is one of the hit's own events. */
  inHit: boolean;
}

/** Why one object could not be read. Reported with the object's reference; the hunt goes on. */
export type ObjectErrorCode =
  | 'unreadable' // open/read failed (permissions, vanished, I/O)
  | 'bad-gzip' // gzip magic but the stream is corrupt or truncated
  | 'not-json' // bytes are not JSON
  | 'not-cloudtrail' // JSON, but not {"Records": [...]}
  | 'too-large' // over the size guard
  | 'worker-crash' // the worker died twice on this object
  | 'not-credential-report'; // a credential report found among the sources that cannot be read as one

/** Why a listed key was not scanned. */
export type SkipReason = 'digest' | 'insight' | 'aggregated' | 'other-service' | 'not-a-log' | 'out-of-scope';

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
  /**
   * Earliest and latest eventTime read (epoch ms), in the window or not, null
   * when none: the records parsed, and with the prefilter also the first
   * record of the object (a cheap sample of what the object holds).
   */
  firstMs: number | null;
  lastMs: number | null;
  /**
   * Some record read lies inside the window (and --account/--region): the
   * hunt covered events. With the prefilter, the first record of the object
   * counts too, so an object whose records hold no rule literal still says
   * whether it was in scope.
   */
  covered: boolean;
  /** A `recipientAccountId` other than the account folder of the object's key, when one was seen. */
  otherAccount: string | null;
}
