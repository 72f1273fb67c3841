// Correlation windows, the same for every type (DESIGN.md, "Window
// semantics"), per rule and per group, over occurrences in (time, event)
// order. The type (kind.ts) only says what a window measures.
//
// A condition with only lower bounds (gt, gte) can only become true as a
// window grows, so the window slides:
//   * the window holds the group's recent occurrences not yet in a hit; one
//     older than the newest by more than the timespan leaves it (the boundary
//     is inclusive: last − first ≤ timespan);
//   * when the measure meets the condition, a hit opens with the window's
//     occurrences; its start is its first one;
//   * while open, it absorbs every later occurrence of the group with
//     time < start + dedup-period (default: the timespan);
//   * the first occurrence past that closes the hit and starts a fresh window.
// A condition with an upper bound (lt, lte, eq, neq, or a range) can be
// judged only on a whole window, since one more event can break it: each
// occurrence not yet in a hit, in order, starts a window of every occurrence
// within the timespan after it (inclusive); the first such window that meets
// the condition is a hit, absorbs as above, and the next window starts after
// it.
//
// Groups: the `group-by` values, through `aliases` for each rule; a missing
// field groups as null, so events lacking it count together (as in SQL's
// GROUP BY). Values compare case-insensitively, and the hit shows its first
// occurrence's spelling. A hit of a named correlation (a chain) occurs when
// its condition was met, holds its events, and carries its group.

import type { Hit } from '../../model.js';
import type { CorrelationRule, CountCondition, Rule } from '../../rules/types.js';
import { foldedKey } from '../canonical.js';
import type { DistinctEvent } from '../dedup.js';
import { hitOf } from '../hit.js';
import type { CorrelationKind, Occurrence } from './kind.js';

/** A correlation's hit with what a correlation that names it needs. */
export interface CorrelationHit {
  hit: Hit;
  /** When the condition was met: the occurrence that completed the window. */
  firedT: number;
  /** The group, keyed by the rule's `group-by` entries as written. */
  group: Record<string, unknown>;
  events: DistinctEvent[];
}

/** Paths a worker may leave out of `fields` because the view already carries them. */
const VIEW_PATHS: Record<string, (e: DistinctEvent) => unknown> = {
  eventID: (e) => e.view.eventID,
  eventName: (e) => e.view.eventName,
  eventSource: (e) => e.view.eventSource,
  recipientAccountId: (e) => e.view.account,
  awsRegion: (e) => e.view.region,
  sourceIPAddress: (e) => e.view.sourceIPAddress,
};

/** The value of a dotted path for one event, as the worker carried it; missing is null. */
export function groupValue(event: DistinctEvent, path: string): unknown {
  const fields = event.view.fields;
  if (Object.hasOwn(fields, path)) return fields[path] ?? null;
  return VIEW_PATHS[path]?.(event) ?? null;
}

/** The field that holds `name` in the events of rule `key`: its alias there, else the name itself. */
function fieldFor(rule: CorrelationRule, name: string, key: string): string {
  return rule.aliases[name]?.[key] ?? name;
}

/**
 * Per detection rule a correlation names, the event paths the merge needs from
 * its events (group-by and the type's own fields, through aliases): what the
 * workers cut out of each event.
 */
export function correlationFields(rule: CorrelationRule, rules: readonly Rule[], kind: CorrelationKind): Map<string, string[]> {
  const names = [...rule.groupBy, ...kind.reads(rule)];
  const out = new Map<string, string[]>();
  for (const key of rule.rules) {
    const target = rules.find((r) => r.key === key);
    if (target?.kind !== 'detection') continue;
    out.set(key, [...new Set(names.map((n) => fieldFor(rule, n, key)))]);
  }
  return out;
}

function holds(c: CountCondition, n: number): boolean {
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq) &&
    (c.neq === undefined || n !== c.neq)
  );
}

/** Only lower bounds: true once met, a growing window stays so. */
function onlyLowerBounds(c: CountCondition): boolean {
  return c.lt === undefined && c.lte === undefined && c.eq === undefined && c.neq === undefined;
}

/**
 * The hits of one correlation. `events` are distinct and in (t, eventID)
 * order; `inner` holds the hits of the correlations it names, computed first.
 */
