// The scan path never throws past its error boundary and never emits a
// malformed candidate, whatever bytes or JSON shapes it is fed.

import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/model.js';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/types.js';
import { Scanner, type ScanResult } from '../../src/scan/scanner.js';

let scanner: Scanner;
beforeAll(async () => {
  const { rules } = await loadRules([bundledRulesDir()]);
  scanner = new Scanner(rules as Rule[], { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] });
});

const nullableString = (v: unknown) => v === null || typeof v === 'string';

function wellFormed(c: Candidate): void {
  expect(Array.isArray(c.rules) && c.rules.length > 0 && c.rules.every((r) => typeof r === 'string')).toBe(true);
  expect(typeof c.source).toBe('string');
  const e = c.event;
  expect(Number.isFinite(e.t)).toBe(true);
  expect(e.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  for (const k of ['eventID', 'eventName', 'eventSource', 'account', 'region', 'sourceIPAddress', 'actor'] as const) {
    expect(nullableString(e[k]), k).toBe(true);
  }
  expect(typeof e.fields).toBe('object');
  // Whatever crosses to the main thread must survive structured clone.
  expect(() => structuredClone(c)).not.toThrow();
}

function check(result: ScanResult): void {
  if (result.ok) {
    result.candidates.forEach(wellFormed);
    const s = result.stats;
    expect(s.events + s.notObjects + s.badTimes).toBeLessThanOrEqual(s.records);
  } else {
    expect(typeof result.error.code).toBe('string');
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

// Values that look like the fields rules read, and some that don't.
const scalar = fc.oneof(
  fc.constantFrom('ConsoleLogin', 'consolelogin', 'Failure', 'Success', 'Yes', 'YES', 'no', 'IAMUser', 'Root', 'iam.amazonaws.com',
    'signin.amazonaws.com', 'DeactivateMFADevice', 'EnableMFADevice', 'CreateLoginProfile', '2026-10-05T10:00:00Z', '\u001b[2J', ''),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3 })),
})).v;
const eventLike = fc.record(
  {
    eventVersion: fc.constant('1.08'),
    eventTime: fc.oneof(fc.constant('2026-10-05T10:00:00Z'), fc.constant('2026-10-05T10:00:00.123+02:00'), scalar),
    eventID: scalar,
    eventName: scalar,
    eventSource: scalar,
    errorCode: scalar,
    recipientAccountId: scalar,
    awsRegion: scalar,
    sourceIPAddress: scalar,
    userIdentity: fc.oneof(value, fc.record({ type: scalar, userName: scalar, arn: scalar }, { requiredKeys: [] })),
    responseElements: fc.oneof(value, fc.record({ ConsoleLogin: scalar }, { requiredKeys: [] })),
    additionalEventData: fc.oneof(value, fc.record({ MFAUsed: scalar, SamlProviderArn: scalar }, { requiredKeys: [] })),
    requestParameters: fc.oneof(value, fc.record({ userName: scalar, serialNumber: scalar }, { requiredKeys: [] })),
    ['__proto__']: value,
  },
  { requiredKeys: ['eventVersion'] },
);

describe('scan path under fuzzing', () => {
  it('survives random bytes, plain and gzipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, zip) => {
        check(scanner.scan(zip ? gzipSync(bytes) : bytes, 'fuzz'));
      }),
      { numRuns: 300 },
    );
  });

  it('survives random JSON shapes', () => {
    fc.assert(
      fc.property(value, (doc) => {
        check(scanner.scan(Buffer.from(JSON.stringify(doc) ?? 'null'), 'fuzz'));
        check(scanner.scan(Buffer.from(JSON.stringify({ Records: doc }) ?? 'null'), 'fuzz'));
      }),
      { numRuns: 300 },
    );
  });

  it('survives random CloudTrail-like records, and keeps a matching event', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(eventLike, value), { maxLength: 8 }), (records) => {
        const known = {
          eventVersion: '1.08',
          eventTime: '2026-10-05T10:00:00Z',
          eventID: 'known',
          eventSource: 'iam.amazonaws.com',
          eventName: 'DeactivateMFADevice',
        };
        const result = scanner.scan(gzipSync(JSON.stringify({ Records: [...records, known] })), 'fuzz');
        check(result);
        expect(result.ok && result.candidates.some((c) => c.event.eventID === 'known')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
