// The correlation types in the merge stage: window boundaries (exactly at the
// timespan, one second past it, the dedup period), group keys (null groups
// included), aliases, chains, every condition operator and generate.
import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Candidate, Hit } from '../../src/model.js';
import type { CountCondition, Rule } from '../../src/rules/types.js';
import { candidate, correlationRule, detectionRule, shuffled, type Event } from '../fixtures/merge/events.js';

const T0 = Date.parse('2026-10-01T12:00:00Z');
const at = (minutes: number, seconds = 0): string => new Date(T0 + minutes * 60_000 + seconds * 1000).toISOString().replace('.000Z', 'Z');
let serial = 0;

function ev(time: string, fields: Record<string, unknown> = {}): Event {
  return {
    eventID: `e${String(++serial).padStart(4, '0')}`,
    eventTime: time,
    eventName: 'ConsoleLogin',
    eventSource: 'signin.amazonaws.com',
    recipientAccountId: '111122223333',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.1',
    userIdentity: { type: 'IAMUser', userName: 'anaya' },
    ...fields,
  };
}

/** Every path a test rule reads, carried as a worker would. */
const PATHS = ['recipientAccountId', 'awsRegion', 'userIdentity.userName', 'requestParameters.userName', 'sourceIPAddress'];
const c = (e: Event, rules: string[]): Candidate => candidate(e, rules, 'a.json.gz', PATHS);

function run(rules: Rule[], candidates: Candidate[]): Hit[] {
  const merge = new Merge(rules);
  for (const x of candidates) merge.add(x);
  return merge.hits();
}

const ids = (h: Hit): string[] => h.eventIDs;

describe('value_count', () => {
  // Distinct user names failing per account within 1 hour; more than 2.
  const rules = (condition: CountCondition = { gt: 2 }, groupBy = ['recipientAccountId']) => [
    detectionRule('fail', false),
    correlationRule('spray', 'value_count', ['fail'], groupBy, { timespanMs: 3_600_000, field: 'userIdentity.userName', condition }),
  ];
  const fail = (time: string, user: string | null, fields: Record<string, unknown> = {}) =>
    c(ev(time, { userIdentity: user === null ? { type: 'IAMUser' } : { type: 'IAMUser', userName: user }, ...fields }), ['fail']);

  it('three names with the last exactly 1 h after the first are a hit (inclusive)', () => {
    const hits = run(rules(), [fail(at(0), 'a'), fail(at(30), 'b'), fail(at(60), 'c')]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ rule: 'spray', time: at(0), lastTime: at(60), count: 3, group: { recipientAccountId: '111122223333' } });
  });
  it('one second past the hour is no hit', () => {
    expect(run(rules(), [fail(at(0), 'a'), fail(at(30), 'b'), fail(at(60, 1), 'c')])).toEqual([]);
  });
  it('one user failing many times is not many names (what event_count cannot tell apart)', () => {
    expect(run(rules(), [fail(at(0), 'a'), fail(at(1), 'a'), fail(at(2), 'a'), fail(at(3), 'A')])).toEqual([]);
  });
  it('names compare case-insensitively: Bob and bob are one name', () => {
    expect(run(rules(), [fail(at(0), 'a'), fail(at(1), 'Bob'), fail(at(2), 'bob')])).toEqual([]);
    expect(run(rules(), [fail(at(0), 'a'), fail(at(1), 'Bob'), fail(at(2), 'carl')])).toHaveLength(1);
  });
  it('an event without the counted field is left out (no value), not counted as a name', () => {
    expect(run(rules(), [fail(at(0), 'a'), fail(at(1), 'b'), fail(at(2), null)])).toEqual([]);
  });
  it('the hit absorbs failures until the dedup period (the timespan) ends; the next one starts a fresh window', () => {
    const hits = run(rules(), [fail(at(0), 'a'), fail(at(1), 'b'), fail(at(2), 'c'), fail(at(59, 59), 'd'), fail(at(60), 'e'), fail(at(61), 'f'), fail(at(62), 'g')]);
    expect(hits.map((h) => [h.time, h.count])).toEqual([
      [at(0), 4],
      [at(60), 3],
    ]);
  });
  it('groups by account: names spread over two accounts do not add up; a missing account groups as null', () => {
    const other = { recipientAccountId: '444455556666' };
    expect(run(rules(), [fail(at(0), 'a'), fail(at(1), 'b', other), fail(at(2), 'c')])).toEqual([]);
    const none = { recipientAccountId: undefined };
    const hits = run(rules(), [fail(at(0), 'a', none), fail(at(1), 'b', none), fail(at(2), 'c', none)]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.group).toEqual({ recipientAccountId: null });
  });
  it('does not depend on arrival order', () => {
    const input = [fail(at(0), 'a'), fail(at(10), 'b'), fail(at(20), 'c'), fail(at(90), 'd'), fail(at(95), 'e'), fail(at(99), 'f')];
    const expected = run(rules(), input);
    for (let seed = 1; seed <= 5; seed++) expect(run(rules(), shuffled(input, seed))).toEqual(expected);
  });
});

