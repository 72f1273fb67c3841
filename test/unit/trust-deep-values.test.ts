// Field values are attacker-controlled: a userName nested thousands of levels
// deep must neither crash the merge (recursion) nor the hand-over between
// threads (structured clone), and must still count as one value of its own.

import { describe, expect, it } from 'vitest';
import { boundValue, canonicalJson, foldedKey } from '../../src/merge/canonical.js';
import { Merge } from '../../src/merge/index.js';
import type { Candidate } from '../../src/model.js';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import { Scanner } from '../../src/scan/scanner.js';

const ALL = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };

/** `depth` nested arrays around a string, as JSON text (JSON.stringify itself would recurse). */
function nestedText(depth: number, inner: string): string {
  return '['.repeat(depth) + JSON.stringify(inner) + ']'.repeat(depth);
}

/** One object holding a successful sign-in without MFA and two failures at the MFA step, all by a deeply nested userName. */
function objectText(depth: number): string {
  const user = nestedText(depth, 'mallory');
  const record = (id: string, minute: number, result: string, mfa: string) =>
    `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":${user},"arn":"arn:aws:iam::111122223333:user/mallory"},` +
    `"eventTime":"2026-10-05T10:0${minute}:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",` +
    `"awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","eventID":"${id}","recipientAccountId":"111122223333",` +
    `"responseElements":{"ConsoleLogin":"${result}"},"additionalEventData":{"MFAUsed":"${mfa}"}}`;
  return `{"Records":[${record('e-ok', 0, 'Success', 'No')},${record('e-f1', 1, 'Failure', 'Yes')},${record('e-f2', 2, 'Failure', 'Yes')}]}`;
}

describe('deeply nested field values', async () => {
  const { rules } = await loadRules([bundledRulesDir()]);

  for (const depth of [2_500, 3_000, 6_000, 100_000]) {
    it(`a userName nested ${depth} deep goes through scan, clone and merge`, () => {
      const result = new Scanner(rules, ALL).scan(Buffer.from(objectText(depth)), 'deep.json');
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.candidates.length).toBe(3);
      const cloned = result.candidates.map((c) => structuredClone(c)) as Candidate[];
      const merge = new Merge(rules);
      for (const c of cloned) merge.add(c);
      const hits = merge.hits();
      const byRule = (r: string) => hits.filter((h) => h.rule === r);
      expect(byRule('aws-console-login-without-mfa').map((h) => h.eventIDs)).toEqual([['e-ok']]);
      const burst = byRule('aws-console-login-mfa-failures');
      expect(burst.map((h) => h.eventIDs)).toEqual([['e-f1', 'e-f2']]);
      // The group keeps a marker, not the value, and says why.
      expect(String(burst[0]!.group['userIdentity.userName'])).toMatch(/^\[hunt: value omitted: nested deeper than 32 levels/);
    });
  }

  it('boundValue keeps shallow values as they are and marks deep or large ones', () => {
    const shallow = { a: [1, 'x', { b: null }] };
    expect(boundValue(shallow)).toEqual(shallow);
    expect(boundValue('alice')).toBe('alice');
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(boundValue(deep)).toMatch(/^\[hunt: value omitted: nested deeper than 32 levels/);
    expect(boundValue('y'.repeat(70_000))).toMatch(/^\[hunt: value omitted: over 65536 bytes of JSON/);
    // Two different deep values stay two values.
    let other: unknown = 'z';
    for (let i = 0; i < 100_000; i++) other = [other];
    expect(boundValue(other)).not.toBe(boundValue(deep));
  });

  it('canonicalJson and foldedKey do not recurse', () => {
    let deep: unknown = { B: 'X', a: 1 };
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    const text = canonicalJson(deep);
    expect(text.endsWith('{"B":"X","a":1}' + '}]'.repeat(50_000))).toBe(true);
    expect(foldedKey(deep).includes('{"B":"x","a":1}')).toBe(true);
  });
});
