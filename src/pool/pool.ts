// A pool of at most `workers` scan workers. References are pulled from the
// sources only while the workers have room (or could be started to make
// some), so memory stays flat however many objects there are, and listing
// overlaps scanning. Workers start as the objects call for them: one at
// first, another when more objects wait than the ones started will hold, so
// a hunt of one object starts one worker. Each worker is given at most
// `depth` objects and scans one at a time; a network store's opener reads the
// next ones while the current one is scanned, a local file is read when its
// turn comes. A worker that dies is replaced and its objects are retried
// once, each alone on a fresh worker, so a second crash names the object
// that caused it: a crash is an outcome of that object, and the hunt goes
// on. Only workers that die before they are ready (they cannot start at all)
// stop the hunt. Objects of network stores count against a cap of requests
// in flight over all workers (`--max-requests`).

import { Worker } from 'node:worker_threads';
import type { ObjectError } from '../errors.js';
import type { Candidate } from '../model.js';
import type { ObjectRef } from '../stores/store.js';
import { isFromWorker, type FromWorker, type ObjectStats, type ToWorker, type WorkerSetup } from './protocol.js';

export interface PoolSink {
  scanned(ref: ObjectRef, candidates: Candidate[], stats: ObjectStats): void;
  failed(ref: ObjectRef, error: ObjectError): void;
  /** GET requests a worker sent for one object (retries included). */
  requested?(ref: ObjectRef, requests: number): void;
}

export interface PoolOptions {
  workers: number;
  /** Objects given to one worker at a time (the one it scans plus read-ahead). */
  depth?: number;
  /** Store keys whose objects are fetched over a network, and how many such objects may be in flight at once. */
  remote?: { stores: ReadonlySet<string>; maxInFlight: number };
  /** The worker entry (tests wrap it to inject faults); default: the built scan worker. */
  workerUrl?: URL;
}

/** Workers that die before they are ready, in a row, before the hunt gives up. */
const MAX_STARTUP_FAILURES = 3;

/**
 * The compiled worker. Under the test runner this module is loaded from
 * `src/` as TypeScript, while workers must be JavaScript: use the build.
 */
