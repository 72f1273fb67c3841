// Rule files → validated Rule data. Runs on the main thread before any work
// starts, so a bad rule is an exit-2 error naming file and line (every message
// reads `file:line: what is wrong — how to fix`), never a failure inside a
// worker. Every detection is compiled here once to validate it; the workers
// compile the same plain data again.
//
// Loading reads every file and collects every problem instead of stopping at
// the first: `hunt rules` lists them all, and `--skip-unsupported` leaves out
// the rules the engine cannot evaluate and hunts with the rest.

import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { RuleError, UsageError } from '../errors.js';
import { compileDetection } from './compile.js';
import { titleSlug } from './names.js';
import { LEVEL_ORDER, type DetectionRule, type Level, type PostureRule, type Rule, type StatefulRule, type ThresholdRule } from './types.js';

export interface LoadResult {
  rules: Rule[];
  /** Rules left out because they are not for CloudTrail (their logsource), with the reason. */
  skipped: { file: string; reason: string }[];
  /**
   * With `skipUnsupported`: the rules left out because the engine cannot
   * evaluate them, each naming file, line and reason (what the summary counts
   * as refused). Empty otherwise: such a rule is an error.
   */
  refused: RuleError[];
}

/** Every rule that loads, and every problem found, sorted by file and line. */
export interface RuleInspection {
  rules: Rule[];
  skipped: LoadResult['skipped'];
  /** Problems; `unsupported` ones are valid Sigma the engine cannot evaluate. Their rules are not in `rules`. */
  problems: RuleError[];
}

/** The dotted paths the `iam-user-password-without-mfa` state machine reads from each event. */
export const STATEFUL_FIELDS: readonly string[] = [
  'eventName',
  'eventSource',
  'errorCode',
  'recipientAccountId',
  'requestParameters.userName',
  'requestParameters.serialNumber',
  'userIdentity.type',
  'userIdentity.userName',
  'userIdentity.arn',
  'responseElements.ConsoleLogin',
  'additionalEventData.MFAUsed',
  'additionalEventData.SamlProviderArn',
  'eventID',
];

/** The yaml package's limit on how many nodes one alias may expand to; a rule needs few, if any. */
const MAX_ALIAS_COUNT = 100;

const LEVELS = new Set<string>(LEVEL_ORDER);
const DEFAULT_LEVEL = 'medium';
const ENGINES = {
  'iam-user-password-without-mfa': 'stateful',
  'credential-report-mfa': 'posture',
} as const;

/** The repository's bundled `rules/` folder, from `src/rules/` (vitest, tsx) or `dist/src/rules/` (built). */
export function bundledRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'rules');
    const up = dirname(dir);
    if (up === dir) throw new UsageError(`cannot find the bundled rules: no package.json above ${fileURLToPath(import.meta.url)} — reinstall hunt or pass --rules`);
    dir = up;
  }
}

/** Rule files under the given files and folders: folders recursively, `.yml`/`.yaml` only, sorted. */
async function ruleFiles(paths: string[], problems: RuleError[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (file: string): void => {
    if (!seen.has(file)) {
      seen.add(file);
      out.push(file);
    }
  };
  const walk = async (dir: string, into: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push(new RuleError(dir, null, `cannot list this folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — check its permissions`));
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Follow links to files; not links to folders, which could loop.
        const target = await stat(full).catch(() => null);
        isFile = target?.isFile() ?? false;
        isDir = false;
      }
      if (isDir) await walk(full, into);
      else if (isFile && /\.ya?ml$/i.test(extname(full))) into.push(full);
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
      problems.push(new RuleError(given, null, `cannot read rules (${err.code ?? err.message}) — check the --rules path`));
      return null;
    });
    if (!info) continue;
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(path, found);
      if (found.length === 0) {
        problems.push(new RuleError(given, null, `no .yml or .yaml rule files in this folder — point --rules at a folder of Sigma rules`));
        continue;
      }
      found.sort();
      found.forEach(add);
    } else {
      add(path);
    }
  }
  return out;
}

/** A parsed YAML document with what is needed to name lines in it. */
interface Doc {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: Record<string, unknown>;
}

