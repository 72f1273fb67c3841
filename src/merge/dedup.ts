// Events made distinct. CloudTrail may deliver an event twice, and an
// organisation trail and an account trail both record it: those copies are
// byte-for-byte the same record, so one (eventID, content digest) is one
// event, whatever number of objects it came from. Records that share an
// eventID but differ in content (forged, re-exported or hand-written logs)
// are distinct events, each counting on its own: keying by eventID alone
// would let a forged copy hide the real event behind it.

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

/** eventIDs that name records of different content. */
export interface Collisions {
  /** How many eventIDs were seen with more than one content. */
  count: number;
  /** The least of them (code-unit order), or null when there is none. */
  first: string | null;
}

export class EventSet {
  /** By digest + eventID (the digest has a fixed length, so the pair is unambiguous). */
  private readonly byKey = new Map<string, Copies>();
  /** Per eventID, the first digest seen and whether another one followed. */
  private readonly contents = new Map<string, { digest: string; collided: boolean }>();
  /** Events without an eventID: each is distinct from every other. */
  private readonly anonymous: Copies[] = [];

  add(candidate: Candidate): void {
    const { event, source } = candidate;
    const json = canonicalJson(event);
    const id = event.eventID === '' ? null : event.eventID;
    const key = id === null ? null : event.digest + id;
    const known = key === null ? undefined : this.byKey.get(key);
    if (!known) {
      const copies: Copies = { view: event, json, rules: new Set(candidate.rules), sources: new Set([source]), fields: new Map() };
      addFields(copies, event);
      if (id === null || key === null) {
        this.anonymous.push(copies);
        return;
      }
      this.byKey.set(key, copies);
      const seen = this.contents.get(id);
      if (!seen) this.contents.set(id, { digest: event.digest, collided: false });
      else if (seen.digest !== event.digest) seen.collided = true;
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

  collisions(): Collisions {
    let count = 0;
    let first: string | null = null;
    for (const [id, seen] of this.contents) {
      if (!seen.collided) continue;
      count++;
      if (first === null || compareText(id, first) < 0) first = id;
    }
    return { count, first };
  }

  /**
   * Every distinct event in (t, eventID) order, ties broken by the view's
   * content, then the record's digest, so the order is total and does not
   * depend on arrival.
   */
  events(): DistinctEvent[] {
    const all: { copies: Copies; event: DistinctEvent }[] = [];
    for (const c of this.byKey.values()) all.push({ copies: c, event: distinct(c) });
    for (const c of this.anonymous) all.push({ copies: c, event: distinct(c) });
    all.sort(
      (a, b) =>
        a.event.view.t - b.event.view.t ||
        compareNullableText(a.event.view.eventID, b.event.view.eventID) ||
        compareText(a.copies.json, b.copies.json) ||
        compareText(a.event.view.digest, b.event.view.digest) ||
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
  // Copies of one event have the same content; they can still differ in the
  // paths they carry when workers ran different rule sets, so each matched
  // rule finds the paths it asked for: the representative's own values first,
  // then the least value any other copy carried.
  const fields: Record<string, unknown> = { ...copies.view.fields };
  const paths = [...copies.fields.keys()].sort(compareText);
  for (const path of paths) {
    if (!Object.hasOwn(fields, path)) fields[path] = copies.fields.get(path)!.value;
  }
  const eventID = copies.view.eventID === '' ? null : copies.view.eventID;
  return {
    view: { ...copies.view, eventID, fields },
    rules: [...copies.rules].sort(compareText),
    sources: [...copies.sources].sort(compareText),
  };
}
