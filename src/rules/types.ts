// Loaded rules as plain data. The main thread loads and validates rule files
// (so a bad file is an exit-2 error naming file and line before any work
// starts); the same data is handed to each worker, which compiles it again.

/** Sigma levels, least severe first: `--min-level` keeps a rule whose level is at or after the one given. */
export const LEVEL_ORDER = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVEL_ORDER)[number];

export interface RuleMeta {
  /** The hit's `rule` field: the rule's `name:` slug, else its `id`. */
  key: string;
  title: string;
  /** Sigma `level` (informational, low, medium, high, critical). */
  level: string;
  id: string | null;
  /** The file the rule came from (for error messages). */
  file: string;
  /** Sigma's `fields:`: paths whose values from the first event a hit carries in `fields`. */
  outputFields?: string[];
  description?: string;
}

/** A Sigma detection rule: a per-event predicate, evaluated in the workers. */
export interface DetectionRule extends RuleMeta {
  kind: 'detection';
  /** The Sigma `detection:` block as parsed from YAML (condition included). */
  detection: Record<string, unknown>;
  /**
   * False when a correlation rule refers to this rule and the rule should not
   * produce hits on its own (Sigma's `generate: false`, the default).
   */
  generate: boolean;
}

/** A Sigma `event_count` correlation: the merge stage's sliding window. */
export interface ThresholdRule extends RuleMeta {
  kind: 'threshold';
  /** Keys of the detection rules it counts. */
  rules: string[];
  /** CloudTrail dotted field paths, as written in `group-by`. */
  groupBy: string[];
  timespanMs: number;
  /** `condition: {gte: N}` */
  threshold: number;
  /** Our `dedup-period` field; defaults to the timespan. */
  dedupMs: number;
}

/** A rule whose logic is code in the merge stage; its detection selects the events it needs. */
export interface StatefulRule extends RuleMeta {
  kind: 'stateful';
  /** Which built-in state machine runs it. */
  engine: 'iam-user-password-without-mfa';
  detection: Record<string, unknown>;
  /** Dotted paths the state machine reads from each event. */
  fields: string[];
}

/** A rule over the IAM credential report rather than over logs. */
export interface PostureRule extends RuleMeta {
  kind: 'posture';
  engine: 'credential-report-mfa';
}

export type Rule = DetectionRule | ThresholdRule | StatefulRule | PostureRule;

/** Rules whose detection runs per event in the workers. */
export type EventRule = DetectionRule | StatefulRule;
