// Panther AWS.Unsuccessful.MFA.attempt's own test events (seed 002), through
// the merge stage as the bundled correlation aws-console-login-mfa-failures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import { candidate, detectionRule, thresholdRule, valueAt, type Event } from '../fixtures/merge/events.js';

const BASE = 'aws-console-login-mfa-failure';
const GROUP_BY = ['recipientAccountId', 'userIdentity.userName'];
const rules = [detectionRule(BASE, false, 'high'), thresholdRule('aws-console-login-mfa-failures', BASE, GROUP_BY)];

const cases = JSON.parse(readFileSync(new URL('../fixtures/merge/panther-unsuccessful-mfa.json', import.meta.url), 'utf8')) as {
  name: string;
  expected: boolean;
  log: Event;
}[];
const successWithMfa = cases.find((c) => c.name === 'Successful Login w/ MFA')!.log;
const failureWithMfa = cases.find((c) => c.name === 'Unsuccessful Login w/ MFA')!.log;

/**
 * The base rule's selection, written out here so this test does not lean on
 * the Sigma engine: the worker posts a candidate only for an event it matches.
 */
function matchesBase(e: Event): boolean {
  const is = (path: string, value: string) => String(valueAt(e, path)).toLowerCase() === value.toLowerCase();
  return (
    is('eventSource', 'signin.amazonaws.com') &&
    is('eventName', 'ConsoleLogin') &&
    is('responseElements.ConsoleLogin', 'Failure') &&
    is('additionalEventData.MFAUsed', 'Yes')
  );
}

function hunt(events: Event[]) {
  const merge = new Merge(rules);
  for (const e of events) if (matchesBase(e)) merge.add(candidate(e, [BASE], 'AWSLogs/111122223333/CloudTrail/us-east-1/2022/11/10/x.json.gz', GROUP_BY));
  return merge.hits();
}

describe('Panther AWS.Unsuccessful.MFA.attempt through the merge stage', () => {
  it('each Panther test event matches the base rule as Panther expects', () => {
    for (const c of cases) expect(matchesBase(c.log), c.name).toBe(c.expected);
  });

  it('Successful Login w/ MFA: not a candidate, so no hit', () => {
    expect(hunt([successWithMfa])).toEqual([]);
  });

  it('Unsuccessful Login w/ MFA once: below the threshold of 2, no hit', () => {
    expect(hunt([failureWithMfa])).toEqual([]);
  });

  it('a successful MFA login beside one failure does not make up the count', () => {
    expect(hunt([successWithMfa, failureWithMfa])).toEqual([]);
  });

  it('the same failure delivered twice is still one event: no hit', () => {
    expect(hunt([failureWithMfa, failureWithMfa])).toEqual([]);
  });

  it('two MFA failures of one user within 15 minutes: one hit with count 2', () => {
    const second = { ...failureWithMfa, eventID: 'd38ce1b3-4575-4cb8-a632-611b8243bfc4', eventTime: '2022-11-10T16:31:02Z' };
    const hits = hunt([second, successWithMfa, failureWithMfa]);
    expect(hits).toEqual([
      {
        rule: 'aws-console-login-mfa-failures',
        title: 'Title of aws-console-login-mfa-failures',
        severity: 'high',
        time: '2022-11-10T16:24:34Z',
        lastTime: '2022-11-10T16:31:02Z',
        count: 2,
        group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'anaya' },
        account: '111122223333',
        region: 'us-east-1',
        actor: 'anaya',
        sourceIPAddress: '192.0.2.0',
        eventName: 'ConsoleLogin',
        eventIDs: ['d38ce1b3-4575-4cb8-a632-611b8243bfc3', 'd38ce1b3-4575-4cb8-a632-611b8243bfc4'],
        sources: ['AWSLogs/111122223333/CloudTrail/us-east-1/2022/11/10/x.json.gz'],
        target: 'anaya',
        fields: {},
      },
    ]);
  });

  it('MFAUsed "YES" counts like "Yes" (values compare case-insensitively)', () => {
    const upper = { ...failureWithMfa, eventID: 'upper', eventTime: '2022-11-10T16:25:00Z', additionalEventData: { MFAUsed: 'YES' } };
    expect(hunt([failureWithMfa, upper])).toHaveLength(1);
  });
});
