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
import { compileDetection, parseDetection, selectionsOf } from './compile.js';
import { formatCondition, parseCondition, type ConditionNode } from './condition.js';
import { isCloudTrailField } from './cloudtrail-fields.js';
import { titleSlug } from './names.js';
import { LEVEL_ORDER, type CorrelationRule, type CorrelationType, type CountCondition, type DetectionRule, type Level, type PostureRule, type Rule, type StatefulRule } from './types.js';

export interface LoadResult {
  rules: Rule[];
  /** Rules left out because they are not for CloudTrail (their logsource), with the reason. */
  skipped: { file: string; reason: string }[];
  /** Rules that load but may never fire as written (a field CloudTrail never writes): `file:line: why`. */
  warnings: string[];
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
  /** As in LoadResult: rules that load but may never fire as written. */
  warnings: string[];
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
  'credential-report-root-mfa': 'posture',
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
  /** For correlations: `generate: true`, so the rules it names also produce hits of their own. */
  generateBase?: boolean;
  /** For correlations: `aliases` as written (rule references not yet resolved). */
  aliasesRaw?: Record<string, Record<string, string>>;
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

  if (Object.hasOwn(data, 'correlation')) {
    checkKnownKeys(d, [], CORRELATION_KEYS, 'a correlation rule');
    return { ...toCorrelation(d, meta, generateAlone), ...named };
  }
  checkKnownKeys(d, [], DETECTION_RULE_KEYS, 'a rule');

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
    const rule: PostureRule = { ...meta, kind: 'posture', engine: engine as PostureRule['engine'] };
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
  const source = { file, line: (path: (string | number)[]) => lineOf(d, ['detection', ...path]) };
  compileDetection(detection, source);
  checkDetectionKeys(detection as Record<string, unknown>, source);
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

// ------------------------------------------------------------ known keys --

/** Sigma rule metadata every kind of rule may carry (the specification's schemas). */
const METADATA_KEYS = ['title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'author', 'references', 'date', 'modified', 'fields', 'falsepositives', 'level', 'tags', 'scope'];
/** `hunt` (our engines) and `generate` (kept on a counted rule: it then also produces hits of its own) are ours. */
const DETECTION_RULE_KEYS = [...METADATA_KEYS, 'logsource', 'detection', 'hunt', 'generate'];
const CORRELATION_KEYS = [...METADATA_KEYS, 'correlation', 'generate'];
const FILTER_KEYS = [...METADATA_KEYS, 'logsource', 'filter'];
/** `dedup-period` is ours (DESIGN.md, window semantics); `generate` is accepted here too, where pySigma reads it. */
const CORRELATION_BLOCK_KEYS = ['type', 'rules', 'aliases', 'group-by', 'timespan', 'condition', 'dedup-period', 'generate'];
const CONDITION_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

/** The known key nearest to a misspelled one (`group_by` → `group-by`), when one is close. */
function nearest(key: string, known: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | null = null;
  let bestCost = Infinity;
  for (const k of known) {
    const cost = norm(k) === norm(key) ? 0 : editDistance(key.toLowerCase(), k.toLowerCase());
    if (cost < bestCost) {
      best = k;
      bestCost = cost;
    }
  }
  return bestCost <= (key.length >= 5 ? 2 : 1) ? best : null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * An unknown key is a load error, not something to ignore: a misspelled
 * `group_by` would otherwise make a per-address count global, silently.
 */
function checkKnownKeys(d: Doc, path: string[], known: readonly string[], what: string): void {
  let node: unknown = d.data;
  for (const p of path) node = isMapValue(node) ? node[p] : undefined;
  if (!isMapValue(node)) return;
  for (const key of Object.keys(node)) {
    if (known.includes(key)) continue;
    const near = nearest(key, known);
    throw new RuleError(
      d.file,
      lineOf(d, [...path, key]),
      `unknown key '${key}' in ${what}${near ? ` — did you mean '${near}'?` : ` — known keys: ${known.join(', ')}`}`,
    );
  }
}

/**
 * A selection the condition never uses is a detection key that means nothing:
 * most often a misspelled name (`filter_admins` for `filter_admin`), which
 * would leave the rule running without its filter.
 */
function checkDetectionKeys(detection: Record<string, unknown>, source: { file: string; line: (path: (string | number)[]) => number | null }): void {
  const parsed = parseDetection(detection, source);
  const used = new Set<string>();
  const walk = (node: ConditionNode): void => {
    switch (node.op) {
      case 'or':
      case 'and':
        node.args.forEach(walk);
        return;
      case 'not':
        return walk(node.arg);
      case 'ref':
        used.add(node.name);
        return;
      case 'of':
        for (const n of selectionsOf(node.pattern, parsed.selections.keys())) used.add(n);
    }
  };
  parsed.conditions.forEach(walk);
  for (const name of parsed.selections.keys()) {
    if (!used.has(name)) {
      throw new RuleError(source.file, source.line([name]), `selection '${name}' is not used by the condition — fix the condition or the selection's name, or remove it`);
    }
  }
}

/** Fields CloudTrail never writes, by `file:line` of the field: the rule may never fire. */
function fieldWarnings(d: Doc, key: string, detection: Record<string, unknown>, base: (string | number)[], into: string[]): void {
  const parsed = parseDetection(detection, { file: d.file });
  for (const [spec, path] of parsed.fieldPaths) {
    if (isCloudTrailField(spec.field)) continue;
    const line = lineOf(d, [...base, ...path]);
    into.push(`${d.file}${line ? `:${line}` : ''}: rule '${key}' reads field '${spec.field}', which CloudTrail records do not have — the selection can match only its absence; check the field's name`);
  }
}

// ---------------------------------------------------------- correlations --

const CORRELATION_TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
/** Correlation types the Sigma specification (2.1) defines and hunt does not evaluate: unsupported, not wrong. */
const OTHER_SIGMA_CORRELATION_TYPES: readonly string[] = ['value_sum', 'value_avg', 'value_percentile', 'value_median'];

function toCorrelation(d: Doc, meta: Omit<CorrelationRule, 'kind' | 'type' | 'rules' | 'groupBy' | 'aliases' | 'timespanMs' | 'dedupMs' | 'condition' | 'generate'>, _generateAlone: boolean): Omit<Loaded, 'name' | 'slug'> {
  const { file } = d;
  const c = d.data.correlation;
  const at = (...path: (string | number)[]): number | null => lineOf(d, ['correlation', ...path]);
  if (!isMapValue(c)) {
    throw new RuleError(file, at(), `'correlation' must be a map — give it type, rules, group-by, timespan and condition`);
  }
  checkKnownKeys(d, ['correlation'], CORRELATION_BLOCK_KEYS, "a correlation's 'correlation:' block");
  const type = c.type as CorrelationType;
  if (!CORRELATION_TYPES.includes(type)) {
    // value_sum, value_avg, … are Sigma the engine does not evaluate; any other type is a broken rule.
    const otherSigma = typeof c.type === 'string' && OTHER_SIGMA_CORRELATION_TYPES.includes(c.type);
    throw new RuleError(file, at('type'), `correlation type ${JSON.stringify(c.type ?? null)} is not supported — use one of ${CORRELATION_TYPES.join(', ')}`, otherSigma);
  }
  const refs = typeof c.rules === 'string' ? [c.rules] : c.rules;
  if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => typeof r === 'string' && r !== '')) {
    throw new RuleError(file, at('rules'), `'correlation.rules' is missing or not a list of names — list the names or ids of the rules it correlates`);
  }
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (temporal && refs.length < 2) {
    throw new RuleError(file, at('rules'), `a ${type} correlation relates two or more rules — list them under 'rules'`);
  }
  const groupRaw = c['group-by'] ?? [];
  const groupBy = typeof groupRaw === 'string' ? [groupRaw] : groupRaw;
  if (!Array.isArray(groupBy) || !groupBy.every((g) => typeof g === 'string' && g !== '')) {
    throw new RuleError(file, at('group-by'), `'group-by' must be a list — list CloudTrail field paths or alias names (e.g. recipientAccountId)`);
  }
  if (!Object.hasOwn(c, 'timespan')) {
    throw new RuleError(file, at(), `the correlation has no 'timespan' — add e.g. 'timespan: 15m'`);
  }
  const timespanMs = duration(d, ['correlation', 'timespan'], c.timespan);
  const dedupMs = Object.hasOwn(c, 'dedup-period') ? duration(d, ['correlation', 'dedup-period'], c['dedup-period']) : timespanMs;
  const { condition, field } = correlationCondition(d, type, c.condition, refs.length);
  const aliases = correlationAliases(d, c.aliases);
  const rule: CorrelationRule = {
    ...meta,
    kind: 'correlation',
    type,
    rules: [],
    groupBy: [...new Set(groupBy as string[])],
    aliases: {},
    timespanMs,
    dedupMs,
    condition,
    ...(field !== undefined ? { field } : {}),
    generate: true,
  };
  // The specification's schema puts `generate` at the top level; pySigma also reads it inside the block.
  const generateBase = d.data.generate === true || c.generate === true;
  return { rule, doc: d, generateAlone: false, refs: refs as string[], generateBase, aliasesRaw: aliases };
}

function correlationCondition(d: Doc, type: CorrelationType, raw: unknown, refCount: number): { condition: CountCondition; field?: string } {
  const at = lineOf(d, ['correlation', 'condition']) ?? lineOf(d, ['correlation']);
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (raw === undefined || raw === null) {
    // Temporal correlations need every rule by default; counts need a condition.
    if (temporal) return { condition: { gte: refCount } };
    throw new RuleError(d.file, at, `the ${type} correlation has no 'condition' — add e.g. 'condition: {gte: 2}'`);
  }
  if (!isMapValue(raw)) {
    throw new RuleError(d.file, at, `'correlation.condition' must be a map of ${CONDITION_OPERATORS.join('/')} (and 'field' for value_count), e.g. {gte: 2} or {gt: 100, lte: 200} — condition expressions over rule names are not supported`, typeof raw === 'string');
  }
  const condition: CountCondition = {};
  let field: string | undefined;
  for (const [key, value] of Object.entries(raw)) {
    const line = lineOf(d, ['correlation', 'condition', key]) ?? at;
    if (key === 'field') {
      if (type !== 'value_count') throw new RuleError(d.file, line, `'condition.field' belongs to value_count correlations — remove it, or make the type value_count`);
      if (typeof value !== 'string' || value === '') throw new RuleError(d.file, line, `'condition.field' must be one name — give a field path or alias name, e.g. 'field: userIdentity.userName'`);
      field = value;
      continue;
    }
    if (key === 'range') {
      throw new RuleError(d.file, line, `the 'range' condition is not supported — write the bounds as two comparisons, e.g. {gte: 10, lte: 20}`, true);
    }
    if (!(CONDITION_OPERATORS as readonly string[]).includes(key)) {
      const near = nearest(key, [...CONDITION_OPERATORS, 'field']);
      throw new RuleError(d.file, line, `unknown condition operator '${key}' — ${near ? `did you mean '${near}'?` : `use ${CONDITION_OPERATORS.join(', ')}`}`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new RuleError(d.file, line, `'condition.${key}' must be a whole number ≥ 0 (got ${JSON.stringify(value)}) — fix the value`);
    }
    condition[key as keyof CountCondition] = value;
  }
  if (Object.keys(condition).length === 0) {
    throw new RuleError(d.file, at, `'correlation.condition' has no comparison — add one of ${CONDITION_OPERATORS.join(', ')}, e.g. {gte: 2}`);
  }
  if (type === 'value_count' && field === undefined) {
    throw new RuleError(d.file, at, `a value_count correlation needs 'condition.field' — name the field whose distinct values it counts, e.g. 'field: userIdentity.userName'`);
  }
  if (!satisfiable(condition)) {
    throw new RuleError(d.file, at, `'correlation.condition' ${JSON.stringify(condition)} can never hold for a window of one or more events — fix the bounds`);
  }
  return { condition, ...(field !== undefined ? { field } : {}) };
}

/** True when some count ≥ 1 meets every comparison (a window always holds at least one event). */
function satisfiable(c: CountCondition): boolean {
  const lo = Math.max(1, c.gt !== undefined ? c.gt + 1 : 0, c.gte ?? 0, c.eq ?? 0);
  const hi = Math.min(c.lt !== undefined ? c.lt - 1 : Infinity, c.lte ?? Infinity, c.eq ?? Infinity);
  if (lo > hi) return false;
  return !(c.neq !== undefined && lo === hi && lo === c.neq);
}

function correlationAliases(d: Doc, raw: unknown): Record<string, Record<string, string>> {
  if (raw === undefined || raw === null) return {};
  const at = (...path: string[]): number | null => lineOf(d, ['correlation', 'aliases', ...path]);
  if (!isMapValue(raw)) throw new RuleError(d.file, at(), `'aliases' must be a map — map each alias name to {rule name: field path}`);
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, map] of Object.entries(raw)) {
    if (!isMapValue(map) || Object.keys(map).length === 0) {
      throw new RuleError(d.file, at(alias), `alias '${alias}' must be a map — map rule names to field paths, e.g. '${alias}: {rule-a: userIdentity.userName}'`);
    }
    out[alias] = {};
    for (const [ref, field] of Object.entries(map)) {
      if (typeof field !== 'string' || field === '') throw new RuleError(d.file, at(alias, ref), `alias '${alias}' for rule '${ref}' must be a field path — e.g. userIdentity.userName`);
      out[alias][ref] = field;
    }
  }
  return out;
}

