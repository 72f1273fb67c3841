// The filter never drops a match: for random CloudTrail-shaped events and the
// bundled + modifier rules, whenever the local matcher matches an event, the
// DuckDB filter (`over`) keeps its row; and whatever `under` keeps, the local
// matcher matches (so a NOT printed from it never drops a match either).
// The strings include what SQL and JavaScript read differently (issue 14):
// letters whose case folds differently (final sigma, dotted I, the Kelvin
// sign), astral characters under `?`, JSON text held as a JSON string in a
// JSON column, and text that is not JSON at all in one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckEngine } from '../../src/sql/duckdb.js';
import { detectionBounds } from '../../src/sql/sql.js';
import { compileDetection } from '../../src/rules/compile.js';
import { bundledRules, modifierRules } from './helpers.js';

const caseOf = (s: string) => fc.constantFrom(s, s.toLowerCase(), s.toUpperCase());
const text = fc.oneof(
  caseOf('ConsoleLogin'),
  caseOf('EnableMFADevice'),
  caseOf('DeactivateMFADevice'),
  fc.constantFrom('DeleteVirtualMFADevice', 'ListMFADevices', 'CreateUser', 'x100%y', 'a_b', 'axb', 'x*y', 'xzy', 'qaz', 'q?z', 'maria.garcia', 'Maria.Garcia', 'arn:aws:iam::1:user/a', 'Success', 'Failure', 'failure', 'Yes', 'YES', 'No', 'true', 'arn:aws:iam::1:mfa/Dev', 'arn:aws:iam::1:mfa/dev1', 'it\'s', 'back\\slash', 'line\nbreak', 'Ünï'),
  fc.string({ maxLength: 6 }),
  // What SQL and JavaScript fold or count differently.
  fc.constantFrom('ΟΔΥΣΣΕΥΣ', 'οδυσσευς', 'ΟΔΥΣΣΕΥς', 'ΣΑΣ', 'σας', 'İ', 'i̇', 'arn:aws:iam::1:user/İzmir', 'arn:aws:iam::1:user/izmir', 'K', 'Kelvin', 'kelvin', 'x😀y', 'x😀', '😀x😀', 'xaby', 'axa', 'ǅ', 'ß', 'ẞ'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.stringMatching(/^[a-zΣσςİK😀?*]{0,5}$/u),
);
const scalar = fc.oneof({ weight: 6, arbitrary: text }, fc.integer({ min: 0, max: 60 }), fc.boolean(), fc.constant(null), fc.constant(50.0));
const jsonValue = fc.oneof({ weight: 5, arbitrary: scalar }, fc.array(text, { maxLength: 2 }), fc.dictionary(fc.constantFrom('userName', 'b', 'x'), text, { maxKeys: 2 }));
const jsonObject = fc.record(
  {
    userName: jsonValue,
    serialNumber: jsonValue,
    maxItems: jsonValue,
    withDecryption: jsonValue,
    ConsoleLogin: jsonValue,
    MFAUsed: jsonValue,
    SamlProviderArn: jsonValue,
    'a.b': text,
    a: fc.oneof(fc.record({ b: text }), fc.array(fc.record({ b: text }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    eventSource: fc.oneof(caseOf('iam.amazonaws.com'), caseOf('signin.amazonaws.com'), text),
    eventName: text,
    awsRegion: fc.constantFrom('us-east-1', 'eu-west-1', 'US-EAST-1'),
    sourceIPAddress: fc.constantFrom('198.51.100.23', '203.0.113.5', 'signin.amazonaws.com'),
    errorCode: fc.oneof(fc.constant(null), fc.constantFrom('AccessDenied', 'accessdenied', '')),
    userIdentity: fc.record(
      {
        type: fc.constantFrom('IAMUser', 'Root', 'AssumedRole', 'iamuser'),
        userName: text,
        arn: text,
        sessionContext: fc.record({ attributes: fc.record({ mfaAuthenticated: fc.constantFrom('true', 'false', 'TRUE') }, { requiredKeys: [] }) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    requestParameters: fc.oneof({ weight: 4, arbitrary: jsonObject }, fc.constant(null), fc.array(jsonObject, { maxLength: 2 }), fc.constantFrom('abc', '', '{"userName": "x"')),
    responseElements: fc.oneof(jsonObject, fc.constant(null)),
    // JSON text held as a string: the table gives the same text as for the object it spells.
    additionalEventData: fc.oneof({ weight: 3, arbitrary: jsonObject }, jsonObject.map((o) => JSON.stringify(o)), fc.constant('not json')),
  },
  { requiredKeys: [] },
);

describe('SQL filter vs the local matcher on random events (DuckDB)', () => {
  let engine: DuckEngine;
  let dir: string;
  let file: string;
  let events: Record<string, unknown>[];

  beforeAll(async () => {
    engine = await DuckEngine.create();
    dir = mkdtempSync(join(tmpdir(), 'hunt-sql-prop-'));
    file = join(dir, 'events.json');
    events = fc.sample(event, { numRuns: 2500, seed: 7 }).map((e, i) => ({
      eventVersion: '1.08',
      eventTime: '2026-10-06T10:00:00Z',
      eventID: `e${i}`,
      ...e,
    }));
    writeFileSync(file, JSON.stringify({ Records: events }));
  });
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every row the local matcher matches; `under` keeps only matches', async () => {
    const rules = [...(await bundledRules()), ...(await modifierRules())].filter((r) => r.kind === 'detection' || r.kind === 'stateful');
    // Every rule's `over` and `under`, each as the WHERE of its own SELECT, in one
    // query: the events are read once (a materialized CTE over the view), not twice per rule.
    const bounds = rules.map((rule) => detectionBounds(rule.detection, rule.file, 'duckdb'));
    const selects = bounds.flatMap((b, i) => [
      `SELECT path, eventid, 'over ${i}' AS filter FROM events WHERE ${b.over}`,
      `SELECT path, eventid, 'under ${i}' AS filter FROM events WHERE ${b.under}`,
    ]);
    const rows = await engine.rowsOf([file], `WITH events AS MATERIALIZED (SELECT "$path" AS path, * FROM cloudtrail)\n${selects.join('\nUNION ALL\n')}`);
    const kept = new Map<string, Set<string>>();
    for (const r of rows) {
      const ids = kept.get(r.filter as string) ?? new Set<string>();
      ids.add(r.eventid as string);
      kept.set(r.filter as string, ids);
    }
    let matchedTotal = 0;
    for (const [i, rule] of rules.entries()) {
      const match = compileDetection(rule.detection, { file: rule.file });
      const over = kept.get(`over ${i}`) ?? new Set<string>();
      const under = kept.get(`under ${i}`) ?? new Set<string>();
      const local = new Set(events.filter((e) => match(e)).map((e) => e.eventID as string));
      matchedTotal += local.size;
      const dropped = [...local].filter((id) => !over.has(id));
      expect(dropped, `${rule.key}: rows the SQL filter drops though the rule matches`).toEqual([]);
      const wrong = [...under].filter((id) => !local.has(id));
      expect(wrong, `${rule.key}: rows 'under' keeps though the rule does not match`).toEqual([]);
    }
    expect(events.length).toBeGreaterThanOrEqual(2000);
    expect(matchedTotal).toBeGreaterThan(50); // the events do exercise the rules
  }, 180_000);
});
