import { describe, expect, it } from 'vitest';
import { shortTime, summary, Tally } from '../../src/output/summary.js';
import { hit, variedHits } from './hits.js';

const stats = (events: number) => ({ bytes: 2_000_000, records: events, events, notObjects: 0, badTimes: 0, firstMs: null, lastMs: null, covered: false, otherAccount: null });
const ms = (iso: string) => Date.parse(iso);

function tally(): Tally {
  const t = new Tally();
  t.addScanned(stats(10));
  return t;
}

describe('summary: what was covered', () => {
  it('names the resolved window and the event times actually read', () => {
    const t = tally();
    t.noteEventTime(ms('2024-11-30T08:01:00Z'));
    t.noteEventTime(ms('2023-07-10T11:42:00Z'));
    t.noteEventTime(ms('2024-01-01T00:00:00Z'));
    const out = summary({ tally: t, hits: [], elapsedMs: 1200, interrupted: false, window: { sinceMs: ms('2023-07-01T13:00:00Z'), untilMs: ms('2024-12-01T13:00:00Z') } });
    expect(out).toContain('hunt: window 2023-07-01T13:00Z → 2024-12-01T13:00Z\n');
    expect(out).toContain('hunt: events 2023-07-10T11:42Z … 2024-11-30T08:01Z\n');
  });

  it('says when an end of the window is open', () => {
    const out = (sinceMs: number, untilMs: number) => summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, window: { sinceMs, untilMs } });
    expect(out(-Infinity, Infinity)).toContain('hunt: window (open: no --since) → (open: no --until)\n');
    expect(out(ms('2026-11-01T13:00:00Z'), Infinity)).toContain('hunt: window 2026-11-01T13:00Z → (open: no --until)\n');
    expect(out(-Infinity, ms('2026-12-01T13:00:00Z'))).toContain('hunt: window (open: no --since) → 2026-12-01T13:00Z\n');
  });

  it('says when no event was read, and when none fell inside the window', () => {
    const none = summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, window: { sinceMs: 0, untilMs: 1 } });
    expect(none).toContain('hunt: events: none read\n');
    const outside = summary({
      tally: tally(),
      hits: [],
      elapsedMs: 0,
      interrupted: false,
      window: { sinceMs: ms('2026-11-01T00:00:00Z'), untilMs: Infinity },
      eventRange: { minMs: ms('2023-07-10T11:42:00Z'), maxMs: ms('2024-11-30T08:01:00Z') },
    });
    expect(outside).toContain('hunt: events 2023-07-10T11:42Z … 2024-11-30T08:01Z (none inside the window)\n');
  });

  it('counts rules loaded, skipped and refused', () => {
    const out = summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, rules: { loaded: 6, skipped: 3, refused: 1 } });
    expect(out).toContain('hunt: rules: 6 loaded, 3 skipped (other log sources), 1 refused\n');
    expect(summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, rules: { loaded: 6, skipped: 0, refused: 0 } })).toContain('hunt: rules: 6 loaded\n');
  });

  it('counts hits per severity, most severe first, and per rule', () => {
    const hits = [hit({ severity: 'medium' }), hit({ severity: 'high' }), hit({ severity: 'medium', rule: 'b' }), hit({ severity: 'informational', rule: 'a' })];
    const out = summary({ tally: tally(), hits, elapsedMs: 0, interrupted: false });
    expect(out).toContain('hunt: hits by severity: high 1, medium 2, informational 1\n');
    expect(out).toContain('hunt: 4 hits: a 1, aws-console-login-mfa-failures 2, b 1\n');
  });

  it('warns of eventIDs shared by records with different content', () => {
    const out = summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, collisions: { count: 3, first: 'abc-123' } });
    expect(out).toContain('hunt: warning: 3 eventIDs are shared by records with different content (first: abc-123): each counted as its own event\n');
    const one = summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, collisions: { count: 1, first: 'x' } });
    expect(one).toContain('1 eventID is shared');
    expect(summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false, collisions: { count: 0, first: '' } })).not.toContain('warning');
  });

  it('says nothing of what was not given', () => {
    const out = summary({ tally: tally(), hits: [], elapsedMs: 0, interrupted: false });
    expect(out).not.toMatch(/window|events |rules:|severity|warning/);
  });
});

describe('summary: the lines it always had', () => {
  it('keeps scanned, skipped, FAILED, dropped, S3 requests and credential reports', () => {
    const t = tally();
    t.addSkipped('digest', false);
    t.addSkipped('other-service', true);
    t.addFailed('bad-gzip');
    t.notObjects = 2;
    t.addRequests('S3', 4, 1);
    t.credentialReports = 1;
    const out = summary({ tally: t, hits: [], elapsedMs: 2500, interrupted: true });
    expect(out).toContain('hunt: interrupted: partial results; scanned 1 object (2.0 MB, 10 records, 10 examined) in 2.5 s\n');
    expect(out).toContain('hunt: skipped 1 file unopened: 1 CloudTrail digest\n');
    expect(out).toContain('hunt: skipped 1 folder unlisted: 1 other AWS service logs\n');
    expect(out).toContain('hunt: FAILED 1 object, named above, contributed no events: 1 bad gzip\n');
    expect(out).toContain('hunt: dropped 2 records: 2 not an object\n');
    expect(out).toContain('hunt: S3 requests: 4 LISTs, 1 GET\n');
    expect(out).toContain('hunt: read 1 credential report\n');
    expect(out).toMatch(/hunt: 0 hits\n$/);
  });

  it('still takes the positional form the CLI uses today', () => {
    const t = tally();
    expect(summary(t, [hit()], 1000, false)).toBe(summary({ tally: t, hits: [hit()], elapsedMs: 1000, interrupted: false }));
  });
});

describe('summary: attacker-controlled text', () => {
  it('escapes a rule name that would clear the screen and fake an all-clear', () => {
    const out = summary({ tally: tally(), hits: variedHits(), elapsedMs: 0, interrupted: false, collisions: { count: 1, first: 'id\u001b[2J' } });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain('x\\x1b[2J\\x1b[32mhunt: 0 hits, all clear 1');
    expect(out).toContain('(first: id\\x1b[2J)');
  });
});

describe('Tally event range', () => {
  it('is null until an event time is noted, then the oldest and newest', () => {
    const t = new Tally();
    expect(t.eventRange).toBeNull();
    t.noteEventTime(NaN);
    expect(t.eventRange).toBeNull();
    t.noteEventTime(5);
    t.noteEventTime(3);
    t.noteEventTime(9);
    expect(t.eventRange).toEqual({ minMs: 3, maxMs: 9 });
  });
});

describe('shortTime', () => {
  it('prints minutes, and seconds or milliseconds only when there are some', () => {
    expect(shortTime(ms('2026-11-01T13:00:00Z'))).toBe('2026-11-01T13:00Z');
    expect(shortTime(ms('2026-11-01T13:00:07Z'))).toBe('2026-11-01T13:00:07Z');
    expect(shortTime(ms('2026-11-01T13:00:07.250Z'))).toBe('2026-11-01T13:00:07.250Z');
  });
});
