// `npm run bench` (after `npx tsc -p .`): how fast does hunt go compared with
// merely decompressing the logs, and with what a responder would script?
//
//   node dist/scripts/bench.js [--size small|full] [--seed S] [--runs N] [--cores N]
//                              [--no-jq] [--no-x4] [--only floor,jq,w1,wN,off,noliteral,context,s3]
//                              [--baseline other-checkout/dist/src/bin.js]
//
// On one corpus (generated once, cached under .bench/, see scripts/bench/corpus.ts),
// with a warm page cache, it times each of these at least 3 times:
//   floor      gzip -dc of every file, <cores> processes (xargs -P)
//   jq         zcat | jq answering seed 002's question (ConsoleLogin failures
//              with MFAUsed Yes), <cores> pipelines
//   w1, wN     hunt --workers 1 and --workers <cores>, NDJSON to a file
//   off        hunt --workers <cores> with the prefilter off (HUNT_PREFILTER=off)
//   noliteral  hunt --workers <cores> with a rule no literal can prefilter
//              (a regex on userAgent): every record is parsed
//   context    hunt --workers <cores> --context 1h: the hunt plus its second pass
//              around the hits (its hits, context left out, must equal w1's)
//   s3         hunt --workers <cores> from the tests' local S3 server (s3rver, a
//              child process) holding the corpus; CPU s adds the server's CPU
//              during the run, to tell which side is the limit
//   base       --baseline's hunt --workers <cores> (before/after comparisons)
//   x4         hunt --workers <cores> over 4 copies of the corpus
//              (memory check; eventIDs repeat, so hits are the same), once
// CPU s is GNU time's user + system seconds, all threads (median).
// Peak RSS is GNU time's "Maximum resident set size" (/usr/bin/time -v): for
// hunt, the whole process with its worker threads; for the xargs rows, the
// largest single process. Without GNU time, RSS is left blank.
// The NDJSON of wN (and off) must equal that of w1: checked, and the bench
// fails (exit 1) when it differs. Results go to stdout as a table and to
// .bench/results/<timestamp>.json.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusDir, ensureCorpus, type Manifest, type Size } from './bench/corpus.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH = join(ROOT, '.bench');
const CLI = join(ROOT, 'dist/src/bin.js');
const GNU_TIME = '/usr/bin/time';

