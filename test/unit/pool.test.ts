// The scan pool starts workers as the objects call for them, up to
// --workers: one object, one worker; many objects, all of them. Every object
// is scanned once, whichever way.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanPool } from '../../src/pool/pool.js';
import type { WorkerSetup } from '../../src/pool/protocol.js';
import { MAX_OBJECT_BYTES, type ObjectRef } from '../../src/stores/store.js';
import { deactivate, gz } from '../helpers/events.js';
import { detectionRule } from '../helpers/rules.js';

let root: string;
const files: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hunt-pool-'));
  for (let i = 0; i < 40; i++) {
    const file = path.join(root, `object-${String(i).padStart(2, '0')}.json.gz`);
    await writeFile(file, gz([deactivate({ eventTime: `2026-10-05T10:${String(i).padStart(2, '0')}:00Z` })]));
    files.push(file);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

const setup: WorkerSetup = {
  rules: [detectionRule('deactivate', { selection: { eventName: 'DeactivateMFADevice' }, condition: 'selection' })],
  scope: { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] },
  prefilter: true,
  records: false,
  stores: { aws: {}, maxObjectBytes: MAX_OBJECT_BYTES },
};

async function* refs(list: string[]): AsyncGenerator<ObjectRef> {
  for (const reference of list) yield { store: 'file', reference, size: 0 };
}

async function scanWith(workers: number, depth: number, list: string[]): Promise<{ started: number; scanned: string[]; hits: number }> {
  const scanned: string[] = [];
  let hits = 0;
  const pool = new ScanPool({ workers, depth }, setup, {
    scanned(ref, candidates) {
      scanned.push(ref.reference);
      hits += candidates.length;
    },
    failed(ref, error) {
      throw new Error(`${ref.reference}: ${error.message}`);
    },
  });
  try {
    await pool.run(refs(list));
    return { started: pool.workersStarted, scanned: scanned.sort(), hits };
  } finally {
    await pool.stop();
  }
}

describe('ScanPool', () => {
  it('starts one worker for one object, however many it may start', async () => {
    const run = await scanWith(4, 2, files.slice(0, 1));
    expect(run).toEqual({ started: 1, scanned: files.slice(0, 1), hits: 1 });
  });

  it('starts no second worker while the first will hold every object', async () => {
    const run = await scanWith(2, 4, files.slice(0, 4));
    expect(run).toEqual({ started: 1, scanned: files.slice(0, 4), hits: 4 });
  });

  it('starts them all when more objects wait than the started ones hold, and scans each once', async () => {
    const run = await scanWith(3, 2, files);
    expect(run.started).toBe(3);
    expect(run.scanned).toEqual(files);
    expect(run.hits).toBe(40);
  });

  it('settles with no objects at all, having started only the first worker (it boots while the listing begins)', async () => {
    expect(await scanWith(2, 2, [])).toEqual({ started: 1, scanned: [], hits: 0 });
  });
});
