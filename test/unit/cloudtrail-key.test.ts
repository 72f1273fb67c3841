import { describe, expect, it } from 'vitest';
import {DELIVERY_MARGIN_MS, mayHoldEvents, placeOf } from '../../src/stores/cloudtrail-key.js';
import type { Scope } from '../../src/options.js';

const all: Scope = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };
const segs = (p: string) => p.split('/').filter(Boolean);
const file = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/05/111122223333_CloudTrail_us-east-1_20261005T1215Z_abc.json.gz';

describe('placeOf', () => {
  it('reads account, region, day and delivery time from a log key', () => {
    expect(placeOf(segs(file), true)).toEqual({
      service: 'CloudTrail',
      account: '111122223333',
      region: 'us-east-1',
      year: 2026,
      month: 10,
      day: 5,
      deliveredMs: Date.UTC(2026, 9, 5, 12, 15),
    });
  });

  it('reads an organization trail key and a deep local prefix', () => {
    const p = placeOf(segs(`/home/x/evidence/AWSLogs/o-abcdef1234/${file.slice('AWSLogs/'.length)}`), true);
    expect(p?.account).toBe('111122223333');
    expect(p?.day).toBe(5);
  });

  it('reads folders at every level', () => {
    expect(placeOf(segs('AWSLogs/111122223333/CloudTrail'), false)).toEqual({ service: 'CloudTrail', account: '111122223333' });
    expect(placeOf(segs('AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10'), false)).toMatchObject({ region: 'eu-west-1', year: 2026, month: 10 });
  });

  it('names non-log services', () => {
    expect(placeOf(segs('AWSLogs/111122223333/CloudTrail-Digest/us-east-1'), false)?.service).toBe('CloudTrail-Digest');
  });

  it('does not see the layout where there is none', () => {
    expect(placeOf(segs('evidence/exports/CloudTrail/x.json'), true)).toBeUndefined();
    expect(placeOf(segs('AWSLogs/12345/CloudTrail/us-east-1/x.json'), true)).toBeUndefined();
  });

  it('a file name without a delivery time has none', () => {
    expect(placeOf(segs('AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/05/events.json'), true)?.deliveredMs).toBeUndefined();
  });
});

describe('mayHoldEvents', () => {
  const day = (s: string) => placeOf(segs(`AWSLogs/111122223333/CloudTrail/us-east-1/${s}`), false)!;
  const window = (since: string, until: string): Scope => ({ ...all, sinceMs: Date.parse(since), untilMs: Date.parse(until) });

  it('keeps everything without bounds', () => {
    expect(mayHoldEvents(day('2019/01/01'), all)).toBe(true);
  });

  it('prunes days, months and years outside the window', () => {
    const w = window('2026-10-05T00:00:00Z', '2026-10-07T00:00:00Z');
    expect(mayHoldEvents(day('2026/10/05'), w)).toBe(true);
    expect(mayHoldEvents(day('2026/10/06'), w)).toBe(true);
    expect(mayHoldEvents(day('2026/10/08'), w)).toBe(false);
    expect(mayHoldEvents(day('2026/10/03'), w)).toBe(false);
    expect(mayHoldEvents(day('2026/09'), w)).toBe(false);
    expect(mayHoldEvents(day('2026/10'), w)).toBe(true);
    expect(mayHoldEvents(day('2025'), w)).toBe(false);
  });

  it('keeps the neighbouring day when the margin reaches into it', () => {
    // until is 01:00 on the 7th: files delivered up to 03:00 on the 7th may hold events before it.
    const w = window('2026-10-05T00:30:00Z', '2026-10-07T01:00:00Z');
    expect(mayHoldEvents(day('2026/10/07'), w)).toBe(true);
    expect(mayHoldEvents(day('2026/10/04'), w)).toBe(true);
  });

  it('keeps a late-delivered file and prunes one past the margin', () => {
    const until = Date.parse('2026-10-05T12:00:00Z');
    const w: Scope = { ...all, untilMs: until };
    const at = (ms: number) => ({ service: 'CloudTrail', account: '111122223333', region: 'us-east-1', deliveredMs: ms });
    expect(mayHoldEvents(at(until + DELIVERY_MARGIN_MS - 60_000), w)).toBe(true);
    expect(mayHoldEvents(at(until + DELIVERY_MARGIN_MS), w)).toBe(false);
    const since = Date.parse('2026-10-05T12:00:00Z');
    const s: Scope = { ...all, sinceMs: since };
    expect(mayHoldEvents(at(since - 60_000), s)).toBe(true);
    expect(mayHoldEvents(at(since - DELIVERY_MARGIN_MS - 60_000), s)).toBe(false);
  });

  it('prunes by account and region', () => {
    const scope: Scope = { ...all, accounts: ['444455556666'], regions: ['eu-west-1'] };
    expect(mayHoldEvents(placeOf(segs('AWSLogs/111122223333/CloudTrail'), false)!, scope)).toBe(false);
    expect(mayHoldEvents(placeOf(segs('AWSLogs/444455556666/CloudTrail'), false)!, scope)).toBe(true);
    expect(mayHoldEvents(placeOf(segs('AWSLogs/444455556666/CloudTrail/us-east-1'), false)!, scope)).toBe(false);
    expect(mayHoldEvents(placeOf(segs('AWSLogs/444455556666/CloudTrail/eu-west-1'), false)!, scope)).toBe(true);
  });
});
