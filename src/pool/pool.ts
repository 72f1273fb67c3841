// A fixed pool of scan workers. References are pulled from the sources only
// when a worker has room, so memory stays flat however many objects there are,
// and listing overlaps scanning. Each worker is given at most `depth` objects:
// it reads the next one while it scans the current one, and scans one at a
// time. A worker that dies is replaced and its objects are retried once, each
// alone on a fresh worker, so a second crash names the object that caused it.

import { Worker } from 'node:worker_threads';
import type { ObjectError } from '../errors.js';
import type { Candidate } from '../model.js';
import type { ObjectRef } from '../sources/source.js';
import { isFromWorker, type FromWorker, type ObjectStats, type ToWorker, type WorkerSetup } from './protocol.js';

export interface PoolSink {
  scanned(ref: ObjectRef, candidates: Candidate[], stats: ObjectStats): void;
  failed(ref: ObjectRef, error: ObjectError): void;
  /** S3 GetObject requests a worker sent for one object (retries included). */
  requested?(getRequests: number): void;
}

export interface PoolOptions {
  workers: number;
  /** Objects given to one worker at a time (the one it scans plus read-ahead). */
  depth?: number;
}

/**
 * The compiled worker. Under the test runner this module is loaded from
 * `src/` as TypeScript, while workers must be JavaScript: use the build.
 */
function workerUrl(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? '../../dist/workers/scan.worker.js' : '../../workers/scan.worker.js', import.meta.url);
}

interface Job {
  ref: ObjectRef;
  attempt: number;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly pending: Job[] = [];
  private readonly depth: number;
  private iterator?: AsyncIterator<ObjectRef>;
  private listing = true;
  private pulling = false;
  private inFlight = 0;
  private nextJob = 1;
  private stopped = false;
  private crashes = 0;
  private lastCrash?: Error;
  private settle?: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    private readonly options: PoolOptions,
    private readonly setup: WorkerSetup,
    private readonly sink: PoolSink,
  ) {
    this.depth = Math.max(1, options.depth ?? 2);
    for (let i = 0; i < options.workers; i++) this.spawn();
  }

  /** Scans every reference; resolves when all are done or the pool was stopped. */
  run(refs: AsyncIterable<ObjectRef>): Promise<void> {
    this.iterator = refs[Symbol.asyncIterator]();
    return new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.pump();
    });
  }

  /** Terminates every worker; `run` resolves with what was done so far. */
  async stop(): Promise<void> {
    this.stopped = true;
    const exits = this.slots.splice(0).map((s) => s.worker.terminate());
    this.settle?.resolve();
    // A worker blocked in a read that never returns (a FIFO, a hung mount)
    // cannot finish terminating: give up waiting after a moment.
    const patience = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([Promise.allSettled(exits), patience]);
    await Promise.race([this.iterator?.return?.(), patience]);
  }

  private fail(err: Error): void {
    const settle = this.settle;
    this.settle = undefined;
    void this.stop().then(() => settle?.reject(err));
  }

  private spawn(): Slot {
    const worker = new Worker(workerUrl(), {
      workerData: this.setup,
      // A small young generation suits short-lived parse garbage and keeps RSS down.
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (message: unknown) => this.onMessage(slot, message));
    // An uncaught error ends the worker; 'exit' follows and decides what to retry.
    worker.on('error', (err) => {
      this.lastCrash = err;
    });
    worker.on('exit', () => this.onExit(slot));
    this.slots.push(slot);
    return slot;
  }

  /** Hands out pending objects to workers with room, pulls more from the sources, and settles when all is done. */
  private pump(): void {
    if (this.stopped || !this.settle) return;
    while (this.pending.length > 0) {
      const slot = this.slotFor(this.pending[0]!);
      if (!slot) break;
      this.dispatch(slot, this.pending.shift()!);
    }
    if (this.listing && !this.pulling && this.pending.length === 0 && this.slots.some((s) => this.room(s) > 0)) {
      this.pulling = true;
      this.iterator!.next().then(
        (next) => {
          this.pulling = false;
          if (next.done) this.listing = false;
          else this.pending.push({ ref: next.value, attempt: 1 });
          this.pump();
        },
        (err: Error) => {
          this.pulling = false;
          this.listing = false;
          this.fail(err);
        },
      );
    }
    if (!this.listing && !this.pulling && this.pending.length === 0 && this.inFlight === 0) {
      this.settle.resolve();
      this.settle = undefined;
    }
  }

  private room(slot: Slot): number {
    for (const job of slot.jobs.values()) if (job.attempt > 1) return 0; // a retry runs alone
    return this.depth - slot.jobs.size;
  }

  private slotFor(job: Job): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) {
      const fits = job.attempt > 1 ? slot.jobs.size === 0 : this.room(slot) > 0;
      if (fits && (!best || slot.jobs.size < best.jobs.size)) best = slot;
    }
    return best;
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextJob++;
    slot.jobs.set(id, job);
    this.inFlight++;
    const message: ToWorker = { type: 'scan', job: id, ref: job.ref };
    slot.worker.postMessage(message);
  }

  private onMessage(slot: Slot, message: unknown): void {
    if (!isFromWorker(message)) {
      this.fail(new Error(`scan pool: unknown message from a worker: ${JSON.stringify(message)?.slice(0, 200)}`));
      return;
    }
    const job = slot.jobs.get(message.job);
    if (!job) {
      this.fail(new Error(`scan pool: a worker answered job ${message.job}, which it was not given`));
      return;
    }
    slot.jobs.delete(message.job);
    this.inFlight--;
    this.finish(job.ref, message);
    this.pump();
  }

  private finish(ref: ObjectRef, message: FromWorker): void {
    if (message.getRequests > 0) this.sink.requested?.(message.getRequests);
    if (message.type === 'scanned') this.sink.scanned(ref, message.candidates, message.stats);
    else this.sink.failed(ref, message.error);
  }

  private onExit(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.stopped) return; // terminated by stop()
    this.slots.splice(index, 1);
    // Workers that die without a poisoned object to blame (e.g. at start-up) must not respawn forever.
    if (++this.crashes > 2 * this.options.workers + 8) {
      this.fail(new Error(`scan workers keep crashing: ${this.lastCrash?.message ?? 'no error given'}`));
      return;
    }
    this.spawn();
    const retries: Job[] = [];
    for (const job of slot.jobs.values()) {
      this.inFlight--;
      if (job.attempt === 1) {
        retries.push({ ref: job.ref, attempt: 2 });
      } else {
        this.sink.failed(job.ref, { code: 'worker-crash', message: 'the scanner crashed on this object twice' });
      }
    }
    this.pending.unshift(...retries);
    this.pump();
  }
}
