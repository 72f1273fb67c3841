// Needles: literal strings an event's JSON text must contain (ignoring ASCII
// case) for the event to match any loaded per-event rule. The workers search
// each decompressed object for them and parse only the records that hold one
// (src/scan/prefilter.ts), which is most of the speed of a hunt.
//
// Soundness is everything here: a needle set that is too small drops hits.
// The reasoning, from the Sigma detection block:
// * a selection map is an AND of field conditions: any one conjunct's needles
//   suffice, so we pick the most selective (an `eventName` value first, since
//   a service name such as `iam.amazonaws.com` covers every call to the
//   service; else the one whose shortest needle is longest);
// * a list of values, a list of maps, `or` and `1 of` are ORs: the union of
//   the operands' needles, or none at all when one operand has none;
// * `and` and `all of` take the best operand, like a map;
// * `not`, `re`, `cidr`, `exists`, `fieldref` and `null` give no needle;
// * a value gives its longest run of plain printable ASCII free of wildcards
//   and of the characters JSON must escape (`"`, `\`, control characters);
//   a run shorter than MIN_NEEDLE, or one that a number's text could hold
//   (`1e3` is the number 1000; `1e999` is Infinity), gives no needle.
// Needles are lowercase ASCII; the search ignores ASCII case, which is safe for
// `cased` too. What JSON escapes could hide (`\u0043onsoleLogin`, `\/`) and
// the two non-ASCII letters whose lowercase is ASCII (İ → i̇, K → k) are the
// search's business: see src/scan/prefilter.ts.

import { parseCondition, type ConditionNode } from './condition.js';
import { parseSigmaString, selectionsOf } from './compile.js';
import type { Rule } from './types.js';

/** Shorter literals are too common to be worth searching for. */
export const MIN_NEEDLE = 4;

/** A set of lowercase needles (an OR), or null: no usable literal. */
type Needles = string[] | null;

const RE_NUMBER_TEXT = /^[0-9.e+-]*$/;

/**
 * The needles of every per-event rule (detections and stateful rules), deduplicated
 * and minimal (a needle that contains another is dropped), or null when some
 * per-event rule has none: then every record must be parsed. An empty list means
 * no rule runs per event, so no record needs parsing.
 */
export function needlesOf(rules: Rule[]): string[] | null {
  const all: string[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'detection' && rule.kind !== 'stateful') continue;
    const n = detectionNeedles(rule.detection);
    if (n === null) return null;
    for (const needle of n) all.push(needle); // no push(...n): a long list overflows the stack
  }
  return minimal(all);
}

/** The needles of one Sigma `detection:` block (a list of conditions is their OR). */
export function detectionNeedles(detection: Record<string, unknown>): string[] | null {
  const selections = new Map<string, Needles>();
  for (const name of Object.keys(detection)) {
    if (name !== 'condition') selections.set(name, selectionNeedles(detection[name]));
  }
  const raw = detection.condition;
  const conditions = Array.isArray(raw) ? raw : [raw];
  const parts: Needles[] = [];
  for (const c of conditions) {
    if (typeof c !== 'string') return null;
    let tree: ConditionNode;
    try {
      tree = parseCondition(c);
    } catch {
      return null; // the compiler reports it; no shortcut for what we cannot read
    }
    parts.push(conditionNeedles(tree, selections));
  }
  const n = union(parts);
  return n === null ? null : minimal(n);
}

function conditionNeedles(node: ConditionNode, selections: Map<string, Needles>): Needles {
  switch (node.op) {
    case 'or':
      return union(node.args.map((a) => conditionNeedles(a, selections)));
    case 'and':
      return best(node.args.map((a) => ({ needles: conditionNeedles(a, selections), eventName: false })));
    case 'not':
      return null;
    case 'ref':
      return selections.has(node.name) ? selections.get(node.name)! : null;
    case 'of': {
      const names = selectionsOf(node.pattern, selections.keys());
      if (names.length === 0) return null;
      const ns = names.map((n) => selections.get(n)!);
      return node.quantifier === 'one' ? union(ns) : best(ns.map((needles) => ({ needles, eventName: false })));
    }
  }
}

function selectionNeedles(value: unknown): Needles {
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return union(value.map((item) => (isPlainMap(item) ? mapNeedles(item) : null)));
  }
  return isPlainMap(value) ? mapNeedles(value) : null;
}

/** A map is an AND of its fields: the best conjunct's needles. */
function mapNeedles(map: Record<string, unknown>): Needles {
  const keys = Object.keys(map);
  if (keys.length === 0) return null;
  return best(
    keys.map((k) => ({ needles: fieldNeedles(k, map[k]), eventName: k.split('|')[0] === 'eventName' })),
  );
}

