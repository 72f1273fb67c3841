// Parsed, validated options. Everything a flag can get wrong is caught here
// and reported as a UsageError naming the flag and the way out.

import { availableParallelism } from 'node:os';
import { UsageError } from './errors.js';
import { FORMATS, type Format } from './output/formats.js';
import { LEVEL_ORDER, type Level } from './rules/types.js';

/**
 * Which events count, as every store, reader and scanner reads it: `--since`
 * (inclusive) and `--until` (exclusive) on eventTime, `--account`,
 * `--region`. Plain data: it crosses to the workers as it is.
 */
export interface Scope {
  /** Epoch ms; -Infinity when open. */
  sinceMs: number;
  /** Epoch ms; Infinity when open. */
  untilMs: number;
  /** Empty = all. */
  accounts: string[];
  /** Empty = all. */
  regions: string[];
}

export interface HuntOptions {
  sources: string[];
  scope: Scope;
  /** `--rules` paths; empty = the bundled pack. */
  rulePaths: string[];
  /** `--rule`: globs on rule names, or exact titles or ids; empty = all. */
  ruleGlobs: string[];
  /** `--min-level`: only rules at or above this Sigma level; null = all. */
  minLevel: Level | null;
  /** `--skip-unsupported`: a rule the engine cannot evaluate is a warning, not an exit-2 error. */
  skipUnsupported: boolean;
  format: Format;
  /** `--output`: write the hits to this file (atomically) instead of stdout. */
  output?: string;
  /** `--report`: also write the HTML report here. */
  report?: string;
  /** `--wide`: table cells whole, whatever the width. */
  wide: boolean;
  /** `--events`: hits carry their whole records. */
  events: boolean;
  /** `--context`: the timeline around each timed hit, this far before and after (ms); 0 = none. */
  contextMs: number;
  workers: number;
  /** S3 GetObject requests in flight at most, over all workers. */
  maxRequests: number;
  profile?: string;
  endpointUrl?: string;
  credentialReport?: string;
  failOnHits: boolean;
  progress: boolean;
  quiet: boolean;
  color: boolean;
  /** Where events are read and filtered: hunt's own workers, DuckDB over the same files, or Amazon Athena. */
  engine: 'local' | 'duckdb' | 'athena';
  athena: AthenaOptions;
  /** Print the engine's SQL instead of hunting. */
  dryRun: boolean;
  /** Parse only records that hold a rule literal (`HUNT_PREFILTER=off` turns it off). */
  prefilter: boolean;
}

export interface AthenaOptions {
  database: string;
  table: string;
  workgroup?: string;
  /** s3:// location for query results (needed unless the workgroup sets one). */
  output?: string;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+)([smhdw])$/;
// A date, or a date and time with optional seconds, fraction and offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `30d`, `12h`, `90m` (back from now) or an ISO 8601 date/time, UTC unless an
 * offset is given. Returns epoch ms.
 */
export function parseTime(flag: string, value: string, nowMs: number): number {
  const v = value.trim();
  const d = DURATION.exec(v);
  if (d) return nowMs - Number(d[1]) * UNIT_MS[d[2]!]!;
  const m = ISO.exec(v);
  if (m) {
    let text = v.replace(' ', 'T');
    if (m[4] === undefined) text += 'T00:00:00Z';
    else if (m[7] === undefined) text += 'Z';
    const t = Date.parse(text);
    // Date.parse rolls 2026-02-30 over to March: compare the date back.
    if (Number.isFinite(t) && (m[7] !== undefined || new Date(t).toISOString().slice(0, 10) === v.slice(0, 10))) return t;
  }
  throw new UsageError(
    `--${flag} ${JSON.stringify(value)}: not a duration or a date; use e.g. 30d, 12h, 90m, 2026-10-01 or 2026-10-01T12:00:00Z`,
  );
}

