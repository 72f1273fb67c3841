// One planted object of 1,000,000 tiny matching records (issue: Trust, item
// 4) used to run for minutes and end the hunt at 5 GB, or out of heap with no
// output. It now fails alone and fast, named, and the other objects' hits are
// all there.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { huntWithPeak, lines } from '../helpers/cli.js';
import { deactivate, gz } from '../helpers/events.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let dir: string;
const RECORDS = 1_000_000;


beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-memory-'));
  // A day's 86,400 times, spelt once; the records cycle through them.
  const times = Array.from({ length: 86_400 }, (_, s) => `2026-10-06T${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z`);
  const parts = new Array<string>(RECORDS);
  for (let i = 0; i < RECORDS; i++) {
    parts[i] = `{"eventVersion":"1.08","eventTime":"${times[i % 86_400]}","eventName":"DeactivateMFADevice","eventSource":"iam.amazonaws.com","eventID":"p-${i}"}`;
  }
  await writeFile(path.join(dir, 'planted.json.gz'), gzipSync(`{"Records":[${parts.join(',')}]}`, { level: 1 }));
  await writeFile(path.join(dir, 'real.json.gz'), gz([deactivate({ eventID: 'real-1' }), deactivate({ eventID: 'real-2', eventTime: '2026-10-05T11:00:00Z' })]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('an object of 1,000,000 tiny matching records', () => {
  it('fails alone, named, in seconds and under 1.5 GB; the other object\'s hits are all there', async () => {
    const run = await huntWithPeak(['--source', dir, '--format', 'ndjson', '--workers', '2']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: ${path.join(dir, 'planted.json.gz')}: too many matching events (over 100,000 in one object)`);
    expect(run.stderr).toMatch(/FAILED 1 object, named above, contributed no events: 1 too many matching events/);
    expect(lines(run.stdout).map((h) => (h.eventIDs as string[])[0])).toEqual(['real-1', 'real-2']);
    // Before: 5 GB and about two minutes on the machine that measured 0.85 GB and 4 s after.
    expect(run.peakMb).toBeGreaterThan(0);
    expect(run.peakMb).toBeLessThan(1536);
    expect(run.seconds).toBeLessThan(60);
  });
});
