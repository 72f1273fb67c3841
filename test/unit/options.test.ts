import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseTime, resolveOptions } from '../../src/options.js';

const now = Date.parse('2026-11-24T12:00:00Z');
const env = { stdoutIsTTY: false, stderrIsTTY: false, noColor: false, nowMs: now };

describe('parseTime', () => {
  it('reads durations back from now', () => {
    expect(parseTime('since', '30d', now)).toBe(now - 30 * 86_400_000);
    expect(parseTime('since', '12h', now)).toBe(now - 12 * 3_600_000);
    expect(parseTime('since', '90m', now)).toBe(now - 90 * 60_000);
  });

  it('reads ISO dates as UTC unless an offset is given', () => {
    expect(parseTime('since', '2026-10-01', now)).toBe(Date.UTC(2026, 9, 1));
    expect(parseTime('since', '2026-10-01T12:30', now)).toBe(Date.UTC(2026, 9, 1, 12, 30));
    expect(parseTime('since', '2026-10-01T12:30:05Z', now)).toBe(Date.UTC(2026, 9, 1, 12, 30, 5));
    expect(parseTime('since', '2026-10-01T12:30:00+02:00', now)).toBe(Date.UTC(2026, 9, 1, 10, 30));
  });

  it('rejects what is neither, naming the flag', () => {
    for (const bad of ['yesterday', '30', '30x', '2026-13-01', '2026-02-30', '']) {
      expect(() => parseTime('until', bad, now)).toThrow(/--until/);
    }
  });
});

describe('resolveOptions', () => {
  it('needs something to hunt', () => {
    expect(() => resolveOptions({}, env)).toThrow(UsageError);
  });

  it('rejects --until before --since', () => {
    expect(() => resolveOptions({ source: ['x'], since: '2026-10-08', until: '2026-10-01' }, env)).toThrow(/--until .* not after --since/);
  });

  it('validates accounts, regions and workers', () => {
    expect(() => resolveOptions({ source: ['x'], account: ['1234'] }, env)).toThrow(/--account/);
    expect(() => resolveOptions({ source: ['x'], region: ['mars'] }, env)).toThrow(/--region/);
    expect(() => resolveOptions({ source: ['x'], workers: 0 }, env)).toThrow(/--workers/);
    expect(() => resolveOptions({ source: ['x'], workers: 1.5 }, env)).toThrow(/--workers/);
  });

  it('picks the format from the terminal', () => {
    expect(resolveOptions({ source: ['x'] }, env).format).toBe('ndjson');
    expect(resolveOptions({ source: ['x'] }, { ...env, stdoutIsTTY: true }).format).toBe('table');
    expect(resolveOptions({ source: ['x'], format: 'table' }, env).format).toBe('table');
  });

  it('shows progress only on a terminal, and never with --quiet or --no-progress', () => {
    const tty = { ...env, stderrIsTTY: true };
    expect(resolveOptions({ source: ['x'] }, env).progress).toBe(false);
    expect(resolveOptions({ source: ['x'] }, tty).progress).toBe(true);
    expect(resolveOptions({ source: ['x'], quiet: true }, tty).progress).toBe(false);
    expect(resolveOptions({ source: ['x'], progress: false }, tty).progress).toBe(false);
  });

  it('honours NO_COLOR', () => {
    expect(resolveOptions({ source: ['x'] }, { ...env, stdoutIsTTY: true }).color).toBe(true);
    expect(resolveOptions({ source: ['x'] }, { ...env, stdoutIsTTY: true, noColor: true }).color).toBe(false);
  });
});
