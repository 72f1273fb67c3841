// The report of a real hunt over the bundled samples/, for the browser tests
// and the README screenshot. The hits are the built CLI's NDJSON; what the
// CLI does not write yet (`events`, `context`, and `target`/`fields` on older
// builds) is read here from the same sample objects, and the coverage is
// counted here by walking samples/ the way the hunt lists it.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ReportContextEvent, ReportHit, ReportInput } from '../../src/output/report.js';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';

/** The checkout: scripts/report/ in the source tree, dist/scripts/report/ when built. */
export const ROOT = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  const up = resolve(here, '../..');
  return up.endsWith(`${sep}dist`) ? dirname(up) : up;
})();

type Record_ = Record<string, unknown>;
interface Read {
  record: Record_;
  source: string;
}

const CONTEXT_MS = 60 * 60_000;

/** Runs `hunt --source samples --format ndjson` from the checkout and builds its report input. */
export async function samplesReportInput(generatedAt = new Date().toISOString()): Promise<ReportInput> {
  const args = ['--source', 'samples', '--format', 'ndjson', '--no-progress'];
  const cli = join(ROOT, 'dist/src/bin.js');
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    throw new Error(`hunt ${args.join(' ')} exited ${run.status} (is it built? npm run build):\n${run.stderr}`);
  }
  const hits = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ReportHit);

  const { records, scanned, skipped } = readSamples();
  const byID = new Map<string, Read>();
  for (const r of records) if (typeof r.record.eventID === 'string') byID.set(r.record.eventID, r);

  for (const hit of hits) {
    const events = hit.eventIDs.map((id) => byID.get(id)).filter((r): r is Read => r !== undefined);
    events.sort((a, b) => cmpEvent(a.record, b.record));
    if (events.length > 0) hit.events = events.map((r) => r.record);
    if (hit.target === undefined) hit.target = targetOf(hit, events[0]?.record);
    if (hit.fields === undefined) hit.fields = {};
    if (hit.time !== null && hit.lastTime !== null) hit.context = contextOf(hit, records);
  }

  const times = records.map((r) => String(r.record.eventTime)).sort();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const rules = (await loadRules([bundledRulesDir()])).rules;
  return {
    hits,
    coverage: {
      sources: ['samples'],
      window: { since: null, until: null },
      eventRange: { first: times[0] ?? null, last: times[times.length - 1] ?? null },
      objects: { scanned, skipped, failed: [] },
      records: records.length,
      rules: rules.map((r) => ({ name: r.key, title: r.title, level: r.level })),
      commandLine: args,
      version: pkg.version,
      generatedAt,
    },
  };
}

/** Every record of every log object under samples/AWSLogs, with the reference the CLI prints. */
function readSamples(): { records: Read[]; scanned: number; skipped: { reason: string; count: number }[] } {
  const records: Read[] = [];
  let scanned = 0;
  let digests = 0;
  let other = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        // The hunt never lists digest folders; count them as it does, unopened.
        if (entry.name === 'CloudTrail-Digest') digests++;
        else walk(full);
      } else if (/\.json(\.gz)?$/.test(entry.name) && full.includes(`${sep}CloudTrail${sep}`)) {
        scanned++;
        const bytes = readFileSync(full);
        const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
        const source = relative(ROOT, full).split(sep).join('/');
        for (const record of (JSON.parse(text) as { Records: Record_[] }).Records) records.push({ record, source });
      } else if (entry.name !== 'credential-report.csv') other++; // the CSV is read as a credential report
    }
  };
  walk(join(ROOT, 'samples'));
  const skipped = [];
  if (digests) skipped.push({ reason: 'unlisted (CloudTrail-Digest)', count: digests });
  if (other) skipped.push({ reason: 'unopened (not a .json/.json.gz log)', count: other });
  return { records, scanned, skipped };
}

function cmpEvent(a: Record_, b: Record_): number {
  const x = `${String(a.eventTime)}\u0000${String(a.eventID)}`;
  const y = `${String(b.eventTime)}\u0000${String(b.eventID)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function get(record: Record_ | undefined, path: string): unknown {
  let v: unknown = record;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record_)[k] : undefined;
  return v;
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Who acted, as hunt's `actor` reads it. */
function actorOf(r: Record_): string | null {
  return (
    strOrNull(get(r, 'userIdentity.userName')) ??
    strOrNull(get(r, 'userIdentity.arn')) ??
    strOrNull(get(r, 'userIdentity.principalId')) ??
    strOrNull(get(r, 'userIdentity.type'))
  );
}

/** The IAM user an event is about: the user it names, else its IAM caller. */
function eventTarget(r: Record_): string | null {
  return strOrNull(get(r, 'requestParameters.userName')) ?? strOrNull(get(r, 'userIdentity.userName'));
}

/** DESIGN's `target`, for CLI builds that do not write it yet. */
function targetOf(hit: ReportHit, first: Record_ | undefined): string | null {
  for (const key of ['userName', 'userIdentity.userName', 'user']) {
    const v = strOrNull(hit.group[key]);
    if (v) return v;
  }
  return first ? eventTarget(first) : null;
}

/** DESIGN's `context` with a one-hour margin, read from all sample records. */
function contextOf(hit: ReportHit, records: Read[]): ReportContextEvent[] {
  const from = Date.parse(hit.time!) - CONTEXT_MS;
  const to = Date.parse(hit.lastTime!) + CONTEXT_MS;
  const people = new Set([hit.actor, hit.target].filter((p): p is string => !!p).map((p) => p.toLowerCase()));
  const inHit = new Set(hit.eventIDs);
  const seen = new Set<string>();
  const out: Read[] = [];
  for (const r of records) {
    const t = Date.parse(String(r.record.eventTime));
    if (!(t >= from && t <= to) || r.record.recipientAccountId !== hit.account) continue;
    const actor = actorOf(r.record)?.toLowerCase();
    const target = eventTarget(r.record)?.toLowerCase();
    const sameIP = hit.sourceIPAddress !== null && r.record.sourceIPAddress === hit.sourceIPAddress;
    if (!sameIP && !(actor && people.has(actor)) && !(target && people.has(target))) continue;
    const id = String(r.record.eventID);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(r);
  }
  out.sort((a, b) => cmpEvent(a.record, b.record));
  return out.map(({ record, source }) => ({
    time: String(record.eventTime),
    eventName: strOrNull(record.eventName),
    eventSource: strOrNull(record.eventSource),
    actor: actorOf(record),
    target: eventTarget(record),
    sourceIPAddress: strOrNull(record.sourceIPAddress),
    errorCode: strOrNull(record.errorCode),
    eventID: strOrNull(record.eventID),
    source,
    inHit: typeof record.eventID === 'string' && inHit.has(record.eventID),
  }));
}
