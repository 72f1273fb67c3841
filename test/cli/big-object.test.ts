// A 100 MB object with hundreds of thousands of records: the hunt finds its
// hits and memory stays flat (two such objects cost no more than one, since a
// worker holds one object at a time and the main thread only candidates).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { huntWithPeak, lines } from '../helpers/cli.js';
import { deactivate, event } from '../helpers/events.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let dir: string;
const RECORDS = 120_000;


let objectMb = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-big-'));
  // One realistic-sized record repeated, with a few hits spread through it.
  const filler = JSON.stringify(event({ eventName: 'GetObject', eventSource: 's3.amazonaws.com', requestParameters: { bucketName: 'b', key: 'k'.repeat(600) } }));
  const parts: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    parts.push(i % 40_000 === 0 ? JSON.stringify(deactivate({ eventID: `hit-${i}` })) : filler.replace('"eventID":"', `"eventID":"${i}-`));
  }
  const text = `{"Records":[${parts.join(',')}]}`;
  objectMb = text.length / 1048576;
  const body = gzipSync(text, { level: 1 });
  await writeFile(path.join(dir, 'big-1.json.gz'), body);
  await writeFile(path.join(dir, 'big-2.json.gz'), body);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a 100 MB object', () => {
  it('is hunted whole, with flat memory', async () => {
    const one = await huntWithPeak(['--source', path.join(dir, 'big-1.json.gz'), '--format', 'ndjson', '--workers', '1']);
    expect(one.code).toBe(0);
    expect(lines(one.stdout).map((h) => (h.eventIDs as string[])[0])).toEqual(['hit-0', 'hit-40000', 'hit-80000']);
    const two = await huntWithPeak(['--source', dir, '--format', 'ndjson', '--workers', '1']);
    expect(two.code).toBe(0);
    expect(lines(two.stdout)).toHaveLength(3); // the same events in both files count once
    expect(one.peakMb).toBeGreaterThan(0);
    // Flat: a second object adds at most about one object's inflated bytes
    // (the next one's buffer may be alive before the last one's is collected),
    // never a copy per object.
    expect(two.peakMb).toBeLessThan(one.peakMb + 1.25 * objectMb);
  });
});
