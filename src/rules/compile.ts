// Sigma `detection:` → a per-event predicate. Everything that can be decided
// once is decided here (modifiers, lowercased literals, wildcard programs,
// regexes, CIDR blocks, the condition tree), so the predicate that runs on
// every event only walks fields and compares strings.
//
// Readings of Sigma that decide matches on CloudTrail (DESIGN.md, "Sigma
// details that matter for CloudTrail"):
// * plain strings, `contains`/`startswith`/`endswith` and `fieldref` compare
//   case-insensitively; `cased` makes them exact; `re` is case-sensitive
//   unless `re|i`, and an unanchored search;
// * a field holding an object or an array matches when any scalar inside it
//   matches; numbers and booleans compare as their JSON text;
// * `null` means missing or JSON null; `exists: true` means the key is
//   present, even holding null;
// * what cannot be evaluated per event is a RuleError, never a silent miss.

import { createRequire } from 'node:module';
import type { RE2 } from 're2-wasm';
import { RuleError } from '../errors.js';
import { ConditionError, parseCondition, type ConditionNode } from './condition.js';
import {
  compilePath,
  fieldExists,
  fieldIsNull,
  MAX_DEPTH,
  someFieldValue,
  someScalar,
  type FieldPath,
} from './fields.js';
import { inCidr, parseCidr } from './ip.js';
import type { EventRule, Rule } from './types.js';

export type EventPredicate = (event: Record<string, unknown>) => boolean;

/** Where a detection came from, for error messages. */
export interface CompileSource {
  file: string;
  /** The line of a node, by its path inside the `detection:` block (keys and list indexes). */
  line?: (path: (string | number)[]) => number | null;
}

const MATCH_MODIFIERS = new Set(['contains', 'startswith', 'endswith']);
const UNSUPPORTED_MODIFIERS = new Set([
  'base64',
  'base64offset',
  'windash',
  'wide',
  'utf16',
  'utf16le',
  'utf16be',
  'expand',
  'gt',
  'gte',
  'lt',
  'lte',
  'neq',
]);
const SUPPORTED =
  'contains, startswith, endswith, all, re (with i, m, s), cidr, exists, fieldref, cased';

// ---------------------------------------------------------------- strings --

/** Wildcard program codes: a char code, or one of these. */
const STAR = -1;
const ONE = -2;

/**
 * Sigma string → wildcard program. `*` is any run, `?` any one character;
 * `\*`, `\?` and `\\` are the literal characters; a backslash before anything
 * else is itself a literal backslash.
 */
export function parseSigmaString(value: string): { program: number[]; wild: boolean; literal: string } {
  const program: number[] = [];
  let literal = '';
  let wild = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const n = value[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        program.push(n.charCodeAt(0));
        literal += n;
        i++;
      } else {
        program.push(92);
        literal += '\\';
      }
    } else if (c === '*') {
      program.push(STAR);
      wild = true;
    } else if (c === '?') {
      program.push(ONE);
      wild = true;
    } else {
      program.push(value.charCodeAt(i));
      literal += c;
    }
  }
  return { program, wild, literal };
}

/** Wildcard match in O(text × pattern) at worst: no regex, so no catastrophic backtracking. */
function globMatch(text: string, program: readonly number[]): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const code = p < program.length ? program[p]! : 0;
    if (p < program.length && (code === ONE || code === text.charCodeAt(t))) {
      t++;
      p++;
    } else if (p < program.length && code === STAR) {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < program.length && program[p] === STAR) p++;
  return p === program.length;
}

/** A test on one scalar's text; `lower` is `text.toLowerCase()` when the matcher asked for it. */
interface TextTest {
  lower: boolean;
  test: (text: string, lower: string) => boolean;
}

export type Mode = 'exact' | 'contains' | 'startswith' | 'endswith';