describe('temporal_ordered with aliases', () => {
  // The user is requestParameters.userName in the device call and userIdentity.userName in the sign-in.
  const rules = (opts: { timespanMs?: number; dedupMs?: number } = {}) => [
    detectionRule('removed', false),
    detectionRule('login', false),
    correlationRule('bypass', 'temporal_ordered', ['removed', 'login'], ['recipientAccountId', 'user'], {
      timespanMs: opts.timespanMs ?? 3_600_000,
      ...(opts.dedupMs !== undefined ? { dedupMs: opts.dedupMs } : {}),
      aliases: { user: { removed: 'requestParameters.userName', login: 'userIdentity.userName' } },
    }),
  ];
  const removed = (time: string, victim: string, caller = 'ci-admin') =>
    c(ev(time, { eventSource: 'iam.amazonaws.com', eventName: 'DeactivateMFADevice', userIdentity: { type: 'IAMUser', userName: caller }, requestParameters: { userName: victim } }), ['removed']);
  const login = (time: string, user: string) => c(ev(time, { userIdentity: { type: 'IAMUser', userName: user } }), ['login']);

  it('removal then the victim\'s sign-in exactly 1 h later is a hit, grouped by the alias', () => {
    const hits = run(rules(), [removed(at(0), 'maria'), login(at(60), 'Maria')]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ rule: 'bypass', time: at(0), lastTime: at(60), count: 2, actor: 'ci-admin', group: { recipientAccountId: '111122223333', user: 'maria' } });
  });
  it('one second past the hour is no hit', () => {
    expect(run(rules(), [removed(at(0), 'maria'), login(at(60, 1), 'maria')])).toEqual([]);
  });
  it('the sign-in before the removal is no hit (order matters)', () => {
    expect(run(rules(), [login(at(0), 'maria'), removed(at(5), 'maria')])).toEqual([]);
  });
  it('another user\'s sign-in is no hit, and the caller\'s own name does not join the groups', () => {
    expect(run(rules(), [removed(at(0), 'maria'), login(at(5), 'li.wei')])).toEqual([]);
    expect(run(rules(), [removed(at(0), 'maria', 'ci-admin'), login(at(5), 'ci-admin')])).toEqual([]);
  });
  it('the hit starts at the first removal: an earlier sign-in is no part of it; the dedup period absorbs later sign-ins', () => {
    const early = login(at(0), 'maria');
    const hits = run(rules(), [early, removed(at(1), 'maria'), removed(at(2), 'maria'), login(at(3), 'maria'), login(at(50), 'maria'), login(at(61, 1), 'maria')]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ time: at(1), lastTime: at(50), count: 4 });
    expect(ids(hits[0]!)).not.toContain(early.event.eventID);
  });
  it('with a dedup period of 5 minutes, a second removal and sign-in later is a second hit', () => {
    const hits = run(rules({ dedupMs: 5 * 60_000 }), [removed(at(0), 'maria'), login(at(1), 'maria'), removed(at(10), 'maria'), login(at(11), 'maria')]);
    expect(hits.map((h) => h.time)).toEqual([at(0), at(10)]);
  });
  it('the hit\'s target is the grouped user, through an alias whatever its name (the victim, not the caller)', () => {
    const named = rules().map((r) => (r.kind === 'correlation' ? { ...r, groupBy: ['recipientAccountId', 'who'], aliases: { who: r.aliases.user! } } : r));
    const hits = run(named, [removed(at(0), 'maria'), login(at(5), 'maria')]);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ actor: 'ci-admin', group: { who: 'maria' }, target: 'maria' });
  });
  it('events lacking the aliased field group as null together', () => {
    const anon = c(ev(at(1), { userIdentity: { type: 'Root' } }), ['login']);
    const noName = c(ev(at(0), { eventName: 'DeactivateMFADevice', requestParameters: {} }), ['removed']);
    const hits = run(rules(), [noName, anon]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.group).toEqual({ recipientAccountId: '111122223333', user: null });
  });
});

