// One self-overwriting status line on stderr, only when stderr is a terminal.

import type { Tally } from './summary.js';

export class Progress {
  private timer?: NodeJS.Timeout;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly tally: Tally,
  ) {}

  start(): void {
    this.draw();
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  private draw(): void {
    const t = this.tally;
    const of = t.listingDone ? `/${t.listed}` : `/${t.listed}+`;
    const failed = t.failedCount ? `, ${t.failedCount} failed` : '';
    const line = `hunt: scanned ${t.scanned}${of} objects, ${(t.bytes / 1e6).toFixed(0)} MB, ${t.events} events${failed}`;
    const width = this.stream.columns || 80;
    this.stream.write(`\r${line.slice(0, width - 1)}\x1b[K`);
    this.shown = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