function stringTest(value: string, mode: Mode, cased: boolean): TextTest {
  const { program, wild, literal } = parseSigmaString(value);
  if (!wild) {
    const lit = cased ? literal : literal.toLowerCase();
    const pick = cased ? (t: string) => t : (_: string, l: string) => l;
    let test: (text: string, lower: string) => boolean;
    switch (mode) {
      case 'exact':
        test = cased ? (t) => t === lit : (_, l) => l === lit;
        break;
      case 'contains':
        test = (t, l) => pick(t, l).includes(lit);
        break;
      case 'startswith':
        test = (t, l) => pick(t, l).startsWith(lit);
        break;
      case 'endswith':
        test = (t, l) => pick(t, l).endsWith(lit);
        break;
    }
    return { lower: !cased, test };
  }
  let codes = cased
    ? program
    : program.map((c) => (c < 0 ? c : String.fromCharCode(c).toLowerCase().charCodeAt(0)));
  if (mode === 'contains' || mode === 'endswith') codes = [STAR, ...codes];
  if (mode === 'contains' || mode === 'startswith') codes = [...codes, STAR];
  const frozen = codes;
  return {
    lower: !cased,
    test: cased ? (t) => globMatch(t, frozen) : (_, l) => globMatch(l, frozen),
  };
}

// ---------------------------------------------------------------- regexes --

let re2Class: typeof RE2 | undefined;

/**
 * re2-wasm, loaded on the first `re` pattern: loading it (its WebAssembly
 * included) costs each scan worker about 20 ms of CPU, and many packs, the
 * bundled one included, hold no `re`.
 */
function re2(): typeof RE2 {
  return (re2Class ??= (createRequire(import.meta.url)('re2-wasm') as typeof import('re2-wasm')).RE2);
}

/** Python-style leading inline flags, which SigmaHQ rules sometimes carry: `(?i)`, `(?s)`, `(?ims)`. */
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/**
 * Sigma `re` runs on RE2 (the re2-wasm build: synchronous, no native addon),
 * whose matching time is linear in the input whatever the pattern, so no
 * pattern can make an attacker-controlled field hang the hunt, and no pattern
 * needs refusing for its shape. RE2 has no backreferences or lookaround:
 * such patterns are a load error. RE2 runs in Unicode mode only (`u`); `i`,
 * `m` and `s` mean what they mean in JavaScript.
 */
function regexTest(pattern: string, subFlags: string, fail: Fail): TextTest {
  let source = pattern;
  let flags = subFlags;
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
  }
  const Engine = re2();
  let re: RE2;
  try {
    re = new Engine(source, `${flags}u`);
  } catch (err) {
    return fail(
      `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message} — fix the pattern (RE2 syntax: no backreferences such as \\1, no lookahead or lookbehind)`,
      isBacktrackingOnly(source, flags),
    );
  }
  return { lower: false, test: remembered((t) => re.test(wellFormed(t))) };
}

/** Answers one `re` test remembers; past this it starts again (an attacker's million distinct values cost a clear per this many). */
const REMEMBERED = 1024;
/** Longer texts are tested each time: the memory stays at most REMEMBERED × this many characters. */
const REMEMBERED_LENGTH = 512;

/**
 * A test that remembers its last answers. Calling RE2 costs more than its
 * match (each text is converted to UTF-8 in WebAssembly memory, about 1.5 µs),
 * and the fields a regex reads repeat from record to record (userAgent,
 * eventSource): over a month of logs, re2 took more time than JSON.parse.
 */
