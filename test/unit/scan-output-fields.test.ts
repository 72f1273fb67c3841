// A rule's Sigma `fields:` reach its hits only if the workers cut them out of
// the events: a detection rule's from its own events, a correlation's from the
// events of every detection rule down its chain.

import { describe, expect, it } from 'vitest';
import type { CorrelationRule, DetectionRule, Rule } from '../../src/rules/types.js';
import { Scanner } from '../../src/scan/scanner.js';
import { detectionRule } from '../helpers/rules.js';

const ALL = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };

const detection = (key: string, outputFields: string[] = []): DetectionRule =>
  detectionRule(key, { sel: { eventName: 'ConsoleLogin' }, condition: 'sel' }, { generate: false, outputFields });
const correlation = (key: string, rules: string[], outputFields: string[]): CorrelationRule => ({
  kind: 'correlation',
  key,
  title: key,
  level: 'high',
  id: null,
  file: `${key}.yml`,
  type: 'event_count',
  rules,
  groupBy: ['recipientAccountId'],
  aliases: {},
  timespanMs: 60_000,
  dedupMs: 60_000,
  condition: { gte: 2 },
  generate: true,
  outputFields,
});

describe('output fields in the scanner', () => {
  it('carries a detection rule\'s own fields and, down a chain, each correlation\'s', () => {
    const rules: Rule[] = [
      detection('base', ['userAgent']),
      correlation('inner', ['base'], ['additionalEventData.MFAUsed']),
      correlation('outer', ['inner'], ['sourceIPAddress', 'responseElements.ConsoleLogin']),
    ];
    const record = {
      eventTime: '2026-10-05T10:00:00Z',
      eventID: 'e1',
      eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com',
      recipientAccountId: '111122223333',
      sourceIPAddress: '192.0.2.1',
      userAgent: 'curl',
      additionalEventData: { MFAUsed: 'No' },
      responseElements: { ConsoleLogin: 'Failure' },
    };
    const result = new Scanner(rules, ALL).scan(Buffer.from(JSON.stringify({ Records: [record] })), 'a.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]!.event.fields).toMatchObject({
      recipientAccountId: '111122223333',
      userAgent: 'curl',
      'additionalEventData.MFAUsed': 'No',
      sourceIPAddress: '192.0.2.1',
      'responseElements.ConsoleLogin': 'Failure',
    });
  });
});
