// One place that shapes a Hit, so every rule kind writes the NDJSON contract's
// keys in the same order (output is compared byte for byte).

import type { Hit } from '../model.js';
import type { CorrelationRule, RuleMeta } from '../rules/types.js';
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
    target: groupUser(rule, group) ?? first.target,
    fields: Object.fromEntries((rule.outputFields ?? []).map((p) => [p, Object.hasOwn(first.fields, p) ? first.fields[p] : null])),
    ...(events.some((e) => e.view.record !== undefined) ? { events: events.flatMap((e) => (e.view.record ? [e.view.record] : [])) } : {}),
  };
}

/**
 * The user a group names, when a rule groups by one (correlation and stateful
 * rules): the hit is about that user. A group key names a user when it is a
 * field path ending in `userName` or `user` (`userIdentity.userName`), or a
 * correlation's alias for such paths (or itself called so).
 */
function groupUser(rule: RuleMeta, group: Record<string, unknown>): string | null {
  const aliases = (rule as Partial<CorrelationRule>).aliases ?? {};
  for (const [name, value] of Object.entries(group)) {
    if (typeof value !== 'string') continue;
    const paths = [name, ...Object.values(aliases[name] ?? {})];
    if (paths.some(isUserPath)) return value;
  }
  return null;
}

function isUserPath(path: string): boolean {
  const last = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return last === 'username' || last === 'user';
}