function remembered(test: (text: string) => boolean): (text: string) => boolean {
  const answers = new Map<string, boolean>();
  return (text) => {
    if (text.length > REMEMBERED_LENGTH) return test(text);
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = test(text);
      if (answers.size >= REMEMBERED) answers.clear();
      answers.set(text, answer);
    }
    return answer;
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ANY_SURROGATE = /[\ud800-\udfff]/;

/**
 * The text with lone surrogates (valid in JSON's \u escapes, not in UTF-8)
 * replaced by U+FFFD: RE2 reads UTF-8, and a lone surrogate would otherwise
 * end the text it sees, hiding what follows from the pattern.
 */
function wellFormed(text: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
}

/**
 * A pattern RE2 refuses but a backtracking engine runs (a backreference,
 * lookahead, lookbehind): valid in the rule's own dialect, only not here, so
 * the rule is unsupported rather than wrong. Only compiled, never run, so the
 * pattern's shape cannot cost time.
 */
function isBacktrackingOnly(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

// ----------------------------------------------------------------- fields --

export interface Modifiers {
  mode: Mode;
  all: boolean;
  cased: boolean;
  re: boolean;
  reFlags: string;
  cidr: boolean;
  exists: boolean;
  fieldref: boolean;
}

/**
 * Reports a problem of a rule and does not return. `unsupported` says the rule
 * is valid Sigma that hunt cannot evaluate, which `--skip-unsupported` turns
 * into a warning; otherwise the rule itself is wrong.
 */
export type Fail = (detail: string, unsupported?: boolean) => never;

function parseModifiers(names: string[], fail: Fail): Modifiers {
  const m: Modifiers = {
    mode: 'exact',
    all: false,
    cased: false,
    re: false,
    reFlags: '',
    cidr: false,
    exists: false,
    fieldref: false,
  };
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (MATCH_MODIFIERS.has(name)) {
      if (m.mode !== 'exact') fail(`modifiers '${m.mode}' and '${name}' cannot be combined — keep one`);
      m.mode = name as Mode;
    } else if (name === 'all') m.all = true;
    else if (name === 'cased') m.cased = true;
    else if (name === 're') m.re = true;
    else if (name === 'i' || name === 'm' || name === 's') {
      if (!m.re) fail(`modifier '${name}' only qualifies 're' — write it after re, as 're|${name}'`);
      if (!m.reFlags.includes(name)) m.reFlags += name;
    } else if (name === 'cidr') m.cidr = true;
    else if (name === 'exists') m.exists = true;
    else if (name === 'fieldref') m.fieldref = true;
    else if (UNSUPPORTED_MODIFIERS.has(name)) {
      fail(`modifier '${name}' is not supported by hunt — CloudTrail fields are plain JSON text; use ${SUPPORTED}`, true);
    } else {
      fail(`unknown modifier '${raw}' — supported modifiers: ${SUPPORTED}`, true);
    }
  }
  const kinds = [m.re && 're', m.cidr && 'cidr', m.exists && 'exists', m.fieldref && 'fieldref'].filter(
    (k): k is string => typeof k === 'string',
  );
  if (kinds.length > 1) fail(`modifiers '${kinds.join("' and '")}' cannot be combined — keep one`);
  if ((m.re || m.cidr || m.exists) && m.mode !== 'exact') {
    fail(`modifier '${m.mode}' cannot be combined with '${kinds[0]}' — keep one`);
  }
  if ((m.re || m.cidr || m.exists) && m.cased) {
    fail(`modifier 'cased' cannot be combined with '${kinds[0]}' — remove it (re is case-sensitive already; use re|i to ignore case)`);
  }
  if (m.exists && m.all) fail(`modifier 'all' cannot be combined with 'exists' — remove it`);
  return m;
}

export type Scalar = string | number | boolean | null;

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function anyOfTests(path: FieldPath, tests: TextTest[]): EventPredicate {
  const lower = tests.some((t) => t.lower);
  const onText =
    tests.length === 1
      ? lower
        ? (t: string) => tests[0]!.test(t, t.toLowerCase())
        : (t: string) => tests[0]!.test(t, t)
      : (t: string) => {
          const l = lower ? t.toLowerCase() : t;
          for (let i = 0; i < tests.length; i++) if (tests[i]!.test(t, l)) return true;
          return false;
        };
  const onValue = (v: unknown) => someScalar(v, onText);
  return (e) => someFieldValue(e, path, onValue);
}

function fieldrefTest(path: FieldPath, other: FieldPath, mode: Mode, cased: boolean): EventPredicate {
  const norm = cased ? (s: string) => s : (s: string) => s.toLowerCase();
  const compare: (mine: string, theirs: string) => boolean =
    mode === 'exact'
      ? (a, b) => a === b
      : mode === 'contains'
        ? (a, b) => a.includes(b)
        : mode === 'startswith'
          ? (a, b) => a.startsWith(b)
          : (a, b) => a.endsWith(b);
  return (e) => {
    const theirs: string[] = [];
    someFieldValue(e, other, (v) =>
      someScalar(v, (s) => {
        theirs.push(norm(s));
        return false;
      }),
    );
    if (theirs.length === 0) return false;
    return someFieldValue(e, path, (v) =>
      someScalar(v, (s) => {
        const mine = norm(s);
        for (const t of theirs) if (compare(mine, t)) return true;
        return false;
      }),
    );
  };
}

/** One `field|modifiers: values` entry of a selection, parsed and validated: what both the predicate and the SQL printers read. */
export interface FieldSpec {
  /** The key as written (`eventName|contains`). */
  key: string;
  /** The dotted field path. */
  field: string;
  modifiers: Modifiers;
  values: Scalar[];
}

export function parseField(key: string, value: unknown, fail: Fail): FieldSpec {
  const [field, ...modifierNames] = key.split('|');
  if (!field) {
    return fail(
      `'${key}' has no field name: that is a keyword search over the whole event, which hunt does not support — name the CloudTrail field to search (e.g. 'eventName|contains')`,
      true,
    );
  }
  const m = parseModifiers(modifierNames, fail);
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length === 0) fail(`field '${key}' has an empty list of values — give at least one value`);
  for (const v of values) {
    if (!isScalar(v)) {
      fail(`field '${key}' has a ${Array.isArray(v) ? 'nested list' : 'map'} as a value — values are strings, numbers, booleans or null`);
    }
  }
  const scalars = values as Scalar[];
  if (m.exists) {
    if (scalars.length !== 1 || typeof scalars[0] !== 'boolean') {
      fail(`'${key}' needs one boolean value (true or false) — write '${key}: true'`);
    }
  }
  for (const v of scalars) {
    if (v === null && (m.re || m.cidr || m.fieldref || m.mode !== 'exact')) {
      fail(`'${key}' has a null value, which only means 'missing' without modifiers — write '${field}: null'`);
    }
  }
  return { key, field, modifiers: m, values: scalars };
}