export function correlationHits(
  rule: CorrelationRule,
  kind: CorrelationKind,
  events: readonly DistinctEvent[],
  inner: ReadonlyMap<string, readonly CorrelationHit[]>,
  /** Each event's index in `events` (the merge builds it once for every correlation). */
  order: ReadonlyMap<DistinctEvent, number> = new Map(events.map((e, i) => [e, i])),
): CorrelationHit[] {
  const groups = new Map<string, Occurrence[]>();
  const add = (o: Occurrence): void => {
    const key = rule.groupBy.map((name) => foldedKey(o.value(name))).join('\u0000');
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  };
  for (const key of rule.rules) {
    const hits = inner.get(key);
    if (hits) {
      for (const h of hits) {
        add({
          t: h.firedT,
          events: h.events,
          rules: [key],
          value: (name) => h.group[fieldFor(rule, name, key)] ?? null,
          order: order.get(h.events[h.events.length - 1]!) ?? 0,
        });
      }
      continue;
    }
    for (const e of events) {
      if (!e.rules.includes(key)) continue;
      add({ t: e.view.t, events: [e], rules: [key], value: (name) => groupValue(e, fieldFor(rule, name, key)), order: order.get(e)! });
    }
  }
  const out: CorrelationHit[] = [];
  for (const list of groups.values()) {
    const items = mergeSameEvent(list).filter((o) => kind.accepts?.(rule, o) ?? true);
    const cut = onlyLowerBounds(rule.condition) ? slidingWindows(rule, kind, items) : wholeWindows(rule, kind, items);
    for (const { items: hitItems, firedT } of cut) out.push(toHit(rule, hitItems, firedT, order));
  }
  return out;
}

/**
 * One occurrence per event and time: an event that matched two of the rules
 * (or one rule reached by two aliases to the same group) is one event that is
 * both, not two events. Sorted into the merge's order.
 */
function mergeSameEvent(list: Occurrence[]): Occurrence[] {
  const sorted = [...list].sort((a, b) => a.t - b.t || a.order - b.order || a.events.length - b.events.length);
  const out: Occurrence[] = [];
  for (const o of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.events.length === 1 && o.events.length === 1 && prev.events[0] === o.events[0]) {
      const first = prev;
      out[out.length - 1] = { ...first, rules: [...new Set([...first.rules, ...o.rules])] };
    } else {
      out.push(o);
    }
  }
  return out;
}

interface Cut {
  items: Occurrence[];
  firedT: number;
}

function slidingWindows(rule: CorrelationRule, kind: CorrelationKind, items: readonly Occurrence[]): Cut[] {
  const out: Cut[] = [];
  let window: Occurrence[] = [];
  let head = 0;
  let tracker = kind.tracker(rule);
  let open: (Cut & { startT: number }) | null = null;
  for (const o of items) {
    if (open) {
      if (o.t < open.startT + rule.dedupMs) {
        open.items.push(o);
        continue;
      }
      // The first occurrence past the dedup period closes the hit and starts a fresh window.
      out.push(open);
      open = null;
    }
    window.push(o);
    tracker.add(o);
    while (o.t - window[head]!.t > rule.timespanMs) tracker.remove(window[head++]!);
    if (holds(rule.condition, tracker.value())) {
      const kept = kind.trim?.(rule, window.slice(head)) ?? window.slice(head);
      open = { items: kept, firedT: o.t, startT: kept[0]!.t };
      window = [];
      head = 0;
      tracker = kind.tracker(rule);
    } else if (head > 1024 && head * 2 > window.length) {
      window = window.slice(head);
      head = 0;
    }
  }
  if (open) out.push(open);
  return out;
}

function wholeWindows(rule: CorrelationRule, kind: CorrelationKind, items: readonly Occurrence[]): Cut[] {
  const out: Cut[] = [];
  let i = 0;
  while (i < items.length) {
    const start = items[i]!;
    const tracker = kind.tracker(rule);
    let j = i;
    while (j < items.length && items[j]!.t - start.t <= rule.timespanMs) tracker.add(items[j++]!);
    if (!holds(rule.condition, tracker.value())) {
      i++;
      continue;
    }
    const firedT = items[j - 1]!.t;
    const kept = kind.trim?.(rule, items.slice(i, j)) ?? items.slice(i, j);
    const startT = kept[0]!.t;
    while (j < items.length && items[j]!.t < startT + rule.dedupMs) kept.push(items[j++]!);
    out.push({ items: kept, firedT });
    i = j;
  }
  return out;
}

function toHit(rule: CorrelationRule, items: Occurrence[], firedT: number, order: ReadonlyMap<DistinctEvent, number>): CorrelationHit {
  const seen = new Set<DistinctEvent>();
  const events: DistinctEvent[] = [];
  for (const o of items) {
    for (const e of o.events) {
      if (!seen.has(e)) {
        seen.add(e);
        events.push(e);
      }
    }
  }
  events.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  // The group as the hit's first occurrence spells it.
  const group: Record<string, unknown> = {};
  for (const name of rule.groupBy) group[name] = items[0]!.value(name);
  return { hit: hitOf(rule, events, group), firedT, group, events };
}
