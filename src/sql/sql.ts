// Rules → an SQL filter over the CloudTrail table, printed for Trino (Athena)
// or DuckDB from the same parsed detection the local matcher compiles
// (parseDetection in src/rules/compile.ts).
//
// The filter must never drop a match: every row it keeps is re-checked by the
// local matcher, so a loose filter costs only bytes, but a tight one loses
// hits. Each node is printed twice: `over`, true whenever the local matcher
// can match (what a WHERE clause needs), and `under`, true only when it
// surely matches (what a NOT needs: not(x) is printed as NOT under(x), so a
// TRUE standing in for an inexact test is never turned into a FALSE).
// Every atom is wrapped so that it is never SQL NULL (NOT NULL is NULL, which
// would drop the row).
//
// Exact in SQL (for values CloudTrail writes as strings): case-insensitive
// and `cased` equality, value lists, contains/startswith/endswith with `*`/`?`
// wildcards (LIKE with escapes), `null`, and portable regexes (over only).
// `TRUE`: `exists`, `fieldref`, `cidr`, object-valued and unknown fields,
// regexes outside the portable subset. Fields inside JSON-text columns
// (`requestParameters`...) are read by JSON path; where the local reading
// could differ (an array on the way, a non-string value, a key holding dots)
// a guard makes the test TRUE in `over` and FALSE in `under`.
//
// Where SQL and the local matcher read the same text differently, the test
// widens (issue 14, each found by the property test):
// * non-ASCII text: SQL `lower()` and JavaScript's toLowerCase fold some
//   letters differently (final sigma, dotted I), and `?` counts UTF-16 units
//   locally but characters in LIKE (an emoji is two units); a value test on a
//   text that is not pure ASCII is TRUE in `over` and FALSE in `under`. On
//   ASCII text both fold A-Z alone and count alike, so the test stays exact.
// * a JSON column holding a JSON *string* whose text is JSON: the table gives
//   the same text for the string as for the object it spells, so SQL sees
//   keys inside it that the local matcher does not. Tests on paths inside a
//   JSON column are therefore never trusted under a NOT (`under` FALSE), and
//   a `null` test on them is TRUE in `over`.
// * a JSON column holding text that is not JSON: Trino's JSON functions give
//   NULL there; DuckDB's raise an error, so the DuckDB dialect reads such a
//   column as NULL first (json_valid), as Trino would.

import { parseDetection, parseSigmaString, selectionsOf, type FieldSpec, type ParsedDetection } from '../rules/compile.js';
import type { ConditionNode } from '../rules/condition.js';
import type { AthenaOptions, Scope } from '../options.js';
import type { Rule } from '../rules/types.js';
import { deliveryRange } from '../stores/cloudtrail-key.js';
import { CLOUDTRAIL_COLUMNS, type ColumnType } from './schema.js';

export type Dialect = 'trino' | 'duckdb';

/** A filter and its exact-or-stricter twin. */
export interface Bounds {
  over: string;
  under: string;
}

const TRUE = 'TRUE';
const FALSE = 'FALSE';
const UNKNOWN: Bounds = { over: TRUE, under: FALSE };

function and(parts: string[]): string {
  if (parts.includes(FALSE)) return FALSE;
  const kept = [...new Set(parts.filter((p) => p !== TRUE))];
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : `(${kept.join(' AND ')})`;
}

function or(parts: string[]): string {
  if (parts.includes(TRUE)) return TRUE;
  const kept = [...new Set(parts.filter((p) => p !== FALSE))];
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : `(${kept.join(' OR ')})`;
}

function not(p: string): string {
  if (p === TRUE) return FALSE;
  if (p === FALSE) return TRUE;
  return `(NOT ${p})`;
}

/** An SQL string literal (standard SQL: only the quote is doubled, in both dialects). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

// -------------------------------------------------------------- fields --

/**
 * How one dotted path is read: `text` is its string value (or NULL), `loose`
 * TRUE where SQL cannot judge; `inJson` when the path is inside a JSON-text
 * column (whose text may have been a JSON string, see above).
 */
interface Access {
  text: string;
  loose: string;
  inJson: boolean;
}

/** SQL that is TRUE when a text holds anything but ASCII (byte length over character length), never NULL. */
function nonAscii(text: string, dialect: Dialect): string {
  return dialect === 'trino' ? `coalesce(length(to_utf8(${text})) <> length(${text}), FALSE)` : `coalesce(strlen(${text}) <> length(${text}), FALSE)`;
}