/** `--min-level high`: a Sigma level, any case. */
export function parseLevel(value: string): Level {
  const level = value.trim().toLowerCase();
  if (!(LEVEL_ORDER as readonly string[]).includes(level)) {
    throw new UsageError(`--min-level ${JSON.stringify(value)}: choose ${LEVEL_ORDER.join(', ')}`);
  }
  return level as Level;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export interface RawOptions {
  source?: string[];
  since?: string;
  until?: string;
  rules?: string[];
  rule?: string[];
  minLevel?: string;
  skipUnsupported?: boolean;
  account?: string[];
  region?: string[];
  format?: string;
  workers?: number;
  maxRequests?: number;
  profile?: string;
  endpointUrl?: string;
  credentialReport?: string;
  failOnHits?: boolean;
  progress?: boolean;
  quiet?: boolean;
  engine?: string;
  athenaDatabase?: string;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  dryRun?: boolean;
  output?: string;
  report?: string;
  wide?: boolean;
  events?: boolean;
  context?: string;
}

export interface OptionEnv {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  noColor: boolean;
  /** Colour decided by the caller (NO_COLOR, FORCE_COLOR, the terminal); default: not NO_COLOR and a terminal. */
  color?: boolean;
  nowMs: number;
  /** `HUNT_PREFILTER` (benchmarks and tests turn the prefilter off with `off`). */
  prefilter?: string;
}

export function resolveOptions(raw: RawOptions, env: OptionEnv): HuntOptions {
  const sources = (raw.source ?? []).filter((s) => s !== '');
  const engine = raw.engine ?? 'local';
  if (engine !== 'local' && engine !== 'duckdb' && engine !== 'athena') {
    throw new UsageError(`--engine ${engine}: choose local, duckdb or athena`);
  }
  if (engine === 'athena' && sources.length > 0) {
    throw new UsageError('--engine athena reads the Athena table (--athena-database, --athena-table), not --source: drop --source');
  }
  if (engine !== 'athena' && (raw.athenaDatabase || raw.athenaTable || raw.athenaWorkgroup || raw.athenaOutput)) {
    throw new UsageError('--athena-* flags need --engine athena');
  }
  if (raw.athenaOutput !== undefined && !raw.athenaOutput.startsWith('s3://')) {
    throw new UsageError(`--athena-output ${raw.athenaOutput}: give an S3 location such as s3://my-athena-results/hunt/`);
  }
  if (raw.dryRun && engine === 'local') throw new UsageError('--dry-run prints SQL: use it with --engine duckdb or athena');
  if (sources.length === 0 && !raw.credentialReport && engine !== 'athena') {
    throw new UsageError('nothing to hunt: give --source <folder|file|s3://bucket/prefix> and/or --credential-report <file.csv>');
  }
  const sinceMs = raw.since !== undefined ? parseTime('since', raw.since, env.nowMs) : -Infinity;
  const untilMs = raw.until !== undefined ? parseTime('until', raw.until, env.nowMs) : Infinity;
  if (sinceMs >= untilMs) {
    throw new UsageError(`--until ${raw.until} is not after --since ${raw.since}: the window would be empty; swap them`);
  }
  for (const a of raw.account ?? []) {
    if (!ACCOUNT.test(a)) throw new UsageError(`--account ${JSON.stringify(a)}: an AWS account id is 12 digits`);
  }
  for (const r of raw.region ?? []) {
    if (!REGION.test(r)) throw new UsageError(`--region ${JSON.stringify(r)}: not an AWS region name such as us-east-1`);
  }
  for (const r of raw.rule ?? []) {
    if (r.trim() === '') throw new UsageError(`--rule needs a rule name (glob), title or id, e.g. --rule 'aws-iam-*' — hunt rules lists them`);
  }
  const minLevel = raw.minLevel === undefined ? null : parseLevel(raw.minLevel);
  const cores = availableParallelism();
  const workers = raw.workers ?? cores;
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new UsageError(`--workers ${raw.workers}: give a whole number from 1 to 256 (default: ${cores}, the cores)`);
  }
  const maxRequests = raw.maxRequests ?? 16;
  if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > 1024) {
    throw new UsageError(`--max-requests ${raw.maxRequests}: give a whole number from 1 to 1024 (default: 16)`);
  }
  for (const s of sources) {
    if (s.startsWith('s3:') && !s.startsWith('s3://')) throw new UsageError(`--source ${s}: an S3 source is written s3://bucket[/prefix]`);
  }
  if (raw.endpointUrl !== undefined && !/^https?:\/\/[^/]/.test(raw.endpointUrl)) {
    throw new UsageError(`--endpoint-url ${raw.endpointUrl}: give a URL such as http://127.0.0.1:9000`);
  }
  const format = (raw.format ?? (env.stdoutIsTTY && raw.output === undefined ? 'table' : 'ndjson')) as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format ${format}: choose ${FORMATS.join(', ')}`);
  }
  let contextMs = 0;
  if (raw.context !== undefined) {
    const m = DURATION.exec(raw.context.trim());
    if (!m || Number(m[1]) === 0) {
      throw new UsageError(`--context ${JSON.stringify(raw.context)}: give how far around each hit to look, such as 30m, 1h or 1d`);
    }
    contextMs = Number(m[1]) * UNIT_MS[m[2]!]!;
    if (engine === 'athena') throw new UsageError('--context reads the objects again around each hit: use it with --source (--engine local or duckdb), not --engine athena');
  }
  if (raw.output !== undefined && raw.output.trim() === '') throw new UsageError('--output needs a file name');
  if (raw.report !== undefined && raw.report.trim() === '') throw new UsageError('--report needs a file name, such as report.html');
  return {
    sources,
    scope: { sinceMs, untilMs, accounts: raw.account ?? [], regions: raw.region ?? [] },
    rulePaths: raw.rules ?? [],
    ruleGlobs: raw.rule ?? [],
    minLevel,
    skipUnsupported: raw.skipUnsupported ?? false,
    format,
    workers,
    maxRequests,
    profile: raw.profile,
    endpointUrl: raw.endpointUrl,
    credentialReport: raw.credentialReport,
    failOnHits: raw.failOnHits ?? false,
    progress: (raw.progress ?? true) && !raw.quiet && env.stderrIsTTY,
    quiet: raw.quiet ?? false,
    color: env.color ?? (!env.noColor && env.stdoutIsTTY),
    engine,
    athena: {
      database: raw.athenaDatabase ?? 'default',
      table: raw.athenaTable ?? 'cloudtrail_logs',
      workgroup: raw.athenaWorkgroup,
      output: raw.athenaOutput,
    },
    dryRun: raw.dryRun ?? false,
    ...(raw.output !== undefined ? { output: raw.output } : {}),
    ...(raw.report !== undefined ? { report: raw.report } : {}),
    wide: raw.wide ?? false,
    events: raw.events ?? false,
    contextMs,
    prefilter: env.prefilter?.toLowerCase() !== 'off',
  };
}