describe('temporal (unordered)', () => {
  const rules = (condition?: CountCondition) => [
    detectionRule('a', false),
    detectionRule('b', false),
    detectionRule('x', false),
    correlationRule('near', 'temporal', ['a', 'b', 'x'], ['sourceIPAddress'], { timespanMs: 10 * 60_000, ...(condition ? { condition } : {}) }),
  ];
  const one = (rule: string, time: string, ip = '192.0.2.1') => c(ev(time, { sourceIPAddress: ip }), [rule]);

  it('needs every rule by default, in any order, within the timespan (inclusive)', () => {
    expect(run(rules(), [one('x', at(0)), one('b', at(5)), one('a', at(10))])).toHaveLength(1);
    expect(run(rules(), [one('x', at(0)), one('b', at(5)), one('a', at(10, 1))])).toEqual([]);
    expect(run(rules(), [one('x', at(0)), one('b', at(5)), one('b', at(6))])).toEqual([]);
  });
  it('with condition gte 2, two different rules suffice; two events of one rule do not', () => {
    expect(run(rules({ gte: 2 }), [one('a', at(0)), one('a', at(1))])).toEqual([]);
    expect(run(rules({ gte: 2 }), [one('a', at(0)), one('x', at(1))])).toHaveLength(1);
  });
  it('an event matching two of the rules is one event that is both', () => {
    const both = c(ev(at(0)), ['a', 'b']);
    const hits = run(rules({ gte: 2 }), [both]);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.count).toBe(1);
  });
  it('groups by address: the same rules from two addresses are no hit', () => {
    expect(run(rules(), [one('a', at(0)), one('b', at(1), '192.0.2.9'), one('x', at(2))])).toEqual([]);
  });
});