function compileField(spec: FieldSpec, fail: Fail): EventPredicate {
  const { field, modifiers: m, values: scalars } = spec;
  const path = compilePath(field);
  if (m.exists) {
    const want = scalars[0] as boolean;
    return want ? (e) => fieldExists(e, path) : (e) => !fieldExists(e, path);
  }

  const tests: EventPredicate[] = [];
  const textTests: TextTest[] = [];
  for (const v of scalars) {
    if (v === null) {
      tests.push((e) => fieldIsNull(e, path));
      continue;
    }
    const text = String(v);
    if (m.fieldref) {
      if (/[*?]/.test(text)) {
        fail(`'${spec.key}: ${text}' names a field with a wildcard: fieldref compares with one other field, named exactly — write its full dotted path`);
      }
      tests.push(fieldrefTest(path, compilePath(text), m.mode, m.cased));
    } else if (m.re) {
      textTests.push(regexTest(text, m.reFlags, fail));
    } else if (m.cidr) {
      const cidr = parseCidr(text);
      if (!cidr) fail(`'${text}' is not an IPv4 or IPv6 CIDR block — write e.g. '10.0.0.0/8' or '2001:db8::/32'`);
      textTests.push({ lower: false, test: (t) => inCidr(cidr!, t) });
    } else {
      const test = stringTest(text, m.mode, m.cased);
      const number = m.mode === 'exact' ? numberOf(text) : undefined;
      if (number === undefined) textTests.push(test);
      else tests.push(anyOf([anyOfTests(path, [test]), numberTest(path, number)]));
    }
  }

  if (m.all) {
    const each = [...tests, ...textTests.map((t) => anyOfTests(path, [t]))];
    return allOf(each);
  }
  if (textTests.length > 0) tests.push(anyOfTests(path, textTests));
  return anyOf(tests);
}

/** A rule value written as a decimal number (`3600`, `3600.0`, `-1.5e3`), as a number; else undefined. */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function numberOf(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Numbers compare as numbers, not only as text: the rule's `3600.0` matches
 * the event's JSON `3600` (their texts differ). Only JSON numbers in the event
 * are compared so: a string field keeps its text, so `012345678901` (an
 * account id) never equals `12345678901`.
 */
function numberTest(path: FieldPath, n: number): EventPredicate {
  const isN = (v: unknown, depth = 0): boolean => {
    if (typeof v === 'number') return v === n;
    if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH) return false;
    const values = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    return values.some((x) => isN(x, depth + 1));
  };
  return (e) => someFieldValue(e, path, (v) => isN(v));
}

