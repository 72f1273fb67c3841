import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { candidate, detectionRule, postureRule, shuffled, STATEFUL_FIELDS, STATEFUL_KEY, statefulRule, thresholdRule, type Event } from '../fixtures/merge/events.js';

const deactivated = detectionRule('aws-iam-mfa-device-deactivated', true, 'medium');

function deactivation(id: string | null, time: string, user = 'alice'): Event {
  return {
    ...(id === null ? {} : { eventID: id }),
    eventTime: time,
    eventName: 'DeactivateMFADevice',
    eventSource: 'iam.amazonaws.com',
    recipientAccountId: '123456789012',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userIdentity: { type: 'IAMUser', userName: 'admin' },
    requestParameters: { userName: user, serialNumber: `arn:aws:iam::123456789012:mfa/${user}` },
  };
}

describe('single-event detection rules', () => {
  it('one hit per event, shaped from that event', () => {
    const merge = new Merge([deactivated]);
    merge.add(candidate(deactivation('e1', '2026-10-01T10:00:00Z'), [deactivated.key], 'a.json.gz'));
    expect(merge.hits()).toEqual([
      {
        rule: 'aws-iam-mfa-device-deactivated',
        title: 'Title of aws-iam-mfa-device-deactivated',
        severity: 'medium',
        time: '2026-10-01T10:00:00Z',
        lastTime: '2026-10-01T10:00:00Z',
        count: 1,
        group: {},
        account: '123456789012',
        region: 'us-east-1',
        actor: 'admin',
        sourceIPAddress: '198.51.100.7',
        eventName: 'DeactivateMFADevice',
        eventIDs: ['e1'],
        sources: ['a.json.gz'],
        target: 'alice',
        fields: {},
      },
    ]);
  });

  it('an event without eventID is a hit with no eventIDs, and two such events are two hits', () => {
    const merge = new Merge([deactivated]);
    const e = deactivation(null, '2026-10-01T10:00:00Z');
    merge.add(candidate(e, [deactivated.key], 'a.json.gz'));
    merge.add(candidate(e, [deactivated.key], 'a.json.gz'));
    const hits = merge.hits();
    expect(hits.map((h) => [h.count, h.eventIDs])).toEqual([
      [1, []],
      [1, []],
    ]);
  });

  it('the same eventID from two trails is one hit listing both sources', () => {
    const merge = new Merge([deactivated]);
    const e = deactivation('e1', '2026-10-01T10:00:00Z');
    merge.add(candidate(e, [deactivated.key], 's3://org/b.json.gz'));
    merge.add(candidate(e, [deactivated.key], 's3://acct/a.json.gz'));
    merge.add(candidate(e, [deactivated.key], 's3://acct/a.json.gz'));
    const hits = merge.hits();
    expect(hits).toHaveLength(1);
    expect(hits[0]!.sources).toEqual(['s3://acct/a.json.gz', 's3://org/b.json.gz']);
  });

  it('copies of one eventID that differ: the rules of both copies apply and the representative does not depend on order', () => {
    const other = detectionRule('other-rule');
    const a = candidate(deactivation('e1', '2026-10-01T10:00:00Z', 'alice'), [deactivated.key], 'a');
    const b = candidate(deactivation('e1', '2026-10-01T10:00:00Z', 'mallory'), [other.key], 'b');
    const run = (cs: Candidate[]) => {
      const merge = new Merge([deactivated, other]);
      for (const c of cs) merge.add(c);
      return JSON.stringify(merge.hits());
    };
    expect(run([a, b])).toBe(run([b, a]));
    expect(JSON.parse(run([a, b])).map((h: { rule: string }) => h.rule)).toEqual(['aws-iam-mfa-device-deactivated', 'other-rule']);
  });

  it('a detection rule with generate: false gives no hits', () => {
    const merge = new Merge([detectionRule('base', false)]);
    merge.add(candidate(deactivation('e1', '2026-10-01T10:00:00Z'), ['base'], 'a'));
    expect(merge.hits()).toEqual([]);
  });

  it('a candidate of a rule that is not loaded gives no hit', () => {
    const merge = new Merge([deactivated]);
    merge.add(candidate(deactivation('e1', '2026-10-01T10:00:00Z'), ['unknown-rule'], 'a'));
    expect(merge.hits()).toEqual([]);
  });

  it('a posture rule among the rules changes nothing in the merge', () => {
    const merge = new Merge([deactivated, postureRule()]);
    merge.add(candidate(deactivation('e1', '2026-10-01T10:00:00Z'), [deactivated.key], 'a'));
    expect(merge.hits()).toHaveLength(1);
  });
});

describe('all rule kinds together', () => {
  it('interleaved candidates of every kind give byte-identical, time-sorted output in any order', () => {
    const base = 'aws-console-login-mfa-failure';
    const groupBy = ['recipientAccountId', 'userIdentity.userName'];
    const rules = [detectionRule(base, false, 'high'), thresholdRule('aws-console-login-mfa-failures', base, groupBy), deactivated, statefulRule()];
    const paths = [...new Set([...groupBy, ...STATEFUL_FIELDS])];
    const candidates: Candidate[] = [];
    for (let i = 0; i < 30; i++) {
      const time = new Date(Date.parse('2026-10-01T10:00:00Z') + i * 137_000).toISOString().replace('.000Z', 'Z');
      const user = ['alice', 'bob', 'Alice'][i % 3]!;
      if (i % 2 === 0) {
        const fail: Event = {
          eventID: `f${i}`,
          eventTime: time,
          eventName: 'ConsoleLogin',
          eventSource: 'signin.amazonaws.com',
          recipientAccountId: '123456789012',
          userIdentity: { type: 'IAMUser', userName: user },
          responseElements: { ConsoleLogin: 'Failure' },
          additionalEventData: { MFAUsed: 'Yes' },
        };
        candidates.push(candidate(fail, [base, STATEFUL_KEY], `f${i % 4}`, paths));
      } else {
        const name = ['CreateUser', 'CreateLoginProfile', 'DeactivateMFADevice', 'EnableMFADevice'][((i - 1) / 2) % 4]!;
        const e = { ...deactivation(`d${i}`, time, user), eventName: name };
        const keys = name === 'DeactivateMFADevice' ? [deactivated.key, STATEFUL_KEY] : [STATEFUL_KEY];
        candidates.push(candidate(e, keys, `d${i % 3}`, paths));
        if (i % 5 === 0) candidates.push(candidate(e, keys, 'dup', paths));
      }
    }
    const run = (cs: Candidate[]) => {
      const merge = new Merge(rules);
      for (const c of cs) merge.add(c);
      return merge.hits();
    };
    const hits = run(candidates);
    expect(new Set(hits.map((h) => h.rule)).size).toBe(3);
    const times = hits.map((h) => Date.parse(h.time!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const expected = JSON.stringify(hits);
    for (let seed = 1; seed <= 20; seed++) expect(JSON.stringify(run(shuffled(candidates, seed)))).toBe(expected);
  });
});