function lineOf(d: Doc, path: (string | number)[]): number | null {
  let node: unknown = d.doc.contents;
  const start = (n: unknown): number | null => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range ? d.lines.linePos(range[0]).line : null;
  };
  let line = start(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      line = start(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      line = start(item) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/** The file's documents that parse; each one that does not is a problem, and the others still load. */
async function parseFile(file: string, problems: RuleError[]): Promise<Doc[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    problems.push(new RuleError(file, null, `cannot read the rule file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — check the path and its permissions`));
    return [];
  }
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  const out: Doc[] = [];
  for (const doc of docs) {
    try {
      const parsed = parseDoc(file, doc, lines);
      if (parsed) out.push(parsed);
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      problems.push(err);
    }
  }
  return out;
}

/** One YAML document as a rule's data; null for an empty one. */
function parseDoc(file: string, doc: Document, lines: LineCounter): Doc | null {
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lines.linePos(error.pos[0]).line;
    throw new RuleError(file, line, `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')} — fix the YAML syntax`);
  }
  // An empty document, e.g. after a trailing '---': the parser gives no
  // contents, or (when the file ends right after the marker) a null scalar.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return null;
  if (!isMap(doc.contents)) {
    const range = doc.contents.range;
    throw new RuleError(file, range ? lines.linePos(range[0]).line : null, `a rule must be a YAML map (title, logsource, detection, ...) — see the Sigma specification`);
  }
  // Numbers in a detection compare as text: keep the text as written, so
  // that `recipientAccountId: 012345678901` keeps its leading zero.
  const detection = doc.get('detection', true);
  if (detection && typeof detection === 'object') {
    visit(detection as never, {
      Scalar(_, node) {
        if (typeof node.value === 'number' && typeof node.source === 'string') node.value = node.source;
      },
    });
  }
  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (err) {
    // The yaml package refuses aliases that expand past the limit (a
    // "billion laughs" file) with a ReferenceError: name the first alias.
    if (!(err instanceof ReferenceError)) throw err;
    let line: number | null = null;
    visit(doc, {
      Alias(_, node) {
        if (node.range) line = lines.linePos(node.range[0]).line;
        return visit.BREAK;
      },
    });
    throw new RuleError(file, line, `YAML aliases expand to too many nodes (over ${MAX_ALIAS_COUNT} per alias): such a file is a resource-exhaustion attack, not a rule — write the values out`);
  }
  return { file, doc, lines, data };
}

const isMapValue = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function optionalString(d: Doc, key: string): string | null {
  const v = d.data[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.trim() === '') {
    throw new RuleError(d.file, lineOf(d, [key]), `'${key}' must be a non-empty string — quote it if needed`);
  }
  return v;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

function duration(d: Doc, path: (string | number)[], value: unknown): number {
  const match = typeof value === 'string' ? /^(\d+)\s*([smhdw])$/.exec(value.trim()) : null;
  const ms = match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : 0;
  if (!match || ms <= 0) {
    throw new RuleError(d.file, lineOf(d, path), `'${String(path.at(-1))}' must be a positive duration such as 30s, 15m, 1h or 2d (got ${JSON.stringify(value)}) — fix the value`);
  }
  return ms;
}

function isCloudTrail(logsource: Record<string, unknown>): boolean {
  return String(logsource.product).toLowerCase() === 'aws' && String(logsource.service).toLowerCase() === 'cloudtrail';
}

function describeLogsource(logsource: unknown): string {
  if (!isMapValue(logsource)) return 'no logsource';
  const parts = Object.entries(logsource)
    .filter(([k]) => ['product', 'service', 'category'].includes(k))
    .map(([k, v]) => `${k}: ${String(v)}`);
  return `logsource {${parts.join(', ')}}`;
}

/** One document before names are assigned and correlations resolved. */
interface Loaded {
  /** Its `key` is the `name:` as written, or '' until assignKeys names it. */
  rule: Rule;
  doc: Doc;
  /** `name:` as written. */
  name: string | null;
  /** The title's slug ('' when there is no title or nothing to spell a name with). */
  slug: string;
  /** The rule's own top-level `generate: true`. */
  generateAlone: boolean;
  /** For correlations: the references as written, with their index in `rules`. */
  refs?: string[];
  /** For correlations: `generate: true` inside the correlation block. */
  generateBase?: boolean;
}

/** Sigma's `fields:`: the dotted paths an analyst needs from a hit's first event. */
function outputFieldsOf(d: Doc): string[] {
  const fields = d.data.fields;
  if (fields === undefined || fields === null) return [];
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string' && f !== '')) {
    throw new RuleError(d.file, lineOf(d, ['fields']), `'fields' must be a list of field names (dotted CloudTrail paths) — fix the list`);
  }
  return [...new Set(fields as string[])];
}