interface Args {
  size: Size;
  seed: string;
  runs: number;
  cores: number;
  jq: boolean;
  x4: boolean;
  only?: Set<string>;
  /** Another build's cli.js, measured as the row `base` (e.g. the code before a change). */
  baseline?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { size: 'full', seed: '1', runs: 3, cores: cpus().length, jq: true, x4: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v!;
    };
    if (flag === '--size') {
      const v = value();
      if (v !== 'small' && v !== 'full') usage(`--size is small or full, not ${v}`);
      a.size = v as Size;
    } else if (flag === '--seed') a.seed = value();
    else if (flag === '--runs') a.runs = Math.max(1, Number(value()));
    else if (flag === '--cores') a.cores = Math.max(1, Number(value()));
    else if (flag === '--no-jq') a.jq = false;
    else if (flag === '--no-x4') a.x4 = false;
    else if (flag === '--only') a.only = new Set(value().split(','));
    else if (flag === '--baseline') a.baseline = resolve(value());
    else usage(`unknown option ${flag}`);
  }
  return a;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node dist/scripts/bench.js [--size small|full] [--seed S] [--runs N] [--cores N] [--no-jq] [--no-x4] [--only floor,jq,w1,wN,off,noliteral,context,s3] [--baseline other/dist/src/bin.js]\n`);
  process.exit(2);
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Timing {
  seconds: number;
  rssKb: number | null;
  /** User + system CPU seconds (GNU time), all threads. */
  cpu: number | null;
}

/** Runs a shell command, timing it (wall clock) and taking its peak RSS from GNU time. */
function timed(command: string, env: Record<string, string> = {}): Promise<Timing> {
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? [GNU_TIME, '-v', 'sh', '-c', command] : ['sh', '-c', command];
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0 && code !== 3) {
        reject(new Error(`command failed (exit ${code}): ${command}\n${stderr.slice(-2000)}`));
        return;
      }
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      resolvePromise({ seconds, rssKb: rss ? Number(rss[1]) : null, cpu: user && system ? Number(user[1]) + Number(system[1]) : null });
    });
  });
}

interface Row {
  name: string;
  what: string;
  runs: number[];
  min: number;
  median: number;
  rssMb: number | null;
  /** Median user + system CPU seconds of the command. */
  cpu: number | null;
  /** Median CPU seconds of the local S3 server during a run (row s3). */
  serverCpu?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function measure(name: string, what: string, runs: number, command: string, env?: Record<string, string>, around?: () => () => number): Promise<Row> {
  const times: Timing[] = [];
  const server: number[] = [];
  for (let i = 0; i < runs; i++) {
    const done = around?.();
    times.push(await timed(command, env));
    if (done) server.push(done());
    log(`  ${name} run ${i + 1}: ${times[i]!.seconds.toFixed(2)} s`);
  }
  const seconds = times.map((t) => t.seconds);
  const rss = times.map((t) => t.rssKb).filter((x): x is number => x !== null);
  const cpu = times.map((t) => t.cpu).filter((x): x is number => x !== null);
  return {
    name,
    what,
    runs: seconds,
    min: Math.min(...seconds),
    median: median(seconds),
    rssMb: rss.length ? Math.max(...rss) / 1024 : null,
    cpu: cpu.length ? median(cpu) : null,
    ...(server.length ? { serverCpu: median(server) } : {}),
  };
}

/** CPU seconds a process has used so far (Linux /proc), or null. */
function cpuOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const NO_LITERAL_RULE = `title: Scripted user agent (no usable literal)
name: bench-no-literal
id: 0b5e1d2c-4f6a-4b8c-9d0e-1f2a3b4c5d6e
status: experimental
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    userAgent|re: '^(python-requests|curl|Go-http-client)/'
  condition: selection