// --------------------------------------------------------------- filters --

/** A Sigma filter: selections and a condition ANDed onto the detection rules it names. */
interface Filter {
  doc: Doc;
  key: string;
  /** Rule names or ids; null for `any`/`all` (every rule the logsource covers). */
  refs: string[] | null;
  selections: Record<string, unknown>;
  condition: ConditionNode;
}

/** A filter document, or null when it is not for AWS (then it is skipped and counted). */
function toFilter(d: Doc, skipped: LoadResult['skipped']): Filter | null {
  const { data, file } = d;
  checkKnownKeys(d, [], FILTER_KEYS, 'a filter');
  const key = optionalString(d, 'name') ?? optionalString(d, 'id') ?? optionalString(d, 'title') ?? file;
  const logsource = data.logsource;
  // A filter tunes rules it names; extra logsource keys (service, category)
  // only narrow what it is for, and product aws is all CloudTrail needs.
  if (!isMapValue(logsource) || String(logsource.product).toLowerCase() !== 'aws') {
    skipped.push({ file, reason: `filter ${key}: ${describeLogsource(logsource)} is not product: aws` });
    return null;
  }
  const f = data.filter;
  if (!isMapValue(f)) throw new RuleError(file, lineOf(d, ['filter']), `'filter' must be a map — give it rules, selections and a condition`);
  const rulesRaw = f.rules;
  let refs: string[] | null;
  if (typeof rulesRaw === 'string' && ['any', 'all'].includes(rulesRaw.toLowerCase())) refs = null;
  else if (Array.isArray(rulesRaw) && rulesRaw.length === 0) refs = null;
  else if (typeof rulesRaw === 'string' && rulesRaw !== '') refs = [rulesRaw];
  else if (Array.isArray(rulesRaw) && rulesRaw.every((r) => typeof r === 'string' && r !== '')) refs = rulesRaw as string[];
  else throw new RuleError(file, lineOf(d, ['filter', 'rules']) ?? lineOf(d, ['filter']), `'filter.rules' is missing or malformed — name the rules to tune (names or ids), or write 'any'`);
  const detection: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (k !== 'rules') detection[k] = v;
  if (typeof detection.condition !== 'string') {
    throw new RuleError(file, lineOf(d, ['filter', 'condition']) ?? lineOf(d, ['filter']), `a filter needs one 'condition' string, ANDed onto each rule's condition — e.g. 'condition: not allowed'`);
  }
  const source = { file, line: (path: (string | number)[]) => lineOf(d, ['filter', ...path]) };
  compileDetection(detection, source);
  checkDetectionKeys(detection, source);
  const { condition: _c, ...selections } = detection;
  return { doc: d, key, refs, selections, condition: parseCondition(detection.condition) };
}

