import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHits, sortHits } from '../../src/merge/sort.js';
import type { Hit } from '../../src/model.js';

function hit(over: Partial<Hit>): Hit {
  return {
    rule: 'r',
    title: 't',
    severity: 'high',
    time: '2026-10-01T00:00:00Z',
    lastTime: '2026-10-01T00:00:00Z',
    count: 1,
    group: {},
    account: '123456789012',
    region: 'us-east-1',
    actor: 'alice',
    sourceIPAddress: null,
    eventName: null,
    eventIDs: ['e1'],
    sources: ['s'],
    target: null,
    fields: {},
    ...over,
  };
}

const hitArb: fc.Arbitrary<Hit> = fc
  .record({
    time: fc.constantFrom(null, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00.500Z', '2026-10-01T00:00:01Z'),
    rule: fc.constantFrom('a', 'b'),
    group: fc.constantFrom<Record<string, unknown>>({}, { user: 'x' }, { user: 'y' }, { user: null }),
    eventIDs: fc.constantFrom<string[]>([], ['e1'], ['e2'], ['e1', 'e3']),
    actor: fc.constantFrom('alice', 'bob', null),
    count: fc.integer({ min: 1, max: 3 }),
  })
  .map((r) => hit({ ...r, lastTime: r.time }));

describe('hit order', () => {
  it('orders by time first, parsing times ("…:00.500Z" is before "…:01Z" and after "…:00Z")', () => {
    const order = sortHits([
      hit({ time: '2026-10-01T00:00:01Z', rule: 'a' }),
      hit({ time: '2026-10-01T00:00:00.500Z', rule: 'b' }),
      hit({ time: '2026-10-01T00:00:00Z', rule: 'c' }),
    ]).map((h) => h.rule);
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('then by rule, then group, then first eventID', () => {
    const order = sortHits([
      hit({ rule: 'b', group: {}, eventIDs: ['a'] }),
      hit({ rule: 'a', group: { u: 'y' }, eventIDs: ['a'] }),
      hit({ rule: 'a', group: { u: 'x' }, eventIDs: ['z'] }),
      hit({ rule: 'a', group: { u: 'x' }, eventIDs: ['m'] }),
    ]).map((h) => [h.rule, h.group, h.eventIDs[0]]);
    expect(order).toEqual([
      ['a', { u: 'x' }, 'm'],
      ['a', { u: 'x' }, 'z'],
      ['a', { u: 'y' }, 'a'],
      ['b', {}, 'a'],
    ]);
  });

  it('posture hits (no time) sort after every timed hit, by rule then group', () => {
    const order = sortHits([
      hit({ time: null, lastTime: null, rule: 'aws-iam-user-mfa', group: { user: 'bob', arn: 'b' }, eventIDs: [] }),
      hit({ time: '2030-01-01T00:00:00Z', rule: 'z' }),
      hit({ time: null, lastTime: null, rule: 'aws-iam-user-mfa', group: { user: 'alice', arn: 'a' }, eventIDs: [] }),
      hit({ time: '2020-01-01T00:00:00Z', rule: 'z' }),
    ]).map((h) => [h.time, h.group]);
    expect(order).toEqual([
      ['2020-01-01T00:00:00Z', {}],
      ['2030-01-01T00:00:00Z', {}],
      [null, { user: 'alice', arn: 'a' }],
      [null, { user: 'bob', arn: 'b' }],
    ]);
  });

  it('is a total order: antisymmetric, transitive, and zero only for equal hits', () => {
    fc.assert(
      fc.property(hitArb, hitArb, hitArb, (a, b, c) => {
        expect(Math.sign(compareHits(a, b)) + Math.sign(compareHits(b, a))).toBe(0);
        if (compareHits(a, b) <= 0 && compareHits(b, c) <= 0) expect(compareHits(a, c)).toBeLessThanOrEqual(0);
        if (compareHits(a, b) === 0) expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same sequence from any input order', () => {
    fc.assert(
      fc.property(fc.array(hitArb, { maxLength: 15 }), (hits) => {
        const once = JSON.stringify(sortHits(hits));
        expect(JSON.stringify(sortHits([...hits].reverse()))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sortHits and compareHits', () => {
  it('agree: every neighbour pair of sortHits output is in compareHits order', () => {
    fc.assert(
      fc.property(fc.array(hitArb, { maxLength: 15 }), (hits) => {
        const sorted = sortHits(hits);
        for (let i = 1; i < sorted.length; i++) expect(compareHits(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