level: low
`;

const JQ_FILTER =
  '.Records[] | select(.eventName == "ConsoleLogin" and ((.responseElements.ConsoleLogin // "") | ascii_downcase) == "failure" and ((.additionalEventData.MFAUsed // "") | ascii_downcase) == "yes") | .eventID';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (n: string): boolean => !args.only || args.only.has(n);
  if (!existsSync(CLI)) usage(`${CLI} is missing: build first (npx tsc -p .)`);
  mkdirSync(join(BENCH, 'results'), { recursive: true });
  const manifest: Manifest = await ensureCorpus(BENCH, args.size, args.seed, log);
  const dir = corpusDir(BENCH, args.size, args.seed);
  const work = join(BENCH, 'work');
  mkdirSync(work, { recursive: true });

  // xargs input: NUL-separated paths, split so every process gets work.
  const list = join(work, 'files.lst');
  writeFileSync(list, manifest.paths.map((p) => join(dir, p)).join('\0'));
  const per = Math.max(1, Math.ceil(manifest.files / (args.cores * 16)));
  const xargs = `xargs -0 -a ${q(list)} -P ${args.cores} -n ${per}`;
  const mb = manifest.rawBytes / 1e6;
  log(`corpus: ${manifest.files} files, ${(manifest.gzBytes / 1e6).toFixed(0)} MB gzipped, ${mb.toFixed(0)} MB uncompressed, ${manifest.records} records; ${args.cores} cores, ${args.runs} runs each`);

  log('warming the page cache…');
  await timed(`${xargs} cat > /dev/null`);

  const rows: Row[] = [];
  const out = (name: string): string => join(work, `${name}.ndjson`);
  const hunt = (name: string, workers: number, extra = '', cli = CLI): string =>
    `node ${q(cli)} --source ${q(dir)} --format ndjson --no-progress --workers ${workers} ${extra} > ${q(out(name))} 2> ${q(join(work, `${name}.err`))}`;

  if (want('floor')) rows.push(await measure('floor', `gzip -dc, ${args.cores} processes (xargs -P)`, args.runs, `${xargs} gzip -dc > /dev/null`));
  if (want('jq') && args.jq) {
    if (spawnSync('sh', ['-c', 'command -v jq'], { stdio: 'ignore' }).status === 0) {
      rows.push(await measure('jq', `zcat \\| jq (ConsoleLogin failures, MFAUsed Yes), ${args.cores} pipelines`, args.runs, `${xargs} sh -c ${q(`zcat "$@" | jq -c ${q(JQ_FILTER)}`)} sh > ${q(out('jq'))}`));
    } else {
      log('jq not installed, skipped');
    }
  }
  if (want('w1')) rows.push(await measure('w1', 'hunt --workers 1', args.runs, hunt('w1', 1)));
  if (want('wN')) rows.push(await measure('wN', `hunt --workers ${args.cores}`, args.runs, hunt('wN', args.cores)));
  if (want('off')) rows.push(await measure('off', `hunt --workers ${args.cores}, HUNT_PREFILTER=off`, args.runs, hunt('off', args.cores), { HUNT_PREFILTER: 'off' }));
  if (want('context')) rows.push(await measure('context', `hunt --workers ${args.cores} --context 1h`, args.runs, hunt('context', args.cores, '--context 1h')));
  if (want('s3')) {
    // The same corpus from a local S3 server (s3rver, the tests' own), in a
    // child process whose CPU is read around each run: which side limits?
    const { startS3Server } = await import('../test/helpers/s3-server.js');
    const s3 = await startS3Server();
    try {
      log('uploading the corpus to the local S3 server…');
      await s3.putAll('bench', manifest.paths.map((p): [string, Uint8Array] => [p, readFileSync(join(dir, p))]));
      const around = (): (() => number) => {
        const before = cpuOf(s3.pid) ?? 0;
        return () => (cpuOf(s3.pid) ?? 0) - before;
      };
      const cmd = `node ${q(CLI)} --source s3://bench --endpoint-url ${q(s3.endpoint)} --format ndjson --no-progress --workers ${args.cores} > ${q(out('s3'))} 2> ${q(join(work, 's3.err'))}`;
      rows.push(await measure('s3', `hunt --workers ${args.cores} from a local S3 server (s3rver)`, args.runs, cmd, {}, around));
    } finally {
      await s3.stop();
    }
  }
  if (args.baseline) rows.push(await measure('base', `baseline hunt --workers ${args.cores} (${args.baseline})`, args.runs, hunt('base', args.cores, '', args.baseline)));
  if (want('noliteral')) {
    const rule = join(work, 'no-literal.yml');
    writeFileSync(rule, NO_LITERAL_RULE);
    rows.push(await measure('noliteral', `hunt --workers ${args.cores}, a rule with no literal (re on userAgent)`, args.runs, hunt('noliteral', args.cores, `--rules ${q(rule)}`)));
  }
  if (want('x4') && args.x4) {
    // Real copies: hunt reads a file reached twice (the same device and inode,
    // as hard links are) once, so linked copies would measure the corpus 1×.
    const copies = join(BENCH, `x4-copies-${args.size}-${args.seed}`);
    if (!existsSync(join(copies, 'done'))) {
      for (let c = 1; c <= 4; c++) {
        for (const p of manifest.paths) {
          const to = join(copies, String(c), p);
          mkdirSync(dirname(to), { recursive: true });
          if (!existsSync(to)) copyFileSync(join(dir, p), to);
        }
      }
      writeFileSync(join(copies, 'done'), '');
    }
    const sources = [1, 2, 3, 4].map((c) => `--source ${q(join(copies, String(c)))}`).join(' ');
    const cmd = `node ${q(CLI)} ${sources} --format ndjson --no-progress --workers ${args.cores} > ${q(out('x4'))} 2> ${q(join(work, 'x4.err'))}`;
    const row = await measure('x4', `hunt --workers ${args.cores}, the corpus 4× (memory check)`, 1, cmd);
    rows.push(row);
  }

  // The hits of every hunt over the corpus must be those of --workers 1.
  const problems: string[] = [];
  if (existsSync(out('w1'))) {
    const reference = readFileSync(out('w1'), 'utf8');
    if (reference.trim() === '') problems.push('hunt --workers 1 found no hits: the planted incidents are missing');
    // x4 reads every object 4 times under 4 folders: its hits list 4× the sources, the rest is the same.
    const withoutSources = (ndjson: string): string =>
      ndjson.split('\n').filter(Boolean).map((l) => JSON.stringify({ ...(JSON.parse(l) as object), sources: undefined })).join('\n');
    const withoutContext = (ndjson: string): string =>
      ndjson.split('\n').filter(Boolean).map((l) => JSON.stringify({ ...(JSON.parse(l) as object), context: undefined })).join('\n');
    // base is another version: its hits may differ on purpose (a new rule, a new field); said, not fatal.
    if (rows.some((r) => r.name === 'base') && readFileSync(out('base'), 'utf8') !== reference) {
      log(`note: the baseline's hits differ from this version's (expected when the versions' rules or fields differ): compare ${out('base')} with ${out('w1')}`);
    }
    for (const name of ['wN', 'off', 'x4', 'context', 's3']) {
      if (!rows.some((r) => r.name === name)) continue;
      const got = readFileSync(out(name), 'utf8');
      const same =
        name === 'x4' || name === 's3' ? withoutSources(got) === withoutSources(reference) : name === 'context' ? withoutContext(got) === withoutContext(reference) : got === reference;
      if (!same) {
        problems.push(`the hits of ${name} differ from those of --workers 1 (compare ${out(name)} with ${out('w1')})`);
      }
    }
  }

  const floor = rows.find((r) => r.name === 'floor');
  const jq = rows.find((r) => r.name === 'jq');
  const scale = (r: Row): number => (r.name === 'x4' ? 4 : 1);
  const table = rows.map((r) => ({
    ...r,
    mbPerS: (mb * scale(r)) / r.median,
    eventsPerS: (manifest.records * scale(r)) / r.median,
    vsFloor: floor ? r.median / scale(r) / floor.median : null,
    jqOver: jq ? jq.median / (r.median / scale(r)) : null,
  }));
  const header = ['', 'what', 'min s', 'median s', 'CPU s', 'MB/s', 'events/s', 'peak RSS MB', '× floor', 'jq ÷ this'];
  const body = table.map((r) => [
    r.name,
    r.what,
    r.min.toFixed(2),
    r.median.toFixed(2),
    r.cpu === null ? '' : r.cpu.toFixed(2) + (r.serverCpu === undefined ? '' : ` + ${r.serverCpu.toFixed(2)} server`),
    r.mbPerS.toFixed(0),
    Math.round(r.eventsPerS).toLocaleString('en-US'),
    r.rssMb === null ? '' : r.rssMb.toFixed(0),
    r.vsFloor === null ? '' : r.vsFloor.toFixed(2),
    r.jqOver === null ? '' : r.jqOver.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const print = [
    `corpus ${args.size} (seed ${args.seed}): ${manifest.files} files, ${(manifest.gzBytes / 1e6).toFixed(0)} MB gzipped, ${mb.toFixed(0)} MB uncompressed, ${manifest.records.toLocaleString('en-US')} events; ${args.cores} cores; ${args.runs} runs (x4: 1 run, MB/s and events/s count its 4× bytes)`,
    line(header),
    `|${widths.map((w, i) => (i <= 1 ? ':' : '-') + '-'.repeat(w) + (i <= 1 ? '-' : ':')).join('|')}|`,
    ...body.map(line),
  ];
  process.stdout.write(`${print.join('\n')}\n`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const result = { date: new Date().toISOString(), node: process.version, cores: args.cores, size: args.size, seed: args.seed, corpus: { ...manifest, paths: undefined }, rows: table, problems };
  const file = join(BENCH, 'results', `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${file}`);
  if (problems.length > 0) {
    for (const p of problems) log(`BENCH FAILED: ${p}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  log(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exitCode = 1;
});
