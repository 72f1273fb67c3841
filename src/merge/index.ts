// The merge stage (main thread): distinct events → single-event hits,
// threshold windows and stateful rules → hits in a total order. Candidates
// arrive in whatever order the workers finish; nothing here depends on it.

import type { Candidate, Hit } from '../model.js';
import type { DetectionRule, Rule, StatefulRule, ThresholdRule } from '../rules/types.js';
import { EventSet, type Collisions, type DistinctEvent } from './dedup.js';
import { hitOf } from './hit.js';
import { sortHits } from './sort.js';
import { statefulHits } from './stateful.js';
import { thresholdHits } from './window.js';

export type { Collisions, DistinctEvent } from './dedup.js';
export { compareHits, sortHits } from './sort.js';

export class Merge {
  private readonly singles: DetectionRule[];
  private readonly thresholds: ThresholdRule[];
  private readonly statefuls: StatefulRule[];
  private readonly events = new EventSet();

  constructor(rules: Rule[]) {
    this.singles = rules.filter((r): r is DetectionRule => r.kind === 'detection' && r.generate);
    this.thresholds = rules.filter((r): r is ThresholdRule => r.kind === 'threshold');
    this.statefuls = rules.filter((r): r is StatefulRule => r.kind === 'stateful' && r.engine === 'iam-user-password-without-mfa');
  }

  /** Candidates added so far (progress shows them as hits so far). */
  candidates = 0;

  add(candidate: Candidate): void {
    this.candidates++;
    this.events.add(candidate);
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
    for (const rule of this.thresholds) for (const hit of thresholdHits(rule, events)) hits.push(hit);
    for (const rule of this.statefuls) for (const hit of statefulHits(rule, events)) hits.push(hit);
    return sortHits(hits);
  }
}

function singleHit(rule: DetectionRule, event: DistinctEvent): Hit {
  return hitOf(rule, [event], {});
}
