// The merge stage (main thread): distinct events → single-event hits,
// correlation windows and stateful rules → hits in a total order. Candidates
// arrive in whatever order the workers finish; nothing here depends on it.

import type { Candidate, Hit } from '../model.js';
import type { CorrelationRule, DetectionRule, Rule, StatefulRule } from '../rules/types.js';
import { CORRELATION_KINDS, correlationHits, type CorrelationHit } from './correlation/index.js';
import { EventSet, type Collisions, type DistinctEvent } from './dedup.js';
import { hitOf } from './hit.js';
import { sortHits } from './sort.js';
import { statefulHits } from './stateful.js';

export type { Collisions, DistinctEvent } from './dedup.js';
export { compareHits, sortHits } from './sort.js';

/**
 * Matching events one hunt may hold (DESIGN: memory is bounded). Each costs
 * about 1.5 KB of main-thread memory until the output is written (the event,
 * its hit, its output line), so this keeps a hunt near 1.5 GB of heap, within
 * Node's default limit on an 8 GB machine, and its NDJSON within the longest
 * string V8 can build. Objects past it fail, named (readers/reader.ts).
 */
export const MAX_EVENTS_PER_HUNT = 1_000_000;

export class Merge {
  private readonly singles: DetectionRule[];
  /** In dependency order: a correlation comes after the correlations it names. */
  private readonly correlations: CorrelationRule[];
  private readonly statefuls: StatefulRule[];
  private readonly events = new EventSet();

  constructor(
    rules: Rule[],
    /** Matching events the merge takes in all (tests lower it). */
    readonly maxEvents = MAX_EVENTS_PER_HUNT,
  ) {
    this.singles = rules.filter((r): r is DetectionRule => r.kind === 'detection' && r.generate);
    this.correlations = chainOrder(rules.filter((r): r is CorrelationRule => r.kind === 'correlation'));
    this.statefuls = rules.filter((r): r is StatefulRule => r.kind === 'stateful' && r.engine === 'iam-user-password-without-mfa');
  }

  /** Candidates added so far (progress shows them as hits so far). */
  candidates = 0;

  add(candidate: Candidate): void {
    this.candidates++;
    this.events.add(candidate);
  }

  /**
   * Whether `count` more candidates fit in the hunt's bound. Counted as if
   * each were a new event (a copy of a held event costs nothing, but the
   * answer must not depend on which copies came first).
   */
  hasRoomFor(count: number): boolean {
    return this.events.size + count <= this.maxEvents;
  }

  /** The distinct events held whose eventID is one of `ids` (a hit's own events, for `--context`). */
  eventsWithIDs(ids: ReadonlySet<string>): DistinctEvent[] {
    return this.events.events().filter((e) => e.view.eventID !== null && ids.has(e.view.eventID));
  }

  /** eventIDs seen on records of different content: the summary warns with these. */
  collisions(): Collisions {
    return this.events.collisions();
  }

  /** Every hit of the events added so far, sorted. */
  hits(): Hit[] {
    const events = this.events.events();
    const hits: Hit[] = [];
    for (const rule of this.singles) {
      for (const e of events) if (e.rules.includes(rule.key)) hits.push(singleHit(rule, e));
    }
    // One push per hit: spreading a list into push() passes each element as
    // an argument, which overflows the stack past about 120,000 hits.
    const done = new Map<string, CorrelationHit[]>();
    const order = new Map(events.map((e, i) => [e, i]));
    for (const rule of this.correlations) {
      const found = correlationHits(rule, CORRELATION_KINDS[rule.type], events, done, order);
      done.set(rule.key, found);
      // A correlation named by another one produces hits of its own only when `generate` says so.
      if (rule.generate) for (const c of found) hits.push(c.hit);
    }
    for (const rule of this.statefuls) for (const hit of statefulHits(rule, events)) hits.push(hit);
    return sortHits(hits);
  }
}

function singleHit(rule: DetectionRule, event: DistinctEvent): Hit {
  return hitOf(rule, [event], {});
}

/** Correlations ordered so that each comes after those it names (the loader refused loops). */
function chainOrder(rules: CorrelationRule[]): CorrelationRule[] {
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const out: CorrelationRule[] = [];
  const placed = new Set<string>();
  const place = (rule: CorrelationRule, depth: number): void => {
    if (placed.has(rule.key) || depth > rules.length) return;
    for (const key of rule.rules) {
      const inner = byKey.get(key);
      if (inner) place(inner, depth + 1);
    }
    placed.add(rule.key);
    out.push(rule);
  };
  for (const rule of rules) place(rule, 0);
  return out;
}