function toRule(d: Doc, skipped: LoadResult['skipped']): Loaded | null {
  const { data, file } = d;
  if (Object.hasOwn(data, 'action')) {
    throw new RuleError(file, lineOf(d, ['action']), `'action: ${String(data.action)}' rule collections (Sigma v1) are not supported — write each rule as a complete document`, true);
  }
  const name = optionalString(d, 'name');
  const id = optionalString(d, 'id');
  const givenTitle = optionalString(d, 'title');
  const slug = givenTitle === null ? '' : titleSlug(givenTitle);
  if (!name && !id && !slug) {
    throw new RuleError(file, lineOf(d, []), `the rule has no 'name', no 'id' and no title to name it by — add a 'name:' slug (it becomes the hit's 'rule' field)`);
  }
  /** What messages call the rule before it has its key. */
  const label = name ?? givenTitle ?? id!;
  const title = givenTitle ?? name ?? id!;
  const key = name ?? '';
  const named = { name, slug };
  const rawLevel = data.level ?? DEFAULT_LEVEL;
  if (typeof rawLevel !== 'string' || !LEVELS.has(rawLevel.toLowerCase())) {
    throw new RuleError(file, lineOf(d, ['level']), `'level' must be one of ${[...LEVELS].join(', ')} (got ${JSON.stringify(rawLevel)}) — fix the value`);
  }
  const description = typeof data.description === 'string' ? data.description.trim() : undefined;
  const meta = { key, title, level: rawLevel.toLowerCase(), id, file, outputFields: outputFieldsOf(d), ...(description ? { description } : {}) };
  const generateAlone = data.generate === true;

  if (Object.hasOwn(data, 'correlation')) return { ...toThreshold(d, meta, generateAlone), ...named };

  let kind: 'detection' | 'stateful' | 'posture' = 'detection';
  let engine: keyof typeof ENGINES | null = null;
  if (Object.hasOwn(data, 'hunt')) {
    const hunt = data.hunt;
    const e = isMapValue(hunt) ? hunt.engine : undefined;
    if (typeof e !== 'string' || !Object.hasOwn(ENGINES, e)) {
      throw new RuleError(file, lineOf(d, ['hunt', 'engine']), `'hunt.engine' must be one of ${Object.keys(ENGINES).join(', ')} (got ${JSON.stringify(e ?? null)}) — fix the engine name or remove 'hunt:'`);
    }
    engine = e as keyof typeof ENGINES;
    kind = ENGINES[engine];
  }

  const logsource = data.logsource;
  if (kind === 'posture') {
    const ok = isMapValue(logsource) && String(logsource.product).toLowerCase() === 'aws' && String(logsource.service).toLowerCase() === 'iam';
    if (!ok) {
      skipped.push({ file, reason: `${label}: ${describeLogsource(logsource)} is not product: aws + service: iam` });
      return null;
    }
    const rule: PostureRule = { ...meta, kind: 'posture', engine: 'credential-report-mfa' };
    return { rule, doc: d, generateAlone, ...named };
  }
  if (!isMapValue(logsource) || !isCloudTrail(logsource)) {
    skipped.push({ file, reason: `${label}: ${describeLogsource(logsource)} is not product: aws + service: cloudtrail` });
    return null;
  }
  if (!Object.hasOwn(data, 'detection')) {
    throw new RuleError(file, lineOf(d, []), `the rule has no 'detection' — add a detection block with selections and a condition`);
  }
  const detection = data.detection;
  compileDetection(detection, { file, line: (path) => lineOf(d, ['detection', ...path]) });
  const validated = detection as Record<string, unknown>;
  if (kind === 'stateful') {
    const rule: StatefulRule = {
      ...meta,
      kind: 'stateful',
      engine: 'iam-user-password-without-mfa',
      detection: validated,
      fields: [...STATEFUL_FIELDS],
    };
    return { rule, doc: d, generateAlone, ...named };
  }
  const rule: DetectionRule = { ...meta, kind: 'detection', detection: validated, generate: true };
  return { rule, doc: d, generateAlone, ...named };
}