/**
 * The detection with the filter ANDed on, as pySigma applies filters: each
 * condition becomes `(condition) and (filter condition)`. The filter's
 * selections are renamed `_filter<N>_<name>` (a leading `_` keeps them out of
 * the rule's own `1 of them`), and its `x of` patterns are expanded first, so
 * they cover the filter's selections only.
 */
function filtered(detection: Record<string, unknown>, filter: Filter, n: number): Record<string, unknown> {
  const rename = (name: string): string => `_filter${n}_${name}`;
  const names = Object.keys(filter.selections);
  const map = (node: ConditionNode): ConditionNode => {
    switch (node.op) {
      case 'or':
      case 'and':
        return { op: node.op, args: node.args.map(map) };
      case 'not':
        return { op: 'not', arg: map(node.arg) };
      case 'ref':
        return { op: 'ref', name: rename(node.name) };
      case 'of': {
        const args = selectionsOf(node.pattern, names).map((name): ConditionNode => ({ op: 'ref', name: rename(name) }));
        return args.length === 1 ? args[0]! : { op: node.quantifier === 'one' ? 'or' : 'and', args };
      }
    }
  };
  const extra = formatCondition(map(filter.condition));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detection)) if (k !== 'condition') out[k] = v;
  for (const name of names) out[rename(name)] = filter.selections[name];
  const conditions = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
  const combined = conditions.map((c) => `(${String(c)}) and (${extra})`);
  out.condition = combined.length === 1 ? combined[0] : combined;
  return out;
}

