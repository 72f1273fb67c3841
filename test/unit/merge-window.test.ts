import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { candidate, detectionRule, shuffled, thresholdRule, type Event } from '../fixtures/merge/events.js';

// The bundled correlation: 2 or more MFA failures of one user within 15 minutes, dedup 15 minutes.
const BASE = 'aws-console-login-mfa-failure';
const GROUP_BY = ['recipientAccountId', 'userIdentity.userName'];
const rules = [detectionRule(BASE, false, 'high'), thresholdRule('aws-console-login-mfa-failures', BASE, GROUP_BY)];

const T0 = Date.parse('2026-10-01T12:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000).toISOString().replace('.000Z', 'Z');

function failure(id: string, time: string, user: string | null = 'anaya', account = '111122223333'): Event {
  return {
    eventID: id,
    eventTime: time,
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    recipientAccountId: account,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.0',
    userIdentity: user === null ? { type: 'IAMUser', principalId: 'AIDAEXAMPLE' } : { type: 'IAMUser', userName: user },
    responseElements: { ConsoleLogin: 'Failure' },
    additionalEventData: { MFAUsed: 'Yes' },
  };
}

const cand = (e: Event, source = 'a.json.gz') => candidate(e, [BASE], source, GROUP_BY);

function run(candidates: Candidate[]) {
  const merge = new Merge(rules);
  for (const c of candidates) merge.add(c);
  return merge.hits();
}

describe('threshold window (aws-console-login-mfa-failures)', () => {
  it('two failures exactly 15:00 apart are a hit (the timespan is inclusive)', () => {
    const hits = run([cand(failure('e1', at(0))), cand(failure('e2', at(15)))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      rule: 'aws-console-login-mfa-failures',
      severity: 'high',
      time: at(0),
      lastTime: at(15),
      count: 2,
      group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'anaya' },
      account: '111122223333',
      region: 'us-east-1',
      actor: 'anaya',
      eventName: 'ConsoleLogin',
      eventIDs: ['e1', 'e2'],
      sources: ['a.json.gz'],
    });
  });

  it('two failures 15:01 apart are no hit', () => {
    expect(run([cand(failure('e1', at(0))), cand(failure('e2', at(15, 1)))])).toEqual([]);
  });

  it('a single failure is no hit', () => {
    expect(run([cand(failure('e1', at(0)))])).toEqual([]);
  });

  it('a third failure within the dedup period is absorbed into the open hit', () => {
    const hits = run([cand(failure('e1', at(0))), cand(failure('e2', at(1))), cand(failure('e3', at(14, 59)))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ count: 3, eventIDs: ['e1', 'e2', 'e3'], time: at(0), lastTime: at(14, 59) });
  });

  it('the dedup period runs from the hit start, not from the latest event', () => {
    // e3 is 14 minutes after e2 but 15 after the start: it closes the hit and opens a fresh window alone.
    const hits = run([cand(failure('e1', at(0))), cand(failure('e2', at(1))), cand(failure('e3', at(15)))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventIDs).toEqual(['e1', 'e2']);
  });

  it('an event after the dedup period starts a fresh window, and a second hit when it reaches the threshold', () => {
    const hits = run([
      cand(failure('e1', at(0))),
      cand(failure('e2', at(1))),
      cand(failure('e3', at(20))),
      cand(failure('e4', at(21))),
    ]);
    expect(hits.map((h) => [h.time, h.count, h.eventIDs])).toEqual([
      [at(0), 2, ['e1', 'e2']],
      [at(20), 2, ['e3', 'e4']],
    ]);
  });

  it('an event past the dedup period alone starts a window but is no hit', () => {
    const hits = run([cand(failure('e1', at(0))), cand(failure('e2', at(1))), cand(failure('e3', at(40)))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventIDs).toEqual(['e1', 'e2']);
  });

  it('an old event leaves the window when a newer one is more than the timespan later', () => {
    // e1 drops out at e2; e2 and e3 are within 15 minutes.
    const hits = run([cand(failure('e1', at(0))), cand(failure('e2', at(16))), cand(failure('e3', at(20)))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(16), eventIDs: ['e2', 'e3'] });
  });

  it('the same event in two files counts once, and both files are its sources', () => {
    const e1 = failure('e1', at(0));
    const hits = run([cand(e1, 'b.json.gz'), cand(e1, 'a.json.gz')]);
    expect(hits).toEqual([]); // one distinct event is below the threshold
    const two = run([cand(e1, 'b.json.gz'), cand(e1, 'a.json.gz'), cand(failure('e2', at(3)), 'c.json.gz')]);
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({ count: 2, eventIDs: ['e1', 'e2'], sources: ['a.json.gz', 'b.json.gz', 'c.json.gz'] });
  });

  it('events without an eventID are each distinct', () => {
    const anonymous = { ...failure('x', at(0)) };
    delete anonymous.eventID;
    const hits = run([cand(anonymous), cand(anonymous)]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ count: 2, eventIDs: [] });
  });

  it('different users do not mix', () => {
    expect(run([cand(failure('e1', at(0), 'anaya')), cand(failure('e2', at(1), 'bob'))])).toEqual([]);
  });

  it('the same user name in two accounts does not mix', () => {
    expect(run([cand(failure('e1', at(0), 'anaya', '111122223333')), cand(failure('e2', at(1), 'anaya', '444455556666'))])).toEqual([]);
  });

  it('group values compare case-insensitively and the hit shows the first event\u2019s spelling', () => {
    const hits = run([cand(failure('e2', at(1), 'anaya')), cand(failure('e1', at(0), 'Anaya'))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.group).toEqual({ recipientAccountId: '111122223333', 'userIdentity.userName': 'Anaya' });
  });

  it('a missing group field is a null group value, and such events group together', () => {
    const hits = run([cand(failure('e1', at(0), null)), cand(failure('e2', at(2), null))]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.group).toEqual({ recipientAccountId: '111122223333', 'userIdentity.userName': null });
    expect(Object.keys(hits[0]!.group)).toEqual(GROUP_BY);
  });

  it('a candidate of another rule does not count towards the window', () => {
    const other = candidate(failure('e2', at(1)), ['some-other-rule'], 'a.json.gz', GROUP_BY);
    expect(run([cand(failure('e1', at(0))), other])).toEqual([]);
  });

  it('the base rule with generate: false gives no hit of its own; with generate: true it gives one per event', () => {
    const merge = new Merge([detectionRule(BASE, true, 'high'), thresholdRule('aws-console-login-mfa-failures', BASE, GROUP_BY)]);
    merge.add(cand(failure('e1', at(0))));
    merge.add(cand(failure('e2', at(1))));
    expect(merge.hits().map((h) => [h.rule, h.count])).toEqual([
      [BASE, 1],
      ['aws-console-login-mfa-failures', 2],
      [BASE, 1],
    ]);
  });

  it('a hit has exactly the contract keys, in the contract order', () => {
    const [hit] = run([cand(failure('e1', at(0))), cand(failure('e2', at(1)))]);
    expect(Object.keys(hit!)).toEqual([
      'rule', 'title', 'severity', 'time', 'lastTime', 'count', 'group',
      'account', 'region', 'actor', 'sourceIPAddress', 'eventName', 'eventIDs', 'sources', 'target', 'fields',
    ]);
  });

  it('events fed in any order (seeded shuffles) give byte-identical output', () => {
    const candidates: Candidate[] = [];
    const users = ['anaya', 'Anaya', 'bob', null];
    for (let i = 0; i < 40; i++) {
      const e = failure(`e${String(i).padStart(2, '0')}`, at((i * 7) % 50, i % 3), users[i % users.length]!, i % 5 === 0 ? '444455556666' : '111122223333');
      candidates.push(cand(e, `f${i % 4}.json.gz`));
      if (i % 6 === 0) candidates.push(cand(e, `dup${i % 3}.json.gz`));
    }
    const expected = JSON.stringify(run(candidates));
    expect(JSON.parse(expected).length).toBeGreaterThan(1);
    for (let seed = 1; seed <= 25; seed++) expect(JSON.stringify(run(shuffled(candidates, seed)))).toBe(expected);
  });

  it('any permutation of any small set of events gives the same hits (property)', () => {
    const eventArb = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', null),
      minute: fc.integer({ min: 0, max: 60 }),
      user: fc.constantFrom('anaya', 'ANAYA', 'bob', null),
      source: fc.constantFrom('s1', 's2'),
    });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 12 }), fc.integer(), (specs, seed) => {
        const candidates = specs.map((s) => {
          const e = failure(s.id ?? 'x', at(s.minute), s.user);
          if (s.id === null) delete e.eventID;
          return cand(e, s.source);
        });
        expect(JSON.stringify(run(shuffled(candidates, seed)))).toBe(JSON.stringify(run(candidates)));
      }),
      { numRuns: 200 },
    );
  });
});
