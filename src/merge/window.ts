// Sigma event_count correlations: a sliding window per group, then a dedup
// period during which an open hit absorbs the group's later events
// (DESIGN.md, "Window semantics").

import type { Hit } from '../model.js';
import type { ThresholdRule } from '../rules/types.js';
import { foldedKey } from './canonical.js';
import type { DistinctEvent } from './dedup.js';
import { hitOf } from './hit.js';

/** Paths a worker may leave out of `fields` because the view already carries them. */
const VIEW_PATHS: Record<string, (e: DistinctEvent) => unknown> = {
  eventID: (e) => e.view.eventID,
  eventName: (e) => e.view.eventName,
  eventSource: (e) => e.view.eventSource,
  recipientAccountId: (e) => e.view.account,
  awsRegion: (e) => e.view.region,
  sourceIPAddress: (e) => e.view.sourceIPAddress,
};

/** The value of a group-by path for one event; missing is null. */
export function groupValue(event: DistinctEvent, path: string): unknown {
  const fields = event.view.fields;
  if (Object.hasOwn(fields, path)) return fields[path] ?? null;
  return VIEW_PATHS[path]?.(event) ?? null;
}

/**
 * The hits of one threshold rule. `events` are distinct and in (t, eventID)
 * order; only those that matched one of the rule's base rules count.
 */
export function thresholdHits(rule: ThresholdRule, events: readonly DistinctEvent[]): Hit[] {
  const bases = new Set(rule.rules);
  const groups = new Map<string, DistinctEvent[]>();
  for (const e of events) {
    if (!e.rules.some((r) => bases.has(r))) continue;
    const key = rule.groupBy.map((p) => foldedKey(groupValue(e, p))).join('\u0000');
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const hits: Hit[] = [];
  for (const list of groups.values()) {
    for (const events of windowHits(list, rule.threshold, rule.timespanMs, rule.dedupMs)) {
      // The group as the hit's first event spells it.
      const group: Record<string, unknown> = {};
      for (const p of rule.groupBy) group[p] = groupValue(events[0]!, p);
      hits.push(hitOf(rule, events, group));
    }
  }
  return hits;
}

/**
 * One group's events (in order) cut into hits: each returned list is one hit's
 * events. Exported for tests that pin the window itself.
 */
export function windowHits(events: readonly DistinctEvent[], threshold: number, timespanMs: number, dedupMs: number): DistinctEvent[][] {
  const need = Math.max(1, Math.floor(threshold));
  const out: DistinctEvent[][] = [];
  let window: DistinctEvent[] = [];
  let open: { startT: number; events: DistinctEvent[] } | null = null;
  for (const e of events) {
    if (open) {
      if (e.view.t < open.startT + dedupMs) {
        open.events.push(e);
        continue;
      }
      // The first event past the dedup period closes the hit and starts a fresh window.
      out.push(open.events);
      open = null;
      window = [];
    }
    window.push(e);
    let drop = 0;
    while (e.view.t - window[drop]!.view.t > timespanMs) drop++;
    if (drop > 0) window = window.slice(drop);
    if (window.length >= need) {
      open = { startT: window[0]!.view.t, events: window };
      window = [];
    }
  }
  if (open) out.push(open.events);
  return out;
}