function allOf(ps: EventPredicate[]): EventPredicate {
  if (ps.length === 1) return ps[0]!;
  if (ps.length === 2) {
    const [a, b] = ps as [EventPredicate, EventPredicate];
    return (e) => a(e) && b(e);
  }
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (!ps[i]!(e)) return false;
    return true;
  };
}

function anyOf(ps: EventPredicate[]): EventPredicate {
  if (ps.length === 1) return ps[0]!;
  if (ps.length === 2) {
    const [a, b] = ps as [EventPredicate, EventPredicate];
    return (e) => a(e) || b(e);
  }
  return (e) => {
    for (let i = 0; i < ps.length; i++) if (ps[i]!(e)) return true;
    return false;
  };
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ------------------------------------------------------------- detections --

/** A selection as parsed: an OR of maps, each an AND of fields. */
export type SelectionSpec = FieldSpec[][];

/**
 * A `detection:` block parsed and validated, before anything is compiled: the
 * one representation the predicate compiler and the SQL printers
 * (src/sql/sql.ts) both read.
 */
export interface ParsedDetection {
  selections: Map<string, SelectionSpec>;
  /** Their OR is the detection; each `of` names existing selections (checked). */
  conditions: ConditionNode[];
  /** Where each field spec and condition is in the file, for error messages. */
  fieldPaths: Map<FieldSpec, (string | number)[]>;
}

/**
 * The selection names an `x of pattern` node covers. Names starting with `_`
 * are left out of every pattern, `them` and `*` alike, as in pySigma: they are
 * helpers a condition names on its own.
 */
export function selectionsOf(pattern: string, names: Iterable<string>): string[] {
  const all = [...names].filter((n) => !n.startsWith('_'));
  if (pattern === 'them') return all;
  // `*` is the only wildcard of an identifier pattern. Matched with globMatch,
  // not a RegExp built from the rule's text: `a*****b` as `a.*.*.*.*.*b`
  // backtracks polynomially.
  const program = [...pattern].map((c) => (c === '*' ? STAR : c.charCodeAt(0)));
  return all.filter((n) => globMatch(n, program));
}

/** Parses and validates a Sigma `detection:` block. Throws RuleError naming file and line. */
export function parseDetection(detection: unknown, source: CompileSource): ParsedDetection {
  const where = (path: (string | number)[]): number | null => source.line?.(path) ?? null;
  const failAt =
    (path: (string | number)[]): Fail =>
    (detail, unsupported) => {
      throw new RuleError(source.file, where(path), detail, unsupported);
    };
  if (!isPlainMap(detection)) {
    return failAt([])(`'detection' must be a map of selections and a condition — see the Sigma specification`);
  }
  if (Object.hasOwn(detection, 'timeframe')) {
    failAt(['timeframe'])(
      `'timeframe' belongs to old-style aggregations, which hunt cannot evaluate — write a correlation rule (type: event_count, timespan) instead`,
      true,
    );
  }
  if (!Object.hasOwn(detection, 'condition')) {
    failAt([])(`the detection has no 'condition' — add e.g. 'condition: selection'`);
  }

  const fieldPaths = new Map<FieldSpec, (string | number)[]>();
  const selections = new Map<string, SelectionSpec>();
  for (const name of Object.keys(detection)) {
    if (name === 'condition') continue;
    selections.set(name, parseSelection(name, detection[name], failAt, fieldPaths));
  }

  const raw = detection.condition;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) failAt(['condition'])(`'condition' is an empty list — give at least one condition`);
  const conditions = list.map((c, i) => {
    const path = Array.isArray(raw) ? ['condition', i] : ['condition'];
    if (typeof c !== 'string' || c.trim() === '') {
      return failAt(path)(`a condition must be a non-empty string — e.g. 'selection and not filter'`);
    }
    let tree: ConditionNode;
    try {
      tree = parseCondition(c);
    } catch (err) {
      if (err instanceof ConditionError) return failAt(path)(err.message, err.unsupported);
      throw err;
    }
    checkCondition(tree, selections, failAt(path));
    return tree;
  });
  return { selections, conditions, fieldPaths };
}

