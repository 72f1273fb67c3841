// Spreading a long list into a call (`hits.push(...list)`) passes every
// element as an argument and overflows the stack past about 120,000: a busy
// account gives that many hits in one hunt.

import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import { candidate, detectionRule, STATEFUL_FIELDS, STATEFUL_KEY, statefulRule } from '../fixtures/merge/events.js';

const LOGIN = 'aws-console-login-without-mfa';
const USERS = 140_000;

describe('a merge with many hits', () => {
  it(`${USERS} users, each with one successful sign-in without MFA, give ${USERS} hits`, () => {
    const merge = new Merge([detectionRule(LOGIN), statefulRule()]);
    const t0 = Date.parse('2026-10-05T00:00:00Z');
    for (let i = 0; i < USERS; i++) {
      const user = `user-${i}`;
      const e = {
        eventID: `e-${i}`,
        eventTime: new Date(t0 + i * 1000).toISOString(),
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        recipientAccountId: '111122223333',
        awsRegion: 'us-east-1',
        sourceIPAddress: '198.51.100.1',
        userIdentity: { type: 'IAMUser', userName: user, arn: `arn:aws:iam::111122223333:user/${user}` },
        responseElements: { ConsoleLogin: 'Success' },
        additionalEventData: { MFAUsed: 'No' },
      };
      merge.add(candidate(e, [LOGIN, STATEFUL_KEY], 'a.json.gz', STATEFUL_FIELDS));
    }
    const hits = merge.hits();
    const logins = hits.filter((h) => h.rule === LOGIN);
    expect(logins.length).toBe(USERS);
    expect(new Set(logins.map((h) => h.actor)).size).toBe(USERS);
    // Each sign-in without MFA also proves a password and no device: one stretch per user.
    expect(hits.filter((h) => h.rule === STATEFUL_KEY).length).toBe(USERS);
  }, 60_000);
});
