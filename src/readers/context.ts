// `--context <d>`: the timeline around each timed hit. One more pass over the
// archive, but only over the objects whose delivery window can hold events of
// the hits' time ranges (each widened by d; the stores prune with the same
// late-delivery margin as the hunt) in the hits' accounts, with a prefilter on
// the principals' names and addresses. The workers return the events of those
// accounts that involve any hit's principal or address; each hit then takes
// its own: same account, inside [time − d, lastTime + d], its caller or target
// user being the hit's actor or target (case-insensitively), or its source
// address the hit's when that is an IP address; and always the hit's own
// events (a correlation's may involve other users and addresses), which the
// merge holds already: the pass does not look for them.

import { compareNullableText, compareText } from '../merge/canonical.js';
import type { ContextEvent, EventView, Hit } from '../model.js';
import type { Scope } from '../options.js';
import { Tally } from '../output/summary.js';
import { isAddress, type ContextSpec } from '../scan/context.js';
import type { ObjectRef } from '../stores/store.js';
import { scanObjects } from './objects.js';
import type { ReadContext } from './reader.js';

interface Seen {
  view: EventView;
  source: string;
}

/** Adds `context` to every timed hit; returns what the pass read, and whether Ctrl-C cut it short. */
export async function addContext(ctx: ReadContext, hits: Hit[], aroundMs: number): Promise<{ tally: Tally; interrupted: boolean }> {
  const tally = new Tally();
  const timed = hits.filter((h) => h.time !== null && h.lastTime !== null && h.account !== null);
  if (timed.length === 0 || ctx.stores.length === 0) return { tally, interrupted: false };
  const spec: ContextSpec = { accounts: [], names: [], addresses: [], ranges: joinedRanges(timed, aroundMs) };
  const accounts = new Set<string>();
  const names = new Set<string>();
  const addresses = new Set<string>();
  const ids = new Set<string>();
  for (const h of timed) {
    accounts.add(h.account!);
    for (const id of h.eventIDs) ids.add(id);
    for (const n of [h.actor, h.target]) if (n) names.add(n.toLowerCase());
    if (isAddress(h.sourceIPAddress)) addresses.add(h.sourceIPAddress);
  }
  spec.accounts = [...accounts].sort(compareText);
  spec.names = [...names].sort(compareText);
  spec.addresses = [...addresses].sort(compareText);

  // Distinct events, as the merge makes them: eventID and content. The hits'
  // own events come from the merge, which holds them, with every object that
  // had them; the pass finds the rest.
  const events = new Map<string, Seen>();
  const keyOf = (e: EventView): string => `${e.eventID ?? `\u0000${e.digest}`}\u0000${e.digest}`;
  for (const e of ctx.merge.eventsWithIDs(ids)) {
    const sources = [...e.sources].sort(compareText);
    events.set(keyOf(e.view), { view: e.view, source: sources[0]! });
  }
  const { interrupted } = await scanObjects(ctx, refsFor(ctx, spec.ranges, spec.accounts), tally, {
    context: spec,
    scanned(ref, candidates) {
      for (const c of candidates) {
        const key = keyOf(c.event);
        const held = events.get(key);
        // The same event in two objects: name the least reference, whatever order the workers finish in.
        if (!held || compareText(ref.reference, held.source) < 0) events.set(key, { view: c.event, source: ref.reference });
      }
    },
  });
  const all = [...events.values()].sort(
    (a, b) => a.view.t - b.view.t || compareNullableText(a.view.eventID, b.view.eventID) || compareText(a.view.digest, b.view.digest),
  );
  for (const hit of timed) hit.context = timelineOf(hit, all, aroundMs);
  return { tally, interrupted };
}

function timelineOf(hit: Hit, all: readonly Seen[], aroundMs: number): ContextEvent[] {
  const from = Date.parse(hit.time!) - aroundMs;
  const to = Date.parse(hit.lastTime!) + aroundMs;
  const principals = new Set([hit.actor, hit.target].filter((n): n is string => n !== null).map((n) => n.toLowerCase()));
  const address = isAddress(hit.sourceIPAddress) ? hit.sourceIPAddress : null;
  const own = new Set(hit.eventIDs);
  const out: ContextEvent[] = [];
  for (const { view: e, source } of all) {
    if (e.t < from) continue;
    if (e.t > to) break;
    if (e.account !== hit.account) continue;
    const involved =
      (e.actor !== null && principals.has(e.actor.toLowerCase())) ||
      (e.target !== null && principals.has(e.target.toLowerCase())) ||
      (address !== null && e.sourceIPAddress === address) ||
      (e.eventID !== null && own.has(e.eventID));
    if (!involved) continue;
    out.push({
      time: e.time,
      eventName: e.eventName,
      eventSource: e.eventSource,
      actor: e.actor,
      target: e.target,
      sourceIPAddress: e.sourceIPAddress,
      errorCode: e.errorCode,
      eventID: e.eventID,
      source,
      inHit: e.eventID !== null && own.has(e.eventID),
    });
  }
  return out;
}

/** Each timed hit's [time − d, lastTime + d], joined where they overlap, in time order. */
function joinedRanges(hits: readonly Hit[], aroundMs: number): ContextSpec['ranges'] {
  const ranges = hits
    .map((h) => ({ fromMs: Date.parse(h.time!) - aroundMs, toMs: Date.parse(h.lastTime!) + aroundMs }))
    .sort((a, b) => a.fromMs - b.fromMs);
  const joined: ContextSpec['ranges'] = [];
  for (const r of ranges) {
    const last = joined[joined.length - 1];
    if (last && r.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, r.toMs);
    else joined.push({ ...r });
  }
  return joined;
}

/**
 * The objects that can hold context events: for each stretch of time the
 * hits' ranges cover (overlapping ranges joined), every store's listing of
 * that stretch in the hits' accounts; an object listed for two stretches is
 * read once.
 */
async function* refsFor(ctx: ReadContext, ranges: ContextSpec['ranges'], accounts: string[]): AsyncGenerator<ObjectRef> {
  const seen = new Set<string>();
  for (const range of ranges) {
    // `until` is exclusive; the range's end is inclusive.
    const scope: Scope = { sinceMs: range.fromMs, untilMs: range.toMs + 1, accounts, regions: ctx.opts.scope.regions };
    for (const store of ctx.stores) {
      for await (const entry of store.list(scope)) {
        if (entry.type !== 'object' || seen.has(entry.id)) continue;
        seen.add(entry.id);
        yield entry.ref;
      }
    }
  }
}