/**
 * Loads, validates and resolves the rules in the given files and folders.
 * Throws the first problem; with `skipUnsupported`, a rule the engine cannot
 * evaluate is left out (listed in `refused`) and only a broken one throws.
 */
export async function loadRules(paths: string[], options: { skipUnsupported?: boolean } = {}): Promise<LoadResult> {
  const { rules, skipped, problems, warnings } = await inspectRules(paths);
  const skip = options.skipUnsupported === true;
  const fatal = problems.find((p) => !(skip && p.unsupported));
  if (fatal) throw fatal;
  return { rules, skipped, warnings, refused: skip ? problems : [] };
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
  const warnings: string[] = [];
  const loaded: Loaded[] = [];
  const filters: Filter[] = [];
  /** Filters with a problem of their own: the rules they tune cannot run untuned. */
  const brokenFilters: { doc: Doc; unsupported: boolean }[] = [];
  const skippedKeys = new Set<string>();
  /** Names, ids and title slugs of rules with a problem → whether that problem is only unsupported. */
  const brokenKeys = new Map<string, boolean>();
  const files = await ruleFiles(paths, problems);
  // Problems sort by file in the order read: the paths that cannot be read first, then each file.
  const order = new Map<string, number>();
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  for (const file of files) if (!order.has(file)) order.set(file, order.size);
  for (const file of files) {
    for (const doc of await parseFile(file, problems)) {
      const before = skipped.length;
      const isFilter = Object.hasOwn(doc.data, 'filter') && !Object.hasOwn(doc.data, 'detection');
      let item: Loaded | null;
      try {
        if (isFilter) {
          const filter = toFilter(doc, skipped);
          if (filter) filters.push(filter);
          continue;
        }
        item = toRule(doc, skipped);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        problems.push(err);
        if (isFilter) brokenFilters.push({ doc, unsupported: err.unsupported });
        else for (const k of namesOf(doc.data)) brokenKeys.set(k, (brokenKeys.get(k) ?? true) && err.unsupported);
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
  const find = (ref: string): Loaded | undefined => byKey.get(ref) ?? byId.get(ref);

  // Field names are checked on the rules as written (a filter's fields are checked with the filter).
  for (const item of unique) {
    if (item.rule.kind === 'detection' || item.rule.kind === 'stateful') fieldWarnings(item.doc, item.rule.key, item.rule.detection, ['detection'], warnings);
  }

  /** Rules left out with a problem of their own → whether that problem is only unsupported. */
  const failed = new Map<Loaded, boolean>();
  applyFilters(filters, brokenFilters, unique, find, skippedKeys, brokenKeys, warnings, problems, failed);
  const dropped = resolveCorrelations(unique, find, skippedKeys, brokenKeys, skipped, problems, failed);

  const rules: Rule[] = [];
  for (const item of unique) if (!dropped.has(item) && !failed.has(item)) rules.push(item.rule);
  // Files in the order they were read, lines in order within each: stable
  // output however the problems were found.
  for (const p of problems) if (!order.has(p.file)) order.set(p.file, order.size);
  problems.sort((a, b) => order.get(a.file)! - order.get(b.file)! || (a.line ?? 0) - (b.line ?? 0));
  return { rules, skipped, problems, warnings };
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

/** The rule references of a filter document as written: null for `any`/`all`, [] when unreadable. */
function filterRefsOf(data: Record<string, unknown>): string[] | null {
  const f = data.filter;
  const raw = isMapValue(f) ? f.rules : undefined;
  if (typeof raw === 'string') return ['any', 'all'].includes(raw.toLowerCase()) ? null : [raw];
  if (Array.isArray(raw)) return raw.length === 0 ? null : raw.filter((r): r is string => typeof r === 'string');
  return [];
}

/**
 * ANDs each filter onto the detection rules it names (all of them for `rules:
 * any`). A filter with a problem is a problem for every rule it names too (of
 * the same kind): a rule never runs without the tuning it was given.
 */
function applyFilters(
  filters: Filter[],
  brokenFilters: { doc: Doc; unsupported: boolean }[],
  loaded: Loaded[],
  find: (ref: string) => Loaded | undefined,
  skippedKeys: Set<string>,
  brokenKeys: Map<string, boolean>,
  warnings: string[],
  problems: RuleError[],
  failed: Map<Loaded, boolean>,
): void {
  const fail = (item: Loaded, problem: RuleError): void => {
    if (failed.has(item)) return;
    problems.push(problem);
    failed.set(item, problem.unsupported);
  };
  for (const { doc, unsupported } of brokenFilters) {
    const refs = filterRefsOf(doc.data);
    const targets = refs === null ? loaded.filter((i) => i.rule.kind === 'detection') : refs.map(find).filter((t): t is Loaded => t?.rule.kind === 'detection');
    const label = optionalStringOr(doc.data, 'name') ?? optionalStringOr(doc.data, 'id') ?? optionalStringOr(doc.data, 'title') ?? doc.file;
    for (const target of targets) {
      fail(target, new RuleError(target.rule.file, keyLine(target), `rule '${target.rule.key}' is tuned by filter '${label}' (${doc.file}), which cannot be used (its own problem is reported) — fix that filter`, unsupported));
    }
  }
  filters.forEach((filter, n) => {
    const { doc } = filter;
    const targets: Loaded[] = [];
    try {
      if (filter.refs === null) {
        for (const item of loaded) if (item.rule.kind === 'detection') targets.push(item);
      } else {
        for (const [i, ref] of filter.refs.entries()) {
          const line = lineOf(doc, ['filter', 'rules', i]) ?? lineOf(doc, ['filter', 'rules']);
          const target = find(ref);
          if (!target) {
            if (skippedKeys.has(ref) || brokenKeys.has(ref)) continue;
            throw new RuleError(doc.file, line, `filter '${filter.key}' names rule '${ref}', which no loaded rule is named or has as id — fix the reference or load the file that defines it`);
          }
          if (target.rule.kind !== 'detection') {
            throw new RuleError(doc.file, line, `filter '${filter.key}' names '${ref}', a ${target.rule.kind} rule — filters tune detection rules: name the detection rules it ${target.rule.kind === 'correlation' ? 'correlates' : 'reads'} instead`);
          }
          if (!targets.includes(target)) targets.push(target);
        }
      }
      const tuned = targets.map((target) => {
        const detection = filtered((target.rule as DetectionRule).detection, filter, n);
        // Validated again as a whole; an error names the filter's file.
        compileDetection(detection, { file: doc.file });
        return detection;
      });
      targets.forEach((target, i) => ((target.rule as DetectionRule).detection = tuned[i]!));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      problems.push(err);
      const named = filter.refs === null ? targets : (filter.refs.map(find).filter((t) => t?.rule.kind === 'detection') as Loaded[]);
      for (const target of named) {
        fail(target, new RuleError(target.rule.file, keyLine(target), `rule '${target.rule.key}' is tuned by filter '${filter.key}' (${doc.file}), which cannot be used (its own problem is reported) — fix that filter`, err.unsupported));
      }
      return;
    }
    if (targets.length > 0) fieldWarnings(doc, filter.key, { ...filter.selections, condition: formatCondition(filter.condition) }, ['filter'], warnings);
  });
}

function optionalStringOr(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Why a correlation is left out without a problem of its own (a rule it needs was skipped). */
class Skip {
  constructor(readonly reason: string) {}
}

/**
 * Resolves each correlation's references (names or ids; detection rules or
 * other correlations, so chains work), its aliases, and `generate`. A
 * correlation that names a rule with a problem has a problem of its own (of
 * the same kind), so skipping one never leaves a correlation counting
 * nothing; one that names a skipped rule is skipped. Returns the correlations
 * left out as skipped; those with a problem go into `failed`.
 */
function resolveCorrelations(
  loaded: Loaded[],
  find: (ref: string) => Loaded | undefined,
  skippedKeys: Set<string>,
  brokenKeys: Map<string, boolean>,
  skipped: LoadResult['skipped'],
  problems: RuleError[],
  failed: Map<Loaded, boolean>,
): Set<Loaded> {
  const dropped = new Set<Loaded>();
  const correlations = loaded.filter((item) => item.rule.kind === 'correlation');
  checkCycles(correlations, find, problems, failed);
  // Resolve, then again for what names a correlation just left out, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const item of correlations) {
      if (dropped.has(item) || failed.has(item)) continue;
      try {
        resolveOne(item, find, skippedKeys, brokenKeys, dropped, failed);
      } catch (err) {
        if (err instanceof Skip) {
          skipped.push({ file: item.rule.file, reason: err.reason });
          dropped.add(item);
        } else if (err instanceof RuleError) {
          problems.push(err);
          failed.set(item, err.unsupported);
        } else throw err;
        changed = true;
      }
    }
  }
  const counted = new Map<string, boolean>(); // rule key → generate because a correlation says so
  for (const item of correlations) {
    if (dropped.has(item) || failed.has(item)) continue;
    for (const key of (item.rule as CorrelationRule).rules) counted.set(key, (counted.get(key) ?? false) || item.generateBase === true);
  }
  for (const item of loaded) {
    const rule = item.rule;
    if (rule.kind === 'detection' && counted.has(rule.key)) rule.generate = item.generateAlone || counted.get(rule.key) === true;
    if (rule.kind === 'correlation' && counted.has(rule.key)) rule.generate = counted.get(rule.key) === true;
  }
  return dropped;
}

/** One correlation's rules and aliases; throws a RuleError for a problem, a Skip when it must be skipped. */
function resolveOne(
  item: Loaded,
  find: (ref: string) => Loaded | undefined,
  skippedKeys: Set<string>,
  brokenKeys: Map<string, boolean>,
  dropped: Set<Loaded>,
  failed: Map<Loaded, boolean>,
): void {
  const rule = item.rule as CorrelationRule;
  const refLine = (i: number): number | null => lineOf(item.doc, ['correlation', 'rules', i]) ?? lineOf(item.doc, ['correlation', 'rules']);
  const keys: string[] = [];
  const byRef = new Map<string, Loaded>();
  for (const [i, ref] of item.refs!.entries()) {
    const target = find(ref);
    if (target && failed.has(target)) {
      throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' correlates rule '${ref}', which cannot be used (its own problem is reported) — fix that rule`, failed.get(target));
    }
    if (target ? dropped.has(target) : skippedKeys.has(ref)) throw new Skip(`${rule.key}: correlates rule '${ref}', which was skipped`);
    if (!target) {
      if (brokenKeys.has(ref)) {
        throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' correlates rule '${ref}', which cannot be used (its own problem is reported) — fix that rule`, brokenKeys.get(ref));
      }
      throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' correlates rule '${ref}', which no loaded rule is named or has as id — fix the reference or load the file that defines it`);
    }
    if (target.rule.kind !== 'detection' && target.rule.kind !== 'correlation') {
      throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' correlates '${ref}', a ${target.rule.kind} rule — a correlation can name only detection rules and other correlations`);
    }
    if (target === item) throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' names itself — name the rules it correlates`);
    if (keys.includes(target.rule.key)) throw new RuleError(rule.file, refLine(i), `correlation '${rule.key}' names rule '${ref}' twice — name each rule once`);
    keys.push(target.rule.key);
    byRef.set(ref, target);
  }
  rule.rules = keys;
  rule.aliases = resolveAliases(item, byRef);
  checkChainFields(item, keys.map((k) => find(k)!));
}

/** `aliases` with rule references resolved to keys; every alias used must give a field for every rule. */
function resolveAliases(item: Loaded, byRef: Map<string, Loaded>): Record<string, Record<string, string>> {
  const rule = item.rule as CorrelationRule;
  const at = (...path: string[]): number | null => lineOf(item.doc, ['correlation', 'aliases', ...path]);
  const out: Record<string, Record<string, string>> = {};
  for (const [alias, map] of Object.entries(item.aliasesRaw ?? {})) {
    out[alias] = {};
    for (const [ref, field] of Object.entries(map)) {
      const target = byRef.get(ref) ?? [...byRef.values()].find((t) => t.rule.key === ref || t.rule.id === ref);
      if (!target) {
        throw new RuleError(rule.file, at(alias, ref), `alias '${alias}' names rule '${ref}', which is not one of the rules this correlation names (${rule.rules.join(', ')}) — use one of their names`);
      }
      out[alias][target.rule.key] = field;
    }
    const used = rule.groupBy.includes(alias) || rule.field === alias;
    const missing = rule.rules.filter((k) => !Object.hasOwn(out[alias]!, k));
    if (used && missing.length > 0) {
      throw new RuleError(rule.file, at(alias), `alias '${alias}' gives no field for rule '${missing[0]}' — add '${missing[0]}: <field path>' under it`);
    }
    if (!used) {
      throw new RuleError(rule.file, at(alias), `alias '${alias}' is not used by group-by${rule.type === 'value_count' ? ' or condition.field' : ''} — use it or remove it`);
    }
  }
  return out;
}

/**
 * In a chain, a correlation's hits carry only their group: an outer
 * correlation can group by (and count) only fields the inner one groups by.
 */
function checkChainFields(item: Loaded, targets: Loaded[]): void {
  const rule = item.rule as CorrelationRule;
  const wanted = [...rule.groupBy, ...(rule.field !== undefined ? [rule.field] : [])];
  for (const target of targets) {
    if (target.rule.kind !== 'correlation') continue;
    const inner = target.rule;
    for (const name of wanted) {
      const field = rule.aliases[name]?.[inner.key] ?? name;
      if (!inner.groupBy.includes(field)) {
        throw new RuleError(rule.file, lineOf(item.doc, ['correlation', rule.field === name ? 'condition' : 'group-by']), `correlation '${rule.key}' reads '${field}' from the hits of correlation '${inner.key}', which groups only by ${inner.groupBy.join(', ') || 'nothing'} — group by those fields, or map an alias to one of them`);
      }
    }
  }
}

/**
 * Correlations that name each other in a loop: the one that closes the loop
 * has the problem; the others then name a rule that cannot be used.
 */
function checkCycles(correlations: Loaded[], find: (ref: string) => Loaded | undefined, problems: RuleError[], failed: Map<Loaded, boolean>): void {
  const state = new Map<Loaded, 'visiting' | 'done'>();
  const visit = (item: Loaded, path: string[]): void => {
    if (state.get(item) === 'done') return;
    if (state.get(item) === 'visiting') {
      if (!failed.has(item)) {
        problems.push(new RuleError(item.rule.file, lineOf(item.doc, ['correlation', 'rules']), `correlations name each other in a loop (${[...path, item.rule.key].join(' → ')}) — a chain must end in detection rules`));
        failed.set(item, false);
      }
      return;
    }
    state.set(item, 'visiting');
    for (const ref of item.refs ?? []) {
      const target = find(ref);
      if (target?.rule.kind === 'correlation' && target !== item) visit(target, [...path, item.rule.key]);
    }
    state.set(item, 'done');
  };
  for (const item of correlations) visit(item, []);
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
 * The rules `--rule` and `--min-level` pick, plus the rules a kept correlation
 * names, down its whole chain. `--rule` matches a rule's name as a glob
 * (picomatch, case-insensitive), or its title or id exactly
 * (case-insensitive: a title has spaces and brackets that a glob would read
 * as syntax). A picked rule keeps its `generate`: a base rule of a
 * correlation produces no hits of its own unless `generate` says so (Sigma),
 * however it was picked. A rule kept only because a picked correlation names
 * it produces none. No globs and no level keeps every rule. Every rule has a
 * known level (a missing one is read as medium when loading, an unknown one
 * is a load error).
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
  const byKey = new Map(rules.map((r) => [r.key, r]));
  const keep = new Set<string>();
  const add = (key: string): void => {
    if (keep.has(key)) return;
    keep.add(key);
    const rule = byKey.get(key);
    if (rule?.kind === 'correlation') rule.rules.forEach(add);
  };
  picked.forEach(add);
  const out: Rule[] = [];
  for (const r of rules) {
    if (picked.has(r.key)) out.push(r);
    else if (keep.has(r.key)) out.push((r.kind === 'detection' || r.kind === 'correlation') && r.generate ? { ...r, generate: false } : r);
  }
  return out;
}