const COLUMNS = new Map(CLOUDTRAIL_COLUMNS);

function jsonPath(keys: string[], dialect: Dialect): string | undefined {
  if (keys.some((k) => /["\\]/.test(k) || k.length === 0)) return undefined;
  return dialect === 'trino' ? `$${keys.map((k) => `["${k}"]`).join('')}` : `$${keys.map((k) => `."${k}"`).join('')}`;
}

function accessOf(field: string, dialect: Dialect): Access | undefined {
  const parts = field.split('.');
  const type = COLUMNS.get(parts[0]!);
  if (!type) return undefined;
  let column = parts[0]!.toLowerCase();
  if (type.kind === 'string' || type.kind === 'boolean') {
    return parts.length === 1 ? { text: column, loose: FALSE, inJson: false } : undefined;
  }
  if (type.kind === 'struct') {
    let t: ColumnType = type;
    const names = [column];
    for (const part of parts.slice(1)) {
      if (t.kind !== 'struct') return undefined;
      const f: [string, ColumnType] | undefined = t.fields.find(([n]) => n === part);
      if (!f) return undefined;
      names.push(part.toLowerCase());
      t = f[1];
    }
    return t.kind === 'string' ? { text: names.join('.'), loose: FALSE, inJson: false } : undefined;
  }
  if (type.kind === 'json') {
    const keys = parts.slice(1);
    if (keys.length === 0) return undefined;
    const path = jsonPath(keys, dialect);
    if (path === undefined) return undefined;
    const raw = column;
    // Text that is not JSON: NULL, as Trino's JSON functions read it (DuckDB's would raise an error).
    column = dialect === 'trino' ? raw : `(CASE WHEN json_valid(${raw}) THEN ${raw} END)`;
    const guards: string[] = [];
    // A value that is not a string: its text in SQL may differ from the local reading.
    guards.push(
      dialect === 'trino'
        ? `coalesce(NOT starts_with(json_format(json_extract(${column}, ${literal(path)})), '"'), FALSE)`
        : `coalesce(json_type(${column}, ${literal(path)}) <> 'VARCHAR', FALSE)`,
    );
    // An array on the way: the local matcher steps into it element by element.
    for (let k = 0; k < keys.length; k++) {
      const prefix = k === 0 ? '$' : jsonPath(keys.slice(0, k), dialect)!;
      guards.push(
        dialect === 'trino'
          ? `coalesce(json_array_length(json_extract(${column}, ${literal(prefix)})) IS NOT NULL, FALSE)`
          : `coalesce(json_type(${column}, ${literal(prefix)}) = 'ARRAY', FALSE)`,
      );
    }
    // A key holding dots ("a.b") is tried first by the local matcher.
    for (let k = 0; k < keys.length - 1; k++) {
      guards.push(`coalesce(strpos(${raw}, ${literal(JSON.stringify(keys.slice(k).join('.')))}) > 0, FALSE)`);
    }
    const text = dialect === 'trino' ? `json_extract_scalar(${column}, ${literal(path)})` : `json_extract_string(${column}, ${literal(path)})`;
    return { text, loose: or(guards), inJson: true };
  }
  return undefined; // arrays of structs (resources): not read by path here
}

/** A Sigma wildcard string → a LIKE pattern with `\` as the escape. */
function likePattern(value: string, mode: FieldSpec['modifiers']['mode'], lower: boolean): { pattern: string; wild: boolean } {
  const { program, wild, literal: text } = parseSigmaString(value);
  const escape = (c: string) => (c === '%' || c === '_' || c === '\\' ? `\\${c}` : c);
  let out = '';
  if (!wild) {
    // No wildcard: the local matcher lowercases the whole literal at once (final sigma, dotted I), so do the same.
    for (const c of lower ? text.toLowerCase() : text) out += escape(c);
  } else {
    for (const code of program) {
      if (code === -1) out += '%';
      else if (code === -2) out += '_';
      else {
        // Lowercased one UTF-16 unit at a time, keeping the first unit, exactly as the local matcher's glob does.
        const c = String.fromCharCode(code);
        out += escape(lower ? String.fromCharCode(c.toLowerCase().charCodeAt(0)) : c);
      }
    }
  }
  if (mode === 'contains' || mode === 'endswith') out = `%${out}`;
  if (mode === 'contains' || mode === 'startswith') out = `${out}%`;
  return { pattern: out, wild: wild || mode !== 'exact' };
}

/**
 * A regex both JavaScript and the engine read the same way, or undefined.
 * The printed pattern always gets `(?s)` (dot matches newlines too), which
 * only loosens it: Java's and RE2's `.` exclude other characters than JS's.
 */
function portableRegex(value: string, flags: string): string | undefined {
  let source = value;
  let all = flags;
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    all += inline[1];
  }
  // Escapes that mean the same in JS, Java and RE2; no lookaround, backreference or named group.
  if (/\\[^.\\/\-dwDW*+?()[\]{}|^$]/.test(source)) return undefined;
  if (/\(\?(?!:)/.test(source)) return undefined;
  if (/\\$/.test(source)) return undefined;
  // Multiline anchors: JS breaks lines at \r and U+2028 too, RE2 only at \n.
  if (all.includes('m') && /[\^$]/.test(source)) return undefined;
  const f = `${all.includes('i') ? 'i' : ''}s${all.includes('m') ? 'm' : ''}`;
  return `(?${f})${source}`;
}

function fieldBounds(spec: FieldSpec, dialect: Dialect): Bounds {
  const m = spec.modifiers;
  if (m.exists || m.fieldref || m.cidr) return UNKNOWN;
  const access = accessOf(spec.field, dialect);
  if (!access) return UNKNOWN;
  const { text, loose, inJson } = access;
  // A value test on text that is not pure ASCII cannot be judged in SQL (see the header).
  const looseText = or([loose, nonAscii(text, dialect)]);
  const overs: string[] = [];
  const unders: string[] = [];
  for (const v of spec.values) {
    if (v === null) {
      const isNull = `(${text} IS NULL)`;
      // Inside a JSON column, SQL may see a key in text the local matcher reads as a plain string (null there).
      overs.push(inJson ? TRUE : isNull);
      unders.push(isNull);
      continue;
    }
    const value = String(v);
    let test: string;
    let exact = true;
    if (m.re) {
      const re = portableRegex(value, m.reFlags);
      if (re === undefined) return UNKNOWN;
      test = dialect === 'trino' ? `regexp_like(${text}, ${literal(re)})` : `regexp_matches(${text}, ${literal(re)})`;
      exact = false; // flavours of case folding and classes still differ a little: never trusted under a NOT
    } else {
      const subject = m.cased ? text : `lower(${text})`;
      const { pattern, wild } = likePattern(value, m.mode, !m.cased);
      if (!wild) test = `${subject} = ${literal(m.cased ? parseSigmaString(value).literal : parseSigmaString(value).literal.toLowerCase())}`;
      else test = `${subject} LIKE ${literal(pattern)} ESCAPE '\\'`;
    }
    const sure = `coalesce(${test}, FALSE)`;
    overs.push(sure);
    unders.push(exact && !inJson ? sure : FALSE);
  }
  // (a OR L) AND (b OR L) = (a AND b) OR L, and likewise for the strict twin: the guards are printed once per field.
  const join = m.all ? and : or;
  return { over: or([join(overs), looseText]), under: and([join(unders), not(looseText)]) };
}

// ---------------------------------------------------------- detections --

function conditionBounds(node: ConditionNode, selections: Map<string, Bounds>): Bounds {
  switch (node.op) {
    case 'or': {
      const args = node.args.map((a) => conditionBounds(a, selections));
      return { over: or(args.map((a) => a.over)), under: or(args.map((a) => a.under)) };
    }
    case 'and': {
      const args = node.args.map((a) => conditionBounds(a, selections));
      return { over: and(args.map((a) => a.over)), under: and(args.map((a) => a.under)) };
    }
    case 'not': {
      const inner = conditionBounds(node.arg, selections);
      return { over: not(inner.under), under: not(inner.over) };
    }
    case 'ref':
      return selections.get(node.name)!;
    case 'of': {
      const args = selectionsOf(node.pattern, selections.keys()).map((n) => selections.get(n)!);
      const join = node.quantifier === 'one' ? or : and;
      return { over: join(args.map((a) => a.over)), under: join(args.map((a) => a.under)) };
    }
  }
}

export function parsedBounds(parsed: ParsedDetection, dialect: Dialect): Bounds {
  const selections = new Map<string, Bounds>();
  for (const [name, maps] of parsed.selections) {
    const alts = maps.map((fields) => {
      const bs = fields.map((f) => fieldBounds(f, dialect));
      return { over: and(bs.map((b) => b.over)), under: and(bs.map((b) => b.under)) };
    });
    selections.set(name, { over: or(alts.map((a) => a.over)), under: or(alts.map((a) => a.under)) });
  }
  const conds = parsed.conditions.map((c) => conditionBounds(c, selections));
  return { over: or(conds.map((c) => c.over)), under: or(conds.map((c) => c.under)) };
}

/** The filter of one detection block. */
export function detectionBounds(detection: Record<string, unknown>, file: string, dialect: Dialect): Bounds {
  return parsedBounds(parseDetection(detection, { file }), dialect);
}

/** The WHERE filter that keeps every event any of the rules' per-event predicates can match. */
export function rulesFilter(rules: Rule[], dialect: Dialect): string {
  const parts: string[] = [];
  for (const rule of rules) {
    if (rule.kind === 'detection' || rule.kind === 'stateful') {
      parts.push(detectionBounds(rule.detection, rule.file, dialect).over);
    }
  }
  return or(parts);
}

/** Pretty-prints a filter one top-level OR branch per line, for golden files and --dry-run. */
export function formatFilter(filter: string, indent = '  '): string {
  if (!filter.startsWith('(') || !filter.endsWith(')')) return `${indent}${filter}`;
  // Split only the outermost OR.
  const inner = filter.slice(1, -1);
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && inner.startsWith(' OR ', i)) {
      parts.push(inner.slice(start, i));
      start = i + 4;
      i += 3;
    }
  }
  if (depth !== 0 || parts.length === 0) return `${indent}${filter}`;
  parts.push(inner.slice(start));
  return parts.map((p, i) => `${indent}${i === 0 ? '   ' : 'OR '}${p}`).join('\n');
}

// --------------------------------------------------------------- query --

/** The columns a hunt query returns: `$path`, then every table column as text (structs as JSON). */
export function selectList(dialect: Dialect): string {
  const cols = CLOUDTRAIL_COLUMNS.map(([name, type]) => {
    const col = name.toLowerCase();
    if (type.kind === 'string' || type.kind === 'boolean' || type.kind === 'json') return col;
    return dialect === 'trino' ? `json_format(CAST(${col} AS JSON)) AS ${col}` : `CAST(to_json(${col}) AS VARCHAR) AS ${col}`;
  });
  return ['"$path" AS path', ...cols].join(',\n       ');
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** Partition predicates of the projected table (Trino only: DuckDB reads a pruned file list). */
export function partitionFilter(scope: Scope): string {
  const parts: string[] = [];
  // Day partitions hold files by delivery time: widened by the late-delivery margin.
  const { fromMs, toMs } = deliveryRange(scope);
  if (Number.isFinite(fromMs)) parts.push(`"timestamp" >= ${literal(day(fromMs))}`);
  if (Number.isFinite(toMs)) parts.push(`"timestamp" <= ${literal(day(toMs))}`);
  if (scope.accounts.length > 0) parts.push(`account IN (${scope.accounts.map(literal).join(', ')})`);
  if (scope.regions.length > 0) parts.push(`region IN (${scope.regions.map(literal).join(', ')})`);
  return and(parts);
}

/** The whole hunt query. */
export function huntQuery(rules: Rule[], dialect: Dialect, table: string, scope?: Scope): string {
  const partitions = dialect === 'trino' && scope ? partitionFilter(scope) : TRUE;
  const filter = rulesFilter(rules, dialect);
  const where = partitions === TRUE ? formatFilter(filter) : `  ${partitions}\n  AND (\n${formatFilter(filter, '    ')}\n  )`;
  return `SELECT ${selectList(dialect)}\nFROM ${table}\nWHERE\n${where}\n`;
}

/** The Athena query of a hunt: `--athena-database`.`--athena-table`, partitions from the scope with the late-delivery margin. */
export function athenaQuery(athena: AthenaOptions, scope: Scope, rules: Rule[]): string {
  const table = `"${athena.database.replace(/"/g, '""')}"."${athena.table.replace(/"/g, '""')}"`;
  return huntQuery(rules, 'trino', table, scope);
}
