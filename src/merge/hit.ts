// One place that shapes a Hit, so every rule kind writes the NDJSON contract's
// keys in the same order (output is compared byte for byte).

import type { Hit } from '../model.js';
import type { RuleMeta } from '../rules/types.js';
import { compareText } from './canonical.js';
import type { DistinctEvent } from './dedup.js';

/**
 * A hit over `events` (already distinct and in event order): time, account,
 * region, actor, address and name from the first event; every eventID and
 * source of them all.
 */
export function hitOf(rule: RuleMeta, events: readonly DistinctEvent[], group: Record<string, unknown>): Hit {
  const first = events[0]!.view;
  const last = events[events.length - 1]!.view;
  const eventIDs: string[] = [];
  const seenIDs = new Set<string>();
  const sources = new Set<string>();
  for (const e of events) {
    const id = e.view.eventID;
    if (id !== null && !seenIDs.has(id)) {
      seenIDs.add(id);
      eventIDs.push(id);
    }
    for (const s of e.sources) sources.add(s);
  }
  return {
    rule: rule.key,
    title: rule.title,
    severity: rule.level,
    time: first.time,
    lastTime: last.time,
    count: events.length,
    group,
    account: first.account,
    region: first.region,
    actor: first.actor,
    sourceIPAddress: first.sourceIPAddress,
    eventName: first.eventName,
    eventIDs,
    sources: [...sources].sort(compareText),
    target: groupUser(group) ?? first.target,
    fields: Object.fromEntries((rule.outputFields ?? []).map((p) => [p, Object.hasOwn(first.fields, p) ? first.fields[p] : null])),
    ...(events.some((e) => e.view.record !== undefined) ? { events: events.flatMap((e) => (e.view.record ? [e.view.record] : [])) } : {}),
  };
}

/** The user a group names, when a rule groups by one (threshold and stateful rules): the hit is about that user. */
function groupUser(group: Record<string, unknown>): string | null {
  for (const [path, value] of Object.entries(group)) {
    const last = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
    if ((last === 'username' || last === 'user') && typeof value === 'string') return value;
  }
  return null;
}
