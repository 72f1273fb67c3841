// Runs hunt as a user would and collects what it prints: in-process through
// run(argv, io) (fast: most tests), or as the built binary in a child process
// (the few end-to-end tests: the bin, signals, pipes, S3 credentials).

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run as runCli, type CliIO } from '../../src/cli.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'dist/src/bin.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** In-process only: a fault to inject in the scan workers (see fault-worker.mjs). */
  fault?: { mode: 'crash' | 'crash-once' | 'hang'; text: string; stateDir?: string };
  /** In-process only: what the CLI would see of the terminal. */
  io?: Partial<CliIO>;
}

/** hunt in-process: the same run() the bin calls, with captured streams. */
export async function hunt(args: string[], options: RunOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: async (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    workerUrl: options.fault ? faultWorkerUrl(options.fault) : undefined,
    ...options.io,
  });
  return { code, signal: null, stdout, stderr };
}

/** The scan worker wrapped so that it fails on objects whose reference contains `text`: an entry module in a temp folder. */
export function faultWorkerUrl(fault: NonNullable<RunOptions['fault']>): URL {
  const wrapper = pathToFileURL(path.join(ROOT, 'test/helpers/fault-worker.mjs')).href;
  const config = JSON.stringify({ mode: fault.mode, text: fault.text, state: fault.stateDir ?? null });
  const entry = path.join(mkdtempSync(path.join(tmpdir(), 'hunt-fault-worker-')), 'worker.mjs');
  writeFileSync(entry, `import { installFault } from ${JSON.stringify(wrapper)};\nawait installFault(${config});\n`);
  return pathToFileURL(entry);
}

/** hunt as a child process running the built binary. */
export function huntProcess(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The built binary, with its peak RSS (VmHWM) sampled from /proc while it runs, and its wall time. */
export function huntWithPeak(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; peakMb: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8').then(
        (text) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(text)?.[1] ?? 0))),
        () => {},
      );
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, peakMb: peakKb / 1024, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Is util-linux `script` (a pseudo-terminal for the terminal tests) on this machine? */
export const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The NDJSON lines of a run, parsed. */
export function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
