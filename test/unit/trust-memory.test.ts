// Memory is bounded (issue: Trust, item 4). One planted object of a million
// tiny matching records used to cost about 5 KB of main-thread heap per event
// and exhaust the heap. Now an event costs well under 1 KB in the merge, one
// object may hold MAX_MATCHES_PER_OBJECT matching events, and one hunt
// MAX_EVENTS_PER_HUNT; past either, objects fail alone, named.

import { deserialize, serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Merge, MAX_EVENTS_PER_HUNT } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { Tally } from '../../src/output/summary.js';
import { takeObject, type ReadContext } from '../../src/readers/reader.js';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import { MAX_MATCHES_PER_OBJECT, Scanner } from '../../src/scan/scanner.js';
import { deactivate, event } from '../helpers/events.js';

const ALL = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };
const { rules } = await loadRules([bundledRulesDir()]);

/** A tiny matching record, as in the report: no more than the rule needs. */
function tiny(i: number): Record<string, unknown> {
  const s = i % 86_400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return { eventVersion: '1.08', eventTime: `2026-10-06T${hh}:${mm}:${ss}Z`, eventName: 'DeactivateMFADevice', eventSource: 'iam.amazonaws.com', eventID: `tiny-${i}` };
}

function gcNow(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('the merge', () => {
  it('holds a matching event in under 600 bytes of heap (it took 2.2 KB: a canonical JSON text, a key and sets per event)', () => {
    const EVENTS = 100_000;
    const scanner = new Scanner(rules, ALL);
    const result = scanner.scan(gzipSync(JSON.stringify({ Records: Array.from({ length: EVENTS }, (_, i) => tiny(i)) })), 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/06/o.json.gz');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.candidates).toHaveLength(EVENTS);
    // The candidates as a worker posts them; deserialized, each has its own strings.
    const wire = serialize(result.candidates);
    const gc = gcNow();
    gc();
    const before = process.memoryUsage().heapUsed;
    const merge = new Merge(rules);
    for (const c of deserialize(wire) as Candidate[]) merge.add(c);
    gc();
    const perEvent = (process.memoryUsage().heapUsed - before) / EVENTS;
    expect(perEvent).toBeLessThan(600);
    expect(merge.hits()).toHaveLength(EVENTS);
  }, 60_000);

  it('keeps an event found in many objects once, naming every object, without a sorted insert per copy', () => {
    const merge = new Merge(rules);
    const record = deactivate({ eventID: 'everywhere' });
    const scanner = new Scanner(rules, ALL);
    const result = scanner.scan(gzipSync(JSON.stringify({ Records: [record] })), 'x');
    if (!result.ok) throw new Error(result.error.message);
    const started = performance.now();
    for (let i = 0; i < 50_000; i++) merge.add({ ...result.candidates[0]!, source: `o-${String(49_999 - i).padStart(5, '0')}.json.gz` });
    const [hit] = merge.hits();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(hit!.count).toBe(1);
    expect(hit!.sources).toHaveLength(50_000);
    expect(hit!.sources[0]).toBe('o-00000.json.gz');
    expect(hit!.sources.at(-1)).toBe('o-49999.json.gz');
  });
});

describe('one object', () => {
  const scanner = new Scanner(rules, ALL, { maxMatches: 10 });
  const records = (n: number) => [event({}), ...Array.from({ length: n }, (_, i) => tiny(i))];

  it('with more matching events than the limit fails as a whole: too-many-matches', () => {
    for (const prefilter of [true, false]) {
      const s = new Scanner(rules, ALL, { maxMatches: 10, prefilter });
      const failed = s.scan(gzipSync(JSON.stringify({ Records: records(11) })), 'big.json.gz');
      expect(failed).toEqual({ ok: false, error: { code: 'too-many-matches', message: expect.stringContaining('too many matching events (over 10 in one object)') } });
      // Plain JSON (never prefiltered) too.
      expect(s.scan(Buffer.from(JSON.stringify({ Records: records(11) })), 'big.json').ok).toBe(false);
    }
    const rows = scanner.scanRecords(records(11), 'rows');
    expect(rows.candidates).toEqual([]);
    expect(rows.error?.code).toBe('too-many-matches');
  });

  it('at the limit is scanned whole; records that match nothing do not count', () => {
    const ok = scanner.scan(gzipSync(JSON.stringify({ Records: [...records(10), ...Array.from({ length: 50 }, () => event({}))] })), 'ok.json.gz');
    expect(ok.ok && ok.candidates.length).toBe(10);
    expect(scanner.scanRecords(records(10), 'rows').error).toBeUndefined();
  });

  it('the default limit is 100,000 matching events and the hunt holds 1,000,000', () => {
    expect(MAX_MATCHES_PER_OBJECT).toBe(100_000);
    expect(MAX_EVENTS_PER_HUNT).toBe(1_000_000);
  });
});

describe('the hunt', () => {
  function context(maxEvents: number): { ctx: ReadContext; lines: string[] } {
    const lines: string[] = [];
    const ctx = { merge: new Merge(rules, maxEvents), tally: new Tally(), io: { report: (l: string) => lines.push(l) } } as unknown as ReadContext;
    return { ctx, lines };
  }
  const scanner = new Scanner(rules, ALL);
  const objectOf = (from: number, n: number) => scanner.scanRecords(Array.from({ length: n }, (_, i) => tiny(from + i)), 'x');

  it('fails, named, an object whose matching events would pass its bound, and keeps every other', () => {
    const { ctx, lines } = context(5);
    expect(takeObject(ctx, 'a.json.gz', objectOf(0, 3))).toBe(true);
    expect(takeObject(ctx, 'b.json.gz', objectOf(100, 3))).toBe(false);
    expect(takeObject(ctx, 'c.json.gz', objectOf(200, 2))).toBe(true); // 3 + 2 fit
    expect(takeObject(ctx, 'd.json.gz', objectOf(300, 0))).toBe(true); // nothing to hold
    expect(ctx.merge.hits().map((h) => h.eventIDs[0])).toEqual(['tiny-0', 'tiny-1', 'tiny-2', 'tiny-200', 'tiny-201']);
    expect(lines).toEqual([expect.stringMatching(/^error: b\.json\.gz: too many matching events in this hunt \(over 5 in all\)/)]);
    expect(ctx.tally.scanned).toBe(3);
    expect([...ctx.tally.failed]).toEqual([['too-many-matches', 1]]);
  });

  it('reports an object that failed its own limit like any failed object', () => {
    const { ctx, lines } = context(100);
    const small = new Scanner(rules, ALL, { maxMatches: 2 });
    expect(takeObject(ctx, 'big.json.gz', small.scanRecords([tiny(1), tiny(2), tiny(3)], 'big.json.gz'))).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^error: big\.json\.gz: too many matching events \(over 2 in one object\)/)]);
    expect(ctx.tally.failedCount).toBe(1);
  });
});