/** Compiles a Sigma `detection:` block (condition included). Throws RuleError naming file and line. */
export function compileDetection(detection: unknown, source: CompileSource): EventPredicate {
  const parsed = parseDetection(detection, source);
  const failAt =
    (path: (string | number)[]): Fail =>
    (detail, unsupported) => {
      throw new RuleError(source.file, source.line?.(path) ?? null, detail, unsupported);
    };
  const selections = new Map<string, EventPredicate>();
  for (const [name, maps] of parsed.selections) {
    selections.set(
      name,
      anyOf(maps.map((fields) => allOf(fields.map((f) => compileField(f, failAt(parsed.fieldPaths.get(f) ?? [name])))))),
    );
  }
  return anyOf(parsed.conditions.map((tree) => compileCondition(tree, selections)));
}

function parseSelection(
  name: string,
  value: unknown,
  failAt: (path: (string | number)[]) => Fail,
  fieldPaths: Map<FieldSpec, (string | number)[]>,
): SelectionSpec {
  const keyword = (path: (string | number)[]): never =>
    failAt(path)(
      `selection '${name}' is a keyword search (bare values, no field names), which hunt does not support — match a named CloudTrail field instead (e.g. 'eventName|contains: ...')`,
      true,
    );
  const parseMap = (map: Record<string, unknown>, path: (string | number)[]): FieldSpec[] => {
    const keys = Object.keys(map);
    if (keys.length === 0) return failAt(path)(`selection '${name}' is empty — give it at least one field`);
    return keys.map((k) => {
      const spec = parseField(k, map[k], failAt([...path, k]));
      fieldPaths.set(spec, [...path, k]);
      return spec;
    });
  };
  if (isPlainMap(value)) return [parseMap(value, [name])];
  if (Array.isArray(value)) {
    if (value.length === 0) return failAt([name])(`selection '${name}' is an empty list — give it at least one map of fields`);
    return value.map((item, i) => {
      if (isPlainMap(item)) return parseMap(item, [name, i]);
      if (typeof item === 'string' || typeof item === 'number') return keyword([name, i]);
      return failAt([name, i])(`selection '${name}' item ${i + 1} must be a map of fields`);
    });
  }
  if (typeof value === 'string' || typeof value === 'number') return keyword([name]);
  return failAt([name])(`selection '${name}' must be a map of fields or a list of such maps`);
}

/** Every identifier and pattern of a condition must name a selection. */
function checkCondition(node: ConditionNode, selections: Map<string, unknown>, fail: Fail): void {
  switch (node.op) {
    case 'or':
    case 'and':
      for (const a of node.args) checkCondition(a, selections, fail);
      return;
    case 'not':
      return checkCondition(node.arg, selections, fail);
    case 'ref':
      if (!selections.has(node.name)) {
        fail(
          `the condition names '${node.name}', which is not a selection of this detection (known: ${[...selections.keys()].join(', ') || 'none'}) — fix the name or add the selection`,
        );
      }
      return;
    case 'of': {
      const word = node.quantifier === 'one' ? '1' : 'all';
      if (selectionsOf(node.pattern, selections.keys()).length === 0) {
        fail(
          `'${word} of ${node.pattern}' names no selection (known: ${[...selections.keys()].join(', ') || 'none'}) — fix the pattern or add a selection`,
        );
      }
    }
  }
}

function compileCondition(node: ConditionNode, selections: Map<string, EventPredicate>): EventPredicate {
  switch (node.op) {
    case 'or':
      return anyOf(node.args.map((a) => compileCondition(a, selections)));
    case 'and':
      return allOf(node.args.map((a) => compileCondition(a, selections)));
    case 'not': {
      const inner = compileCondition(node.arg, selections);
      return (e) => !inner(e);
    }
    case 'ref':
      return selections.get(node.name)!;
    case 'of': {
      const ps = selectionsOf(node.pattern, selections.keys()).map((n) => selections.get(n)!);
      return node.quantifier === 'one' ? anyOf(ps) : allOf(ps);
    }
  }
}

/** The per-event predicates the workers run: every detection rule (counted by correlations or not) and every stateful rule. */
export function compileEventRules(rules: Rule[]): { rule: EventRule; match: EventPredicate }[] {
  const out: { rule: EventRule; match: EventPredicate }[] = [];
  for (const rule of rules) {
    if (rule.kind === 'detection' || rule.kind === 'stateful') {
      out.push({ rule, match: compileDetection(rule.detection, { file: rule.file }) });
    }
  }
  return out;
}
