// The report of a real hunt over the bundled samples/, for the browser tests:
// the hits are the built CLI's NDJSON with --events and --context 1h; the
// coverage is counted here by walking samples/ the way the hunt lists it.
// (The README screenshot uses the CLI's own --report.)

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ReportHit, ReportInput } from '../../src/output/report.js';
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


/** Runs `hunt --source samples --format ndjson` from the checkout and builds its report input. */
export async function samplesReportInput(generatedAt = new Date().toISOString()): Promise<ReportInput> {
  const args = ['--source', 'samples', '--format', 'ndjson', '--no-progress', '--events', '--context', '1h'];
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