function toThreshold(
  d: Doc,
  meta: Omit<ThresholdRule, 'kind' | 'rules' | 'groupBy' | 'timespanMs' | 'threshold' | 'dedupMs'>,
  generateAlone: boolean,
): Omit<Loaded, 'name' | 'slug'> {
  const { file } = d;
  const c = d.data.correlation;
  const at = (...path: (string | number)[]): number | null => lineOf(d, ['correlation', ...path]);
  if (!isMapValue(c)) {
    throw new RuleError(file, at(), `'correlation' must be a map (type, rules, group-by, timespan, condition)`);
  }
  if (c.type !== 'event_count') {
    // value_count, temporal, … are Sigma; a type that is not a string is a broken rule.
    throw new RuleError(file, at('type'), `correlation type ${JSON.stringify(c.type ?? null)} is not supported: hunt evaluates only 'type: event_count' — rewrite it as an event_count correlation`, typeof c.type === 'string');
  }
  if (Object.hasOwn(c, 'aliases')) {
    throw new RuleError(file, at('aliases'), `'aliases' is not supported in an event_count correlation — group by the CloudTrail field paths themselves`, true);
  }
  const refs = typeof c.rules === 'string' ? [c.rules] : c.rules;
  if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => typeof r === 'string' && r !== '')) {
    throw new RuleError(file, at('rules'), `'correlation.rules' must list the names or ids of the rules it counts`);
  }
  const groupRaw = c['group-by'] ?? [];
  const groupBy = typeof groupRaw === 'string' ? [groupRaw] : groupRaw;
  if (!Array.isArray(groupBy) || !groupBy.every((g) => typeof g === 'string' && g !== '')) {
    throw new RuleError(file, at('group-by'), `'group-by' must be a list of CloudTrail field paths (e.g. recipientAccountId)`);
  }
  if (!Object.hasOwn(c, 'timespan')) {
    throw new RuleError(file, at(), `the correlation has no 'timespan' — add e.g. 'timespan: 15m'`);
  }
  const timespanMs = duration(d, ['correlation', 'timespan'], c.timespan);
  const dedupMs = Object.hasOwn(c, 'dedup-period')
    ? duration(d, ['correlation', 'dedup-period'], c['dedup-period'])
    : timespanMs;
  const cond = c.condition;
  const keys = isMapValue(cond) ? Object.keys(cond) : [];
  const n = isMapValue(cond) ? cond[keys[0]!] : undefined;
  if (keys.length !== 1 || (keys[0] !== 'gte' && keys[0] !== 'gt') || typeof n !== 'number' || !Number.isInteger(n) || n < (keys[0] === 'gt' ? 0 : 1)) {
    // Sigma's other comparisons (lt, lte, eq, neq, range) are valid; hunt counts only upwards.
    const otherSigma = keys.length === 1 && ['lt', 'lte', 'eq', 'neq', 'range'].includes(keys[0]!);
    throw new RuleError(file, at('condition'), `'correlation.condition' must be 'gte: N' (or 'gt: N') with a whole number N ≥ 1 — e.g. 'condition: {gte: 2}'`, otherSigma);
  }
  const threshold = keys[0] === 'gt' ? n + 1 : n;
  const rule: ThresholdRule = { ...meta, kind: 'threshold', rules: [], groupBy: [...groupBy], timespanMs, threshold, dedupMs };
  return { rule, doc: d, generateAlone, refs: refs as string[], generateBase: c.generate === true };
}

/**
 * Loads, validates and resolves the rules in the given files and folders.
 * Throws the first problem; with `skipUnsupported`, a rule the engine cannot
 * evaluate is left out (listed in `refused`) and only a broken one throws.
 */
export async function loadRules(paths: string[], options: { skipUnsupported?: boolean } = {}): Promise<LoadResult> {
  const { rules, skipped, problems } = await inspectRules(paths);
  const skip = options.skipUnsupported === true;
  const fatal = problems.find((p) => !(skip && p.unsupported));
  if (fatal) throw fatal;
  return { rules, skipped, refused: skip ? problems : [] };
}

/**
 * Reads every rule file and reports every problem rather than stopping at the
 * first: each document is its own unit, so one bad rule leaves the others
 * loaded. A correlation that counts a rule with a problem has a problem of
 * its own (unsupported when that rule's is), so that skipping one never
 * leaves a correlation counting nothing.
 */
