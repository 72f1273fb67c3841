// Two records are one event only when eventID AND whole content are equal
// (DESIGN.md, "Window semantics"): a forged copy that reuses an eventID must
// not hide the real event, and hand-written logs that give every record the
// same eventID still count every record.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Merge } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import { Scanner } from '../../src/scan/scanner.js';
import { mfaFailure } from '../helpers/events.js';

const ALL = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };
const { rules } = await loadRules([bundledRulesDir()]);

function candidatesOf(objects: Record<string, unknown[]>): Candidate[] {
  const scanner = new Scanner(rules, ALL);
  const out: Candidate[] = [];
  for (const [source, records] of Object.entries(objects)) {
    const result = scanner.scan(gzipSync(JSON.stringify({ Records: records })), source);
    if (!result.ok) throw new Error(result.error.message);
    out.push(...result.candidates);
  }
  return out;
}

function merged(candidates: Candidate[]): Merge {
  const merge = new Merge(rules);
  for (const c of candidates) merge.add(c);
  return merge;
}

const alice = { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' };
const forger = { type: 'IAMUser', userName: 'a-forger', arn: 'arn:aws:iam::111122223333:user/a-forger' };

describe('records that share an eventID', () => {
  const real = [
    mfaFailure({ eventID: 'burst-1', eventTime: '2026-10-05T10:00:00Z', userIdentity: alice }),
    mfaFailure({ eventID: 'burst-2', eventTime: '2026-10-05T10:03:00Z', userIdentity: alice }),
  ];
  // Forged copies: same eventIDs, another user, hours apart.
  const forged = [
    mfaFailure({ eventID: 'burst-1', eventTime: '2026-10-05T01:00:00Z', userIdentity: forger }),
    mfaFailure({ eventID: 'burst-2', eventTime: '2026-10-05T23:00:00Z', userIdentity: forger }),
  ];

  it('a real MFA-failure burst survives forged copies that reuse its eventIDs, in any arrival order', () => {
    const candidates = candidatesOf({ 'real.json.gz': real, 'forged.json.gz': forged });
    const orders = [candidates, [...candidates].reverse(), [candidates[1]!, candidates[3]!, candidates[0]!, candidates[2]!]];
    const runs = orders.map((order) => merged(order).hits());
    for (const hits of runs) expect(hits).toEqual(runs[0]);
    const bursts = runs[0]!.filter((h) => h.rule === 'aws-console-login-mfa-failures');
    expect(bursts.map((h) => ({ group: h.group, eventIDs: h.eventIDs, count: h.count, sources: h.sources }))).toEqual([
      {
        group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'alice' },
        eventIDs: ['burst-1', 'burst-2'],
        count: 2,
        sources: ['real.json.gz'],
      },
    ]);
  });

  it('collisions() counts the eventIDs seen with different content and names the least', () => {
    const merge = merged(candidatesOf({ 'real.json.gz': real, 'forged.json.gz': forged }));
    expect(merge.collisions()).toEqual({ count: 2, first: 'burst-1' });
    expect(merged(candidatesOf({ 'real.json.gz': real })).collisions()).toEqual({ count: 0, first: null });
  });

  it('identical copies (in another key order, from another object) are still one event', () => {
    const reordered = real.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    const merge = merged(candidatesOf({ 'a.json.gz': real, 'b.json.gz': reordered }));
    const bursts = merge.hits().filter((h) => h.rule === 'aws-console-login-mfa-failures');
    expect(bursts.map((h) => [h.count, h.sources])).toEqual([[2, ['a.json.gz', 'b.json.gz']]]);
    expect(merge.collisions().count).toBe(0);
  });

  it('an eventID of "" counts as none: two identical such records are two events', () => {
    const blank = mfaFailure({ eventID: '', eventTime: '2026-10-05T10:00:00Z', userIdentity: alice });
    const merge = merged(candidatesOf({ 'a.json.gz': [blank, blank] }));
    const bursts = merge.hits().filter((h) => h.rule === 'aws-console-login-mfa-failures');
    expect(bursts.map((h) => [h.count, h.eventIDs])).toEqual([[2, []]]);
    expect(merge.collisions()).toEqual({ count: 0, first: null });
  });
});

// Panther's "compromised root credentials" simulation: the hand-written
// CloudTrail events of test_scenarios/compromised-root-creds/victim_cloudtrail.yml
// and attacker_cloudtrail.yml in the public panther-analysis repository,
// converted to JSON. All 16 carry `eventID: "1"`.
describe('Panther compromised-root-creds scenario (16 events, all eventID "1")', () => {
  const records = JSON.parse(
    readFileSync(new URL('../fixtures/merge/panther-compromised-root-creds.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>[];

  it('gives the four root sign-ins without MFA, the attacker one among them', () => {
    expect(records.length).toBe(16);
    const merge = merged(candidatesOf({ 'panther/compromised-root-creds.json.gz': records }));
    const hits = merge.hits().filter((h) => h.rule === 'aws-console-login-without-mfa');
    expect(hits.map((h) => [h.time, h.sourceIPAddress, h.actor])).toEqual([
      ['2020-10-15T06:00:00Z', '71.253.251.71', 'root'],
      ['2020-10-16T06:00:00Z', '71.253.251.71', 'root'],
      ['2020-10-27T06:00:00Z', '71.253.251.71', 'root'],
      ['2020-11-01T08:29:10Z', '92.55.146.245', 'root'],
    ]);
    expect(merge.collisions()).toEqual({ count: 1, first: '1' });
  });
});
