// What a correlation type is to the merge stage: how it measures a window of
// occurrences. Each type is one file in this folder and one line in
// index.ts; the windows themselves (src/merge/correlation/window.ts) are the
// same for every type.

import type { CorrelationRule } from '../../rules/types.js';
import type { DistinctEvent } from '../dedup.js';

/**
 * One thing a correlation counts: an event that matched one of its detection
 * rules, or a hit of a correlation it names (a chain).
 */
export interface Occurrence {
  /** When it happened: the event's time, or when the named correlation's condition was met. */
  t: number;
  /** Its distinct events, in event order (one for an event). */
  events: DistinctEvent[];
  /** Which of the correlation's rules it is (keys): an event can match several. */
  rules: string[];
  /** A `group-by` entry or `condition.field` as this occurrence holds it (aliases resolved); missing is null. */
  value(name: string): unknown;
  /** Position in the merge's total order, for ties at one time. */
  order: number;
}

/** A window's measure, kept up to date as occurrences enter (in order) and leave (oldest first). */
export interface Tracker {
  add(o: Occurrence): void;
  remove(o: Occurrence): void;
  value(): number;
}

export interface CorrelationKind {
  /** A fresh measure for one window of one group. */
  tracker(rule: CorrelationRule): Tracker;
  /** Names the type reads from every occurrence besides `group-by` (value_count: its field). */
  reads(rule: CorrelationRule): string[];
  /** False for occurrences the type leaves out (value_count: those without a value). */
  accepts?(rule: CorrelationRule, o: Occurrence): boolean;
  /** The occurrences of a window that make its hit (temporal_ordered: from the first rule's on). */
  trim?(rule: CorrelationRule, window: Occurrence[]): Occurrence[];
}