export function scanWorkerUrl(): URL {
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
  ready: boolean;
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
  /** Workers that died before they were ready, since the last one that started. */
  private startupFailures = 0;
  private remoteInFlight = 0;
  private lastCrash?: Error;
  private settle?: { resolve: () => void; reject: (err: Error) => void };

  /** Workers started so far, replacements included. */
  private started = 0;

  constructor(
    private readonly options: PoolOptions,
    private readonly setup: WorkerSetup,
    private readonly sink: PoolSink,
  ) {
    this.depth = Math.max(1, options.depth ?? 2);
    if (options.workers > 0) this.spawn();
  }

  /** How many workers the pool has started (replacements of crashed ones included). */
  get workersStarted(): number {
    return this.started;
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
    const worker = new Worker(this.options.workerUrl ?? scanWorkerUrl(), {
      workerData: this.setup,
      // A small young generation suits short-lived parse garbage and keeps RSS down.
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, jobs: new Map(), ready: false };
    this.started++;
    worker.on('message', (message: unknown) => this.onMessage(slot, message));
    // A reply the main thread cannot deserialize names no job: treat it as a
    // crash of that worker, so its objects are retried alone and then named.
    worker.on('messageerror', (err) => {
      this.lastCrash = err;
      void worker.terminate();
    });
    // An uncaught error ends the worker; 'exit' follows and decides what to retry.
    worker.on('error', (err) => {
      this.lastCrash = err;
    });
    worker.on('exit', () => this.onExit(slot));
    this.slots.push(slot);
    return slot;
  }

  /**
   * Hands out pending objects to workers with room, starts another worker
   * when more objects wait than the started ones will take, pulls more from
   * the sources, and settles when all is done.
   */
  private pump(): void {
    if (this.stopped || !this.settle) return;
    while (this.pending.length > 0) {
      const slot = this.slotFor(this.pending[0]!);
      if (!slot) break;
      this.dispatch(slot, this.pending.shift()!);
    }
    if (this.slots.length < this.options.workers && this.pending.length > this.capacity()) this.spawn();
    // Room in the started workers, and in those that could still start.
    const room = this.capacity() + Math.max(0, this.options.workers - this.slots.length) * this.depth;
    if (this.listing && !this.pulling && this.pending.length < room) {
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

  /** Objects the started workers will take: a starting worker counts as empty. */
  private capacity(): number {
    let free = 0;
    for (const slot of this.slots) free += slot.ready ? this.room(slot) : this.depth - slot.jobs.size;
    return free;
  }

  private room(slot: Slot): number {
    // Objects go only to workers that said they are ready: a worker that dies
    // before then holds none, and is one that cannot start.
    if (!slot.ready) return 0;
    for (const job of slot.jobs.values()) if (job.attempt > 1) return 0; // a retry runs alone
    return this.depth - slot.jobs.size;
  }

  private isRemote(job: Job): boolean {
    return this.options.remote?.stores.has(job.ref.store) ?? false;
  }

  private slotFor(job: Job): Slot | undefined {
    if (this.isRemote(job) && this.remoteInFlight >= this.options.remote!.maxInFlight) return undefined;
    let best: Slot | undefined;
    for (const slot of this.slots) {
      const fits = job.attempt > 1 ? slot.ready && slot.jobs.size === 0 : this.room(slot) > 0;
      if (fits && (!best || slot.jobs.size < best.jobs.size)) best = slot;
    }
    return best;
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextJob++;
    slot.jobs.set(id, job);
    this.inFlight++;
    if (this.isRemote(job)) this.remoteInFlight++;
    const message: ToWorker = { type: 'scan', job: id, ref: job.ref };
    slot.worker.postMessage(message);
  }

  private onMessage(slot: Slot, message: unknown): void {
    if (!isFromWorker(message)) {
      this.fail(new Error(`scan pool: unknown message from a worker: ${JSON.stringify(message)?.slice(0, 200)}`));
      return;
    }
    if (message.type === 'ready') {
      slot.ready = true;
      this.startupFailures = 0;
      this.pump();
      return;
    }
    const job = slot.jobs.get(message.job);
    if (!job) {
      this.fail(new Error(`scan pool: a worker answered job ${message.job}, which it was not given`));
      return;
    }
    this.release(slot, message.job, job);
    this.finish(job.ref, message);
    this.pump();
  }

  private release(slot: Slot, id: number, job: Job): void {
    slot.jobs.delete(id);
    this.inFlight--;
    if (this.isRemote(job)) this.remoteInFlight--;
  }

  private finish(ref: ObjectRef, message: FromWorker & { type: 'scanned' | 'failed' }): void {
    if (message.requests > 0) this.sink.requested?.(ref, message.requests);
    if (message.type === 'scanned') this.sink.scanned(ref, message.candidates, message.stats);
    else this.sink.failed(ref, message.error);
  }

  private onExit(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.stopped) return; // terminated by stop()
    this.slots.splice(index, 1);
    // Workers that cannot even start have no poisoned object to blame: they must not respawn forever.
    if (!slot.ready && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.fail(new Error(`scan workers cannot start: ${this.lastCrash?.message ?? 'no error given'}`));
      return;
    }
    this.spawn();
    const retries: Job[] = [];
    for (const [id, job] of [...slot.jobs]) {
      this.release(slot, id, job);
      if (job.attempt === 1) {
        retries.push({ ref: job.ref, attempt: 2 });
      } else {
        this.sink.failed(job.ref, { code: 'worker-crash', message: 'the scanner crashed on this object twice' });
      }
    }
    for (let i = retries.length - 1; i >= 0; i--) this.pending.unshift(retries[i]!);
    this.pump();
  }
}