function fieldNeedles(key: string, value: unknown): Needles {
  const [field, ...modifiers] = key.split('|');
  if (!field) return null;
  let all = false;
  for (const raw of modifiers) {
    const m = raw.toLowerCase();
    if (m === 'all') all = true;
    else if (m !== 'contains' && m !== 'startswith' && m !== 'endswith' && m !== 'cased') return null;
  }
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length === 0) return null;
  const each = values.map((v) => valueNeedle(v));
  if (all) return best(each.map((n) => ({ needles: n === null ? null : [n], eventName: false })));
  if (each.some((n) => n === null)) return null;
  return each as string[];
}

/** The longest usable literal run of one value, lowercased, or null. */
export function valueNeedle(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else return null; // null means "missing"; maps and lists are refused by the compiler
  let longest = '';
  let run = '';
  const flush = (): void => {
    if (run.length > longest.length) longest = run;
    run = '';
  };
  const { program } = typeof value === 'string' ? parseSigmaString(text) : { program: [...text].map((c) => c.charCodeAt(0)) };
  for (const code of program) {
    // Wildcards (negative codes), what JSON escapes, and anything not plain ASCII end a run.
    if (code < 0x20 || code >= 0x7f || code === 0x22 || code === 0x5c) flush();
    else run += String.fromCharCode(code);
  }
  flush();
  const needle = longest.toLowerCase();
  if (needle.length < MIN_NEEDLE) return null;
  if (RE_NUMBER_TEXT.test(needle) || '-infinity'.includes(needle)) return null;
  return needle;
}

/** OR: every operand must have needles. */
function union(parts: Needles[]): Needles {
  const out: string[] = [];
  for (const p of parts) {
    if (p === null) return null;
    for (const needle of p) out.push(needle);
  }
  return out;
}

/** AND: any operand's needles suffice; pick the most selective. */
function best(parts: { needles: Needles; eventName: boolean }[]): Needles {
  let pick: { needles: string[]; score: number } | undefined;
  for (const { needles, eventName } of parts) {
    if (needles === null || needles.length === 0) continue;
    let shortest = Infinity;
    for (const n of needles) if (n.length < shortest) shortest = n.length;
    const score = (eventName ? 1_000_000 : 0) + shortest * 1000 - needles.length;
    if (!pick || score > pick.score) pick = { needles, score };
  }
  return pick ? pick.needles : null;
}

/**
 * Deduplicated, sorted, and without needles that contain another (the shorter
 * one finds them too). Comparing every pair took a minute for a selection of
 * 40,000 values; an Aho–Corasick automaton over all needles finds, for each
 * needle, whether another one occurs in it in time linear in their total length.
 */
function minimal(needles: string[]): string[] {
  const unique = [...new Set(needles)];
  const automaton = new NeedleAutomaton(unique);
  return unique.filter((n) => !automaton.containsAnother(n)).sort();
}

/** Aho–Corasick over a set of distinct strings, answering only "does another string of the set occur in this one". */
class NeedleAutomaton {
  /** Trie edges by char code; node 0 is the root. */
  private readonly next: Map<number, number>[] = [new Map()];
  /** Failure link: the node of the longest proper suffix that is also a trie path. */
  private readonly fail: number[] = [0];
  /** The node ends a string of the set. */
  private readonly terminal: boolean[] = [false];
  /** The nearest node along failure links that ends a string of the set, or -1. */
  private readonly output: number[] = [-1];

  constructor(strings: readonly string[]) {
    for (const s of strings) {
      let node = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        let child = this.next[node]!.get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.terminal.push(false);
          this.output.push(-1);
          this.next[node]!.set(c, child);
        }
        node = child;
      }
      this.terminal[node] = true;
    }
    // Breadth-first, so a node's failure target is finished before the node.
    const queue: number[] = [...this.next[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      for (const [c, v] of this.next[u]!) {
        let f = this.fail[u]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[v] = target !== undefined && target !== v ? target : 0;
        const t = this.fail[v]!;
        this.output[v] = this.terminal[t] ? t : this.output[t]!;
        queue.push(v);
      }
    }
  }

  /** True when some other string of the set occurs in `s` (which must be one of the set). */
  containsAnother(s: string): boolean {
    let node = 0;
    const last = s.length - 1;
    for (let i = 0; i <= last; i++) {
      const c = s.charCodeAt(i);
      while (node !== 0 && !this.next[node]!.has(c)) node = this.fail[node]!;
      node = this.next[node]!.get(c) ?? 0;
      // Before the end, `node` is a proper prefix of s: a set string ending
      // here (the prefix itself or one of its suffixes) is another string. At
      // the end, `node` is s itself, so only its proper suffixes count.
      if (this.output[node] !== -1 || (i < last && this.terminal[node])) return true;
    }
    return false;
  }
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
