// The engine flags: defaults keep today's behaviour; wrong combinations are usage errors.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveOptions } from '../../src/options.js';

const env = { stdoutIsTTY: false, stderrIsTTY: false, noColor: true, nowMs: 0 };

describe('engine options', () => {
  it('defaults to the local engine', () => {
    const o = resolveOptions({ source: ['x'] }, env);
    expect(o.engine).toBe('local');
    expect(o.dryRun).toBe(false);
  });
  it('athena needs no --source and refuses one', () => {
    const o = resolveOptions({ engine: 'athena', athenaDatabase: 'security' }, env);
    expect(o.athena).toEqual({ database: 'security', table: 'cloudtrail_logs', workgroup: undefined, output: undefined });
    expect(() => resolveOptions({ engine: 'athena', source: ['x'] }, env)).toThrow(/not --source/);
  });
  it('refuses athena flags without --engine athena, a bad output, an unknown engine, --dry-run with local', () => {
    expect(() => resolveOptions({ source: ['x'], athenaTable: 't' }, env)).toThrow(/need --engine athena/);
    expect(() => resolveOptions({ engine: 'athena', athenaOutput: 'bucket/x' }, env)).toThrow(/--athena-output/);
    expect(() => resolveOptions({ source: ['x'], engine: 'spark' }, env)).toThrow(UsageError);
    expect(() => resolveOptions({ source: ['x'], dryRun: true }, env)).toThrow(/--dry-run/);
  });
});