export async function inspectRules(paths: string[]): Promise<RuleInspection> {
  const skipped: LoadResult['skipped'] = [];
  const problems: RuleError[] = [];
  const loaded: Loaded[] = [];
  const skippedKeys = new Set<string>();
  /** Names, ids and title slugs of rules with a problem → whether that problem is only unsupported. */
  const brokenKeys = new Map<string, boolean>();
  for (const file of await ruleFiles(paths, problems)) {
    for (const doc of await parseFile(file, problems)) {
      const before = skipped.length;
      let item: Loaded | null;
      try {
        item = toRule(doc, skipped);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        problems.push(err);
        for (const k of namesOf(doc.data)) brokenKeys.set(k, (brokenKeys.get(k) ?? true) && err.unsupported);
        continue;
      }
      if (item) loaded.push(item);
      else if (skipped.length > before) for (const k of namesOf(doc.data)) skippedKeys.add(k);
    }
  }

  const named = assignKeys(loaded, problems);
  const byKey = new Map<string, Loaded>();
  for (const item of named) {
    const other = byKey.get(item.rule.key);
    if (other) {
      problems.push(new RuleError(item.rule.file, keyLine(item), `rule '${item.rule.key}' is already defined in ${other.rule.file}:${keyLine(other) ?? 1} — give each rule a unique name`));
      continue;
    }
    byKey.set(item.rule.key, item);
  }
  const unique = [...byKey.values()];
  const byId = new Map<string, Loaded>();
  for (const item of unique) if (item.rule.id && !byId.has(item.rule.id)) byId.set(item.rule.id, item);

  const counted = new Map<string, boolean>(); // detection key → generate because a correlation says so
  const dropped = new Set<Loaded>();
  for (const item of unique) {
    if (item.rule.kind !== 'threshold' || !item.refs) continue;
    const keys: string[] = [];
    for (const [i, ref] of item.refs.entries()) {
      const target = byKey.get(ref) ?? byId.get(ref);
      const line = lineOf(item.doc, ['correlation', 'rules', i]) ?? lineOf(item.doc, ['correlation', 'rules']);
      if (!target) {
        if (skippedKeys.has(ref)) {
          skipped.push({ file: item.rule.file, reason: `${item.rule.key}: counts rule '${ref}', which was skipped` });
        } else if (brokenKeys.has(ref)) {
          problems.push(new RuleError(item.rule.file, line, `correlation '${item.rule.key}' counts rule '${ref}', which cannot be used (its own problem is reported) — fix that rule`, brokenKeys.get(ref)));
        } else {
          problems.push(new RuleError(item.rule.file, line, `correlation '${item.rule.key}' counts rule '${ref}', which no loaded rule is named or has as id — fix the reference or load the file that defines it`));
        }
        dropped.add(item);
        break;
      }
      if (target.rule.kind !== 'detection') {
        problems.push(new RuleError(item.rule.file, line, `correlation '${item.rule.key}' counts '${ref}', a ${target.rule.kind} rule — a correlation can count only detection rules`));
        dropped.add(item);
        break;
      }
      keys.push(target.rule.key);
    }
    if (dropped.has(item)) continue;
    (item.rule as ThresholdRule).rules = [...new Set(keys)];
    for (const k of keys) counted.set(k, (counted.get(k) ?? false) || item.generateBase === true);
  }

  const rules: Rule[] = [];
  for (const item of unique) {
    if (dropped.has(item)) continue;
    const rule = item.rule;
    if (rule.kind === 'detection' && counted.has(rule.key)) {
      rule.generate = item.generateAlone || counted.get(rule.key) === true;
    }
    rules.push(rule);
  }
  // Files in the order they were read, lines in order within each: stable
  // output however the problems were found.
  const order = new Map<string, number>();
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  problems.sort((a, b) => order.get(a.file)! - order.get(b.file)! || (a.line ?? 0) - (b.line ?? 0));
  return { rules, skipped, problems };
}

/** What a rule could be called or referred to by: its name, id and title slug. */
function namesOf(data: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof data.name === 'string') out.push(data.name);
  if (typeof data.id === 'string') out.push(data.id);
  if (typeof data.title === 'string') {
    const slug = titleSlug(data.title);
    if (slug) out.push(slug);
  }
  return out;
}

/** The line that gives a rule its key, for messages. */
function keyLine(item: Loaded): number | null {
  const field = item.name ? 'name' : item.rule.key === item.slug ? 'title' : 'id';
  return lineOf(item.doc, [field]);
}

