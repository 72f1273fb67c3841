// Events made distinct by eventID. CloudTrail may deliver an event twice, and
// an organisation trail and an account trail both record it: one eventID is
// one event, whatever number of objects it came from.

import type { Candidate, EventView } from '../model.js';
import { canonicalJson, compareNullableText, compareText } from './canonical.js';

/** One distinct event: a representative view, every rule any copy matched, every object it came from. */
export interface DistinctEvent {
  view: EventView;
  /** Keys of the rules it matched, sorted. */
  rules: string[];
  /** References of the objects it came from, sorted. */
  sources: string[];
}

interface Copies {
  /** The copy whose canonical JSON is least: a choice that ignores arrival order. */
  view: EventView;
  json: string;
  rules: Set<string>;
  sources: Set<string>;
  /** Per field path, the least value (by canonical JSON) over the copies that carried the path. */
  fields: Map<string, { json: string; value: unknown }>;
}

export class EventSet {
  private readonly byID = new Map<string, Copies>();
  /** Events without an eventID: each is distinct from every other. */
  private readonly anonymous: Copies[] = [];

  add(candidate: Candidate): void {
    const { event, source } = candidate;
    const json = canonicalJson(event);
    const id = event.eventID;
    const known = id === null ? undefined : this.byID.get(id);
    if (!known) {
      const copies: Copies = { view: event, json, rules: new Set(candidate.rules), sources: new Set([source]), fields: new Map() };
      addFields(copies, event);
      if (id === null) this.anonymous.push(copies);
      else this.byID.set(id, copies);
      return;
    }
    for (const r of candidate.rules) known.rules.add(r);
    known.sources.add(source);
    addFields(known, event);
    if (compareText(json, known.json) < 0) {
      known.view = event;
      known.json = json;
    }
  }

  /** Every distinct event in (t, eventID) order, ties broken by content so the order is total. */
  events(): DistinctEvent[] {
    const all = [...this.byID.values(), ...this.anonymous].map((c) => ({ copies: c, event: distinct(c) }));
    all.sort(
      (a, b) =>
        a.event.view.t - b.event.view.t ||
        compareNullableText(a.event.view.eventID, b.event.view.eventID) ||
        compareText(a.copies.json, b.copies.json) ||
        compareText(a.event.sources.join('\n'), b.event.sources.join('\n')) ||
        compareText(a.event.rules.join('\n'), b.event.rules.join('\n')),
    );
    return all.map((x) => x.event);
  }
}

function addFields(copies: Copies, view: EventView): void {
  for (const [path, value] of Object.entries(view.fields)) {
    const json = canonicalJson(value);
    const held = copies.fields.get(path);
    if (!held || compareText(json, held.json) < 0) copies.fields.set(path, { json, value });
  }
}

function distinct(copies: Copies): DistinctEvent {
  // Copies of one eventID normally agree. When they differ, each matched rule
  // still finds the paths it asked for: the representative's own values
  // first, then the least value any other copy carried.
  const fields: Record<string, unknown> = { ...copies.view.fields };
  for (const [path, held] of [...copies.fields].sort(([a], [b]) => compareText(a, b))) {
    if (!Object.hasOwn(fields, path)) fields[path] = held.value;
  }
  return {
    view: { ...copies.view, fields },
    rules: [...copies.rules].sort(compareText),
    sources: [...copies.sources].sort(compareText),
  };
}
