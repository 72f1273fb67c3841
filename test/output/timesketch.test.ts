import { describe, expect, it } from 'vitest';
import { timesketch } from '../../src/output/timesketch.js';
import { contextEvent, hit, variedHits } from './hits.js';

const parsed = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('timesketch', () => {
  it('gives every line the fields Timesketch requires: message, datetime (ISO 8601), timestamp_desc', () => {
    const out = timesketch(variedHits());
    const lines = parsed(out.text);
    expect(lines.length).toBe(out.lines);
    for (const l of lines) {
      expect(typeof l.message).toBe('string');
      expect(l.message).not.toBe('');
      expect(l.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
      expect(typeof l.timestamp_desc).toBe('string');
      expect(l.timestamp).toBe(Date.parse(l.datetime as string) * 1000);
    }
  });

  it('writes a timed hit at its first event with its own fields', () => {
    const [line] = parsed(timesketch([hit({ target: 'maria.garcia' })]).text);
    expect(line).toMatchObject({
      datetime: '2026-10-06T09:12:05+00:00',
      timestamp: 1791277925000000,
      rule: 'aws-console-login-mfa-failures',
      severity: 'high',
      account: '111122223333',
      target: 'maria.garcia',
      actor: 'maria.garcia',
      sourceIPAddress: '198.51.100.23',
      eventIDs: ['e1', 'e2', 'e3'],
      lastTime: '2026-10-06T09:20:41Z',
      count: 3,
      data_type: 'aws:cloudtrail:hunt:hit',
    });
    expect(line!.message).toContain('maria.garcia');
  });

  it('leaves posture hits out (they have no time) and counts them', () => {
    const out = timesketch(variedHits());
    expect(out.untimed).toBe(1);
    expect(parsed(out.text).some((l) => l.rule === 'aws-iam-user-mfa')).toBe(false);
  });

  it('writes one line per context event, tied to its hit', () => {
    const out = timesketch([
      hit({ context: [contextEvent({ eventID: 'c1', time: '2026-10-06T09:10:00Z' }), contextEvent({ eventID: 'e1', inHit: true, errorCode: 'Failed' })] }),
    ]);
    const lines = parsed(out.text);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ datetime: '2026-10-06T09:10:00+00:00', eventID: 'c1', inHit: false, hitRule: 'aws-console-login-mfa-failures', data_type: 'aws:cloudtrail:hunt:context' });
    expect(lines[2]).toMatchObject({ eventID: 'e1', inHit: true, errorCode: 'Failed' });
    expect(lines[2]!.message).toContain('Failed');
  });

  it('escapes C1 controls and bidi overrides, and stays the same JSON', () => {
    const actor = 'bob\u009b31m\u202eevil\u001b[2J';
    const out = timesketch([hit({ actor })]);
    expect(out.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(parsed(out.text)[0]!.actor).toBe(actor);
  });
});