/**
 * Gives each rule without `name` its key: the slug of its title, unless
 * another rule has that slug or that name (case-insensitively), in which case
 * every one of those unnamed rules is called by its id. The choice depends
 * only on which rules are loaded, never on their order, so a rule keeps its
 * name however the files are listed. An unnamed rule that needs its id and has
 * none is a problem. Returns the rules that have a key.
 */
function assignKeys(loaded: Loaded[], problems: RuleError[]): Loaded[] {
  const names = new Set(loaded.filter((i) => i.name).map((i) => i.name!.toLowerCase()));
  const bySlug = new Map<string, Loaded[]>();
  for (const item of loaded) {
    if (item.name || !item.slug) continue;
    const group = bySlug.get(item.slug) ?? [];
    group.push(item);
    bySlug.set(item.slug, group);
  }
  const out: Loaded[] = [];
  for (const item of loaded) {
    if (item.name) {
      out.push(item);
      continue;
    }
    const group = item.slug ? bySlug.get(item.slug)! : [];
    if (item.slug && group.length === 1 && !names.has(item.slug)) {
      item.rule.key = item.slug;
    } else if (item.rule.id) {
      item.rule.key = item.rule.id;
    } else {
      const other = group.find((g) => g !== item) ?? loaded.find((l) => l.name?.toLowerCase() === item.slug)!;
      problems.push(new RuleError(item.rule.file, lineOf(item.doc, ['title']), `its title gives the name '${item.slug}', which ${other.rule.file}:${keyLine(other) ?? lineOf(other.doc, ['title']) ?? 1} also has, and it has no 'id' to be called by instead — add a unique 'name:' slug`));
      continue;
    }
    out.push(item);
  }
  return out;
}

export interface RuleSelection {
  /** `--rule`: names (globs), titles or ids; empty keeps every rule. */
  globs?: string[];
  /** `--min-level`: keep rules at or above this level. */
  minLevel?: Level;
}

/**
 * The rules `--rule` and `--min-level` pick, plus the detection rules a kept
 * correlation counts. `--rule` matches a rule's name as a glob (picomatch,
 * case-insensitive), or its title or id exactly (case-insensitive: a title has
 * spaces and brackets that a glob would read as syntax). A detection rule
 * picked for itself whose correlations were all left out produces hits of its
 * own (its `generate` becomes true): the user asked for it; one kept only
 * because a picked correlation counts it produces none. No globs and no level
 * keeps every rule. Every rule has a known level (a missing one is read as
 * medium when loading, an unknown one is a load error).
 */
export function selectRules(rules: Rule[], globsOrSelection: string[] | RuleSelection): Rule[] {
  const { globs = [], minLevel } = Array.isArray(globsOrSelection) ? { globs: globsOrSelection } : globsOrSelection;
  if (globs.length === 0 && !minLevel) return rules;
  let picked = new Set<string>(globs.length === 0 ? rules.map((r) => r.key) : []);
  for (const glob of globs) {
    const isMatch = picomatch(glob, { nocase: true, dot: true });
    const exact = glob.trim().toLowerCase();
    const hits = rules.filter((r) => isMatch(r.key) || r.title.toLowerCase() === exact || r.id?.toLowerCase() === exact);
    if (hits.length === 0) {
      const known = rules.map((r) => r.key);
      throw new UsageError(`--rule '${glob}' matches no loaded rule's name, title or id — known rules: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''} (hunt rules lists them)`);
    }
    for (const r of hits) picked.add(r.key);
  }
  if (minLevel) {
    const floor = LEVEL_ORDER.indexOf(minLevel);
    const level = new Map(rules.map((r) => [r.key, LEVEL_ORDER.indexOf(r.level as Level)]));
    picked = new Set([...picked].filter((k) => level.get(k)! >= floor));
  }
  const needed = new Set<string>();
  for (const r of rules) {
    if (r.kind === 'threshold' && picked.has(r.key)) for (const k of r.rules) needed.add(k);
  }
  const out: Rule[] = [];
  for (const r of rules) {
    if (picked.has(r.key)) out.push(r.kind === 'detection' && !r.generate && !needed.has(r.key) ? { ...r, generate: true } : r);
    else if (needed.has(r.key)) out.push(r.kind === 'detection' && r.generate ? { ...r, generate: false } : r);
  }
  return out;
}
