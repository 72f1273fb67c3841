// One self-overwriting status line on stderr, only when stderr is a terminal
// (the caller decides that). It uses the summary's words ("scanned",
// "examined") so the last progress line and the summary read alike, and never
// grows past the terminal's width: a wrapped status line cannot be overwritten
// with `\r`, and would pile up as a scroll of stale lines.

import type { Tally } from './summary.js';
import { displayWidth } from './width.js';

export interface ProgressOptions {
  /**
   * Events that matched a rule so far (shown when given): a counter the hunt
   * keeps. Not hits: thresholds and correlations make hits only at the end.
   */
  hits?: () => number;
  /** Clock in ms, for tests; `performance.now` by default. */
  now?: () => number;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function mb(bytes: number): string {
  const v = bytes / 1e6;
  return v < 10 ? v.toFixed(1) : v.toFixed(0);
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The status line for `tally` at `elapsedMs` into the hunt, at most `width`
 * columns (less one: writing the last column makes some terminals wrap).
 * Parts go, least useful first, until the line fits.
 */
export function progressLine(tally: Tally, elapsedMs: number, width: number, hits?: number): string {
  const seconds = elapsedMs / 1000;
  const known = tally.listingDone;
  // Bytes as stored (what was listed) when the hunt counts them, so done and
  // total compare; else the uncompressed bytes, with no total.
  const stored = tally.scannedStoredBytes > 0 && tally.listedBytes > 0;
  const done = stored ? tally.scannedStoredBytes : tally.bytes;
  const rate = seconds > 0 ? done / 1e6 / seconds : 0;
  // ETA only once the total is known; by bytes when sizes compare, else by objects.
  let eta: string | undefined;
  if (known && seconds >= 1 && tally.scanned > 0) {
    const left = stored ? ((tally.listedBytes - done) / done) * seconds : ((tally.listed - tally.scanned) / tally.scanned) * seconds;
    eta = `ETA ${duration(left)}`;
  }
  const failed = tally.failedCount;
  // [text, priority]: lower priority is dropped first.
  const parts: [string, number][] = [
    [`scanned ${count(tally.scanned)}/${count(tally.listed)}${known ? '' : '+'} objects`, 9],
    [stored ? `${mb(done)}/${mb(tally.listedBytes)}${known ? '' : '+'} MB` : `${mb(done)} MB`, 5],
    [`${rate.toFixed(1)} MB/s`, 2],
    ...(eta ? [[eta, 6] as [string, number]] : []),
    [`${count(tally.events)} examined`, 3],
    ...(hits !== undefined ? [[`${count(hits)} matched`, 7] as [string, number]] : []),
    ...(failed ? [[`${count(failed)} failed`, 8] as [string, number]] : []),
  ];
  const max = Math.max(1, width - 1);
  const render = (ps: [string, number][]) => `hunt: ${ps.map((p) => p[0]).join(', ')}`;
  let shown = parts;
  while (shown.length > 1 && displayWidth(render(shown)) > max) {
    const lowest = shown.reduce((a, b) => (b[1] < a[1] ? b : a));
    shown = shown.filter((p) => p !== lowest);
  }
  const line = render(shown);
  return displayWidth(line) > max ? line.slice(0, max) : line;
}

export class Progress {
  private timer?: NodeJS.Timeout;
  private shown = false;
  private readonly now: () => number;
  private readonly started: number;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly tally: Tally,
    private readonly options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  start(): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  private draw(): void {
    const line = progressLine(this.tally, this.now() - this.started, this.stream.columns || 80, this.options.hits?.());
    this.stream.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