describe('condition operators', () => {
  const rules = (condition: CountCondition) => [
    detectionRule('r', false),
    correlationRule('n', 'event_count', ['r'], [], { timespanMs: 10 * 60_000, condition }),
  ];
  const burst = (...minutes: number[]) => minutes.map((m) => c(ev(at(m)), ['r']));

  it('gt 2 needs 3 events; gte 3 is the same', () => {
    expect(run(rules({ gt: 2 }), burst(0, 1))).toEqual([]);
    expect(run(rules({ gt: 2 }), burst(0, 1, 2))).toHaveLength(1);
    expect(run(rules({ gte: 3 }), burst(0, 1, 2))).toHaveLength(1);
  });
  it('eq 2 holds for a window of exactly two events, judged whole', () => {
    expect(run(rules({ eq: 2 }), burst(0, 10))).toHaveLength(1);
    // Three within 10 minutes of the first: that window is not two; the one from the second event is.
    const hits = run(rules({ eq: 2 }), burst(0, 5, 10));
    expect(hits.map((h) => [h.time, h.count])).toEqual([[at(5), 2]]);
  });
  it('lt 2: a window holding a single event (a quiet period) fires; a busy one does not', () => {
    expect(run(rules({ lt: 2 }), burst(0, 11))).toHaveLength(2);
    expect(run(rules({ lt: 2 }), burst(0, 10))).toHaveLength(1);
  });
  it('lte 1 is lt 2', () => {
    const shape = (hs: Hit[]) => hs.map((h) => [h.time, h.count]);
    expect(shape(run(rules({ lte: 1 }), burst(0, 11)))).toEqual([[at(0), 1], [at(11), 1]]);
    expect(shape(run(rules({ lte: 1 }), burst(0, 10)))).toEqual(shape(run(rules({ lt: 2 }), burst(0, 10))));
  });
  it('neq 2: windows of one or of three fire, a window of exactly two does not', () => {
    // The window from 0:00 holds two (no hit); the one from 0:10 holds one.
    expect(run(rules({ neq: 2 }), burst(0, 10)).map((h) => [h.time, h.count])).toEqual([[at(10), 1]]);
    expect(run(rules({ neq: 2 }), burst(0, 5, 10))).toHaveLength(1);
  });
  it('a range gt 1 and lte 3: two or three events in a window fire, a burst of four does not', () => {
    expect(run(rules({ gt: 1, lte: 3 }), burst(0, 1))).toHaveLength(1);
    expect(run(rules({ gt: 1, lte: 3 }), burst(0, 1, 2))).toHaveLength(1);
    const four = run(rules({ gt: 1, lte: 3 }), burst(0, 1, 2, 3));
    // The window from the first event holds four; the one from the second holds three.
    expect(four.map((h) => [h.time, h.count])).toEqual([[at(1), 3]]);
  });
});

describe('chained correlations', () => {
  // Two MFA failures of a user within 15 minutes, then a success of that user within 1 hour.
  const rules = (generateInner = true) => [
    detectionRule('failure', false),
    detectionRule('success', false),
    correlationRule('failures', 'event_count', ['failure'], ['recipientAccountId', 'userIdentity.userName'], { condition: { gte: 2 }, generate: generateInner }),
    correlationRule('then-login', 'temporal_ordered', ['failures', 'success'], ['recipientAccountId', 'userIdentity.userName'], { timespanMs: 3_600_000 }),
  ];
  const failure = (time: string, user = 'anaya') => c(ev(time, { userIdentity: { type: 'IAMUser', userName: user } }), ['failure']);
  const success = (time: string, user = 'anaya') => c(ev(time, { userIdentity: { type: 'IAMUser', userName: user } }), ['success']);

  it('the threshold hit, then a success within the hour of the hit firing, is a hit holding every event', () => {
    const hits = run(rules(), [failure(at(0)), failure(at(5)), success(at(65))]);
    expect(hits.map((h) => h.rule)).toEqual(['failures', 'then-login']);
    const chain = hits[1]!;
    expect(chain).toMatchObject({ time: at(0), lastTime: at(65), count: 3, group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'anaya' } });
  });
  it('the hour counts from when the threshold was met (the second failure): one second later is no hit', () => {
    expect(run(rules(), [failure(at(0)), failure(at(5)), success(at(65, 1))]).map((h) => h.rule)).toEqual(['failures']);
  });
  it('a success before the threshold was met is no hit, nor a success of another user', () => {
    expect(run(rules(), [failure(at(0)), success(at(1)), failure(at(5))]).map((h) => h.rule)).toEqual(['failures']);
    expect(run(rules(), [failure(at(0)), failure(at(5)), success(at(6), 'li.wei')]).map((h) => h.rule)).toEqual(['failures']);
  });
  it('a single failure then a success is no hit', () => {
    expect(run(rules(), [failure(at(0)), success(at(1))])).toEqual([]);
  });
  it('an inner correlation with generate false feeds the chain but gives no hits of its own', () => {
    expect(run(rules(false), [failure(at(0)), failure(at(5)), success(at(6))]).map((h) => h.rule)).toEqual(['then-login']);
  });
});
