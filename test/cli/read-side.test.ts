// An object reached twice is scanned once, and a credential report read once.

import { describe, expect, it, vi } from 'vitest';
import { hunt } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });

/** `hunt --source samples --format ndjson`, the reference of every test here, run once. */
let reference: ReturnType<typeof hunt> | undefined;
const samplesOnce = () => (reference ??= hunt(['--source', 'samples', '--format', 'ndjson']));

describe('objects reached twice', () => {
  it('--source samples --source samples prints exactly the hits of --source samples', async () => {
    const once = await samplesOnce();
    const twice = await hunt(['--source', 'samples', '--source', 'samples', '--format', 'ndjson']);
    expect(twice.stdout).toBe(once.stdout);
    expect(twice.stderr.replace(/ in [\d.]+ s/, '')).toBe(once.stderr.replace(/ in [\d.]+ s/, ''));
  });

  it('a folder and a file inside it: the file is scanned once', async () => {
    const once = await samplesOnce();
    const file = 'samples/AWSLogs/o-7k2m9x4q1z/111122223333/CloudTrail/us-east-1/2026/10/06';
    const both = await hunt(['--source', 'samples', '--source', file, '--format', 'ndjson']);
    expect(both.stdout).toBe(once.stdout);
    expect(/scanned (\d+) objects/.exec(both.stderr)![1]).toBe(/scanned (\d+) objects/.exec(once.stderr)![1]);
  });

  it('--credential-report naming a report found among the sources reads it once', async () => {
    const once = await samplesOnce();
    const named = await hunt(['--source', 'samples', '--credential-report', 'samples/credential-report.csv', '--format', 'ndjson']);
    expect(named.stdout).toBe(once.stdout);
    expect(named.stderr).toMatch(/read 1 credential report\n/);
  });
});
