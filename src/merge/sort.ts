// The order of hits: by (time, rule, group, first eventID), then by the rest
// of the hit so the order is total and output byte-identical run to run.
// Posture hits (no time) come after every timed hit, by rule then group.

import type { Hit } from '../model.js';
import { canonicalJson, compareText } from './canonical.js';

/** A hit with its canonical texts, computed at most once each. */
interface Keyed {
  hit: Hit;
  group?: string;
  whole?: string;
}

function compareKeyed(a: Keyed, b: Keyed): number {
  return (
    compareTimes(a.hit.time, b.hit.time) ||
    compareText(a.hit.rule, b.hit.rule) ||
    compareText((a.group ??= canonicalJson(a.hit.group)), (b.group ??= canonicalJson(b.hit.group))) ||
    compareFirstID(a.hit.eventIDs, b.hit.eventIDs) ||
    compareText((a.whole ??= canonicalJson(a.hit)), (b.whole ??= canonicalJson(b.hit)))
  );
}

export function compareHits(a: Hit, b: Hit): number {
  return compareKeyed({ hit: a }, { hit: b });
}

/** A sorted copy, in compareHits order, with each hit's canonical texts computed once. */
export function sortHits(hits: readonly Hit[]): Hit[] {
  return hits
    .map((hit): Keyed => ({ hit }))
    .sort(compareKeyed)
    .map((k) => k.hit);
}

/**
 * Times are CloudTrail's ISO 8601 strings, with milliseconds only when the
 * event had them, so text order is not time order ("…:34.500Z" < "…:34Z"):
 * compare the instants, then the text. Null (posture) sorts last.
 */
function compareTimes(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta - tb;
  if (Number.isFinite(ta) !== Number.isFinite(tb)) return Number.isFinite(ta) ? -1 : 1;
  return compareText(a, b);
}

function compareFirstID(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? -1 : 1;
  return compareText(a[0]!, b[0]!);
}
