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

/** The Sigma correlation types; each is one module in src/merge/correlation/. */
export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/**
 * A correlation's `condition:` as comparisons that must all hold (a range is
 * two of them). Counts are events (event_count), distinct values
 * (value_count) or distinct referenced rules (temporal, temporal_ordered).
 */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
}

/** A Sigma correlation rule, evaluated by the merge stage over the hits of the rules it names. */
export interface CorrelationRule extends RuleMeta {
  kind: 'correlation';
  type: CorrelationType;
  /** Keys of the rules it correlates, as written: detection rules or other correlations (a chain). */
  rules: string[];
  /** As written in `group-by`: CloudTrail dotted paths or names of `aliases`. */
  groupBy: string[];
  /** Sigma `aliases`: alias name → rule key → the field that rule's events hold it in. */
  aliases: Record<string, Record<string, string>>;
  timespanMs: number;
  /** Our `dedup-period` field; defaults to the timespan. */
  dedupMs: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted (`condition.field`). */
  field?: string;
  /**
   * False when another correlation names this one and it should not produce
   * hits of its own (Sigma's `generate`, default false).
   */
  generate: boolean;
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
  /** `credential-report-mfa`: IAM users with a password and no MFA; `credential-report-root-mfa`: the root user without MFA. */
  engine: 'credential-report-mfa' | 'credential-report-root-mfa';
}

export type Rule = DetectionRule | CorrelationRule | StatefulRule | PostureRule;

/** Rules whose detection runs per event in the workers. */
export type EventRule = DetectionRule | StatefulRule;
