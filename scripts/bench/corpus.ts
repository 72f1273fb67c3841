// The benchmark corpus: written once into `.bench/corpus-<size>-<seed>/` (git-ignored)
// from scripts/corpus.ts, with the bundled samples' incidents planted, and reused
// by every later run. `manifest.json` is written last, so a half-written corpus
// (an interrupted run) is regenerated rather than measured.
//
// Generation is split by account over child processes (one per core): each
// writes its own streams, so the corpus is the same whatever the core count.

import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AccountProfile, type HourContext, type Planted, defaultProfile, generateCorpus } from '../corpus.js';
import { ACCOUNT_A, ACCOUNT_B, START, DAYS, stories } from '../make-samples.js';

export type Size = 'small' | 'full';

export interface Manifest {
  size: Size;
  seed: string;
  files: number;
  gzBytes: number;
  rawBytes: number;
  records: number;
  /** Paths relative to the corpus folder. */
  paths: string[];
}

const REGIONS: Record<Size, string[]> = {
  small: ['us-east-1', 'eu-west-1'],
  full: ['us-east-1', 'eu-west-1', 'us-west-2'],
};

function accounts(size: Size): AccountProfile[] {
  const list = [ACCOUNT_A, ACCOUNT_B];
  if (size === 'full') list.push(defaultProfile('210987654321', ACCOUNT_A.organizationId), defaultProfile('555566667777'));
  return list;
}

/** One file per account, region and hour (the small corpus: every 12 hours); 100–3,000 records a file, the home region busiest. */
const filesPerHour = (size: Size) => (ctx: HourContext): number =>
  size === 'full' ? 1 : new Date(ctx.hourMs).getUTCHours() % 12 === 0 ? 1 : 0;
const recordsPerFile = (ctx: HourContext, rng: { between(lo: number, hi: number): number }): number =>
  ctx.region === 'us-east-1' ? rng.between(300, 3000) : rng.between(100, 1200);

export function corpusDir(root: string, size: Size, seed: string): string {
  return join(root, `corpus-${size}-${seed}`);
}

/** The corpus's manifest, generating the corpus first when it is missing. */
export async function ensureCorpus(root: string, size: Size, seed: string, log: (line: string) => void): Promise<Manifest> {
  const dir = corpusDir(root, size, seed);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ids = accounts(size).map((a) => a.id);
  const procs = Math.max(1, Math.min(cpus().length, ids.length));
  log(`generating the ${size} corpus (seed ${seed}) into ${dir} with ${procs} processes…`);
  const started = Date.now();
  const parts = await Promise.all(
    Array.from({ length: procs }, (_, i) => {
      const mine = ids.filter((_, k) => k % procs === i);
      return new Promise<Manifest>((resolve, reject) => {
        const child = fork(fileURLToPath(import.meta.url), ['--generate', dir, size, seed, mine.join(',')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.on('message', (m) => resolve(m as Manifest));
        child.on('error', reject);
        child.on('exit', (code) => code !== 0 && reject(new Error(`corpus generator exited with ${code}`)));
      });
    }),
  );
  const manifest: Manifest = { size, seed, files: 0, gzBytes: 0, rawBytes: 0, records: 0, paths: [] };
  for (const p of parts) {
    manifest.files += p.files;
    manifest.gzBytes += p.gzBytes;
    manifest.rawBytes += p.rawBytes;
    manifest.records += p.records;
    manifest.paths.push(...p.paths);
  }
  manifest.paths.sort();
  writeFileSync(manifestPath, JSON.stringify(manifest));
  log(`generated ${manifest.files} files, ${(manifest.rawBytes / 1e6).toFixed(0)} MB uncompressed, ${manifest.records} records in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return manifest;
}

/** Child process: writes the streams of some accounts and reports what it wrote. */
function generatePart(dir: string, size: Size, seed: string, ids: string[]): Manifest {
  const mine = accounts(size).filter((a) => ids.includes(a.id));
  const planted: Planted[] = stories()
    .flatMap((s) => s.events)
    .filter((e) => ids.includes(String(e.record.recipientAccountId)))
    .map((e) => ({ record: e.record, copies: e.copies }));
  const m: Manifest = { size, seed, files: 0, gzBytes: 0, rawBytes: 0, records: 0, paths: [] };
  for (const o of generateCorpus({
    seed: `${seed}/${size}`,
    accounts: mine,
    regions: REGIONS[size],
    start: START,
    days: DAYS,
    filesPerHour: filesPerHour(size),
    recordsPerFile,
    planted,
  })) {
    if (o.kind !== 'log') continue;
    const path = join(dir, o.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.body);
    m.files++;
    m.gzBytes += o.body.length;
    m.rawBytes += o.rawBytes;
    m.records += o.records;
    m.paths.push(o.key);
  }
  return m;
}

if (process.argv[2] === '--generate') {
  const [dir, size, seed, ids] = process.argv.slice(3) as [string, Size, string, string];
  process.send!(generatePart(dir, size, seed, ids.split(',')));
  process.disconnect();
}
