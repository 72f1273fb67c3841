// Events made distinct. CloudTrail may deliver an event twice, and an
// organisation trail and an account trail both record it: those copies are
// byte-for-byte the same record, so one (eventID, content digest) is one
// event, whatever number of objects it came from. Records that share an
// eventID but differ in content (forged, re-exported or hand-written logs)
// are distinct events, each counting on its own: keying by eventID alone
// would let a forged copy hide the real event behind it.
//
// Memory: this set holds every matching event of the hunt, and an attacker
// can plant objects of a million tiny matching records, so an event costs
// little here. Copies with the same digest have the same content, hence the
// same view (the same record gives the same fields), so the set keeps the
// first copy's view and no text of the record; object references and rule
// lists, which repeat across thousands of events, are held once (interned).

import type { Candidate, EventView } from '../model.js';
import { compareNullableText, compareText } from './canonical.js';

/** One distinct event: a representative view, every rule any copy matched, every object it came from. */
export interface DistinctEvent {
  view: EventView;
  /** Keys of the rules it matched, sorted. */
  rules: string[];
  /** References of the objects it came from, sorted. */
  sources: string[];
}

/**
 * The copies of one event, shaped as the DistinctEvent it becomes, so
 * events() hands them out without copying. `rules` and `sources` are shared
 * (interned) arrays: they are replaced, never changed in place. An event
 * found in more than one object keeps its objects in a set (the same record
 * planted in 100,000 objects must not cost a sorted insert each time), and
 * events() writes them out sorted.
 */
type Copies = DistinctEvent & { allSources?: Set<string> };

/** eventIDs that name records of different content. */
export interface Collisions {
  /** How many eventIDs were seen with more than one content. */
  count: number;
  /** The least of them (code-unit order), or null when there is none. */
  first: string | null;
}

/** The fields of a view that carries none: one object for them all. */
const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * Equal strings held once. Object references and rule keys repeat across
 * every event of an object, and each candidate that crossed from a worker
 * carries its own copy. Bounded, so unique values (which an attacker
 * controls) cannot make the table itself the cost: past `cap` entries, new
 * strings are kept as they come.
 */
class Interner<T> {
  private readonly table = new Map<string, T>();
  constructor(private readonly cap: number) {}

  get(key: string, value: T): T {
    const held = this.table.get(key);
    if (held !== undefined) return held;
    if (this.table.size < this.cap) this.table.set(key, value);
    return value;
  }
}

const INTERN_CAP = 100_000;

export class EventSet {
  /** Per eventID, the first content seen. */
  private readonly byID = new Map<string, Copies>();
  /** Per eventID seen with more than one content, the other contents (in arrival order; events() sorts). */
  private readonly others = new Map<string, Copies[]>();
  /** Events without an eventID: each is distinct from every other. */
  private readonly anonymous: Copies[] = [];
  private readonly strings = new Interner<string>(INTERN_CAP);
  private readonly lists = new Interner<string[]>(INTERN_CAP);
  private count = 0;

  /** Distinct events held so far. */
  get size(): number {
    return this.count;
  }

  add(candidate: Candidate): void {
    const event = candidate.event;
    const source = this.strings.get(candidate.source, candidate.source);
    const id = event.eventID === '' ? null : event.eventID;
    const known = id === null ? undefined : this.find(id, event.digest);
    if (known) {
      known.rules = this.union(known.rules, candidate.rules);
      if (known.allSources) known.allSources.add(source);
      else if (known.sources[0] !== source) known.allSources = new Set([known.sources[0]!, source]);
      known.view = withFields(known.view, event.fields);
      return;
    }
    const copies: Copies = { view: this.compact(event, id), rules: this.union([], candidate.rules), sources: this.sorted([source]) };
    this.count++;
    if (id === null) {
      this.anonymous.push(copies);
    } else if (!this.byID.has(id)) {
      this.byID.set(id, copies);
    } else {
      const list = this.others.get(id);
      if (list) list.push(copies);
      else this.others.set(id, [copies]);
    }
  }

  /** The copies of (eventID, digest) held so far, if any. */
  private find(id: string, digest: string): Copies | undefined {
    const first = this.byID.get(id);
    if (!first || first.view.digest === digest) return first;
    return this.others.get(id)?.find((c) => c.view.digest === digest);
  }

  /** The view as held: repeated strings interned, an empty `fields` shared, `""` as no eventID. */
  private compact(view: EventView, id: string | null): EventView {
    const s = (v: string | null) => (v === null ? null : this.strings.get(v, v));
    return {
      eventID: id,
      digest: view.digest,
      time: view.time,
      t: view.t,
      eventName: s(view.eventName),
      eventSource: s(view.eventSource),
      account: s(view.account),
      region: s(view.region),
      sourceIPAddress: s(view.sourceIPAddress),
      actor: s(view.actor),
      target: s(view.target),
      errorCode: s(view.errorCode),
      fields: Object.keys(view.fields).length === 0 ? NO_FIELDS : view.fields,
      ...(view.record !== undefined ? { record: view.record } : {}),
    };
  }

  /** A sorted, interned list of `held` and `more`. */
  private union(held: string[], more: readonly string[]): string[] {
    if (more.every((r) => held.includes(r))) return held.length > 0 || more.length > 0 ? held : this.sorted([]);
    return this.sorted([...new Set([...held, ...more])]);
  }

  private sorted(list: string[]): string[] {
    list.sort(compareText);
    return this.lists.get(list.join('\u0000'), list);
  }

  collisions(): Collisions {
    let first: string | null = null;
    for (const id of this.others.keys()) if (first === null || compareText(id, first) < 0) first = id;
    return { count: this.others.size, first };
  }

  /**
   * Every distinct event in (t, eventID) order, ties broken by the record's
   * digest (one event per eventID and digest), then the objects and rules
   * (events without an eventID), so the order is total and does not depend
   * on arrival.
   */
  events(): DistinctEvent[] {
    const all: Copies[] = [];
    for (const c of this.byID.values()) all.push(c);
    for (const list of this.others.values()) for (const c of list) all.push(c);
    for (const c of this.anonymous) all.push(c);
    for (const c of all) if (c.allSources && c.allSources.size !== c.sources.length) c.sources = [...c.allSources].sort(compareText);
    all.sort(
      (a, b) =>
        a.view.t - b.view.t ||
        compareNullableText(a.view.eventID, b.view.eventID) ||
        compareText(a.view.digest, b.view.digest) ||
        compareText(a.sources.join('\n'), b.sources.join('\n')) ||
        compareText(a.rules.join('\n'), b.rules.join('\n')),
    );
    return all;
  }
}

/**
 * The view with the field paths another copy carried that it lacks. Copies of
 * one event have the same content, so a path has the same value in each;
 * they can differ in the paths they carry when workers ran different rule
 * sets, and each matched rule must find the paths it asked for.
 */
function withFields(view: EventView, fields: Record<string, unknown>): EventView {
  let added: Record<string, unknown> | undefined;
  for (const path of Object.keys(fields)) {
    if (Object.hasOwn(view.fields, path)) continue;
    added ??= { ...view.fields };
    added[path] = fields[path];
  }
  return added ? { ...view, fields: added } : view;
}
