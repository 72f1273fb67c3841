// The built CLI finds the same hits with the prefilter on and off
// (HUNT_PREFILTER=off), over the bundled samples and over a generated corpus
// of realistic, compact CloudTrail objects.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../scripts/corpus.js';
import { ACCOUNT_A, ACCOUNT_B, DAYS, START, stories } from '../../scripts/make-samples.js';
import { hunt, ROOT } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hunt-prefilter-'));
  const planted = stories().flatMap((s) => s.events.map((e) => ({ record: e.record, copies: e.copies })));
  for (const o of generateCorpus({
    seed: 'prefilter-cli',
    accounts: [ACCOUNT_A, ACCOUNT_B],
    regions: ['us-east-1', 'eu-west-1'],
    start: START,
    days: DAYS,
    filesPerHour: (ctx) => (new Date(ctx.hourMs).getUTCHours() % 8 === 0 ? 1 : 0),
    recordsPerFile: [100, 400],
    planted,
  })) {
    const path = join(dir, o.key);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.body);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function both(args: string[]): Promise<{ on: string; off: string }> {
  const [on, off] = await Promise.all([hunt(args), hunt(args, { env: { HUNT_PREFILTER: 'off' } })]);
  expect(on.code, on.stderr).toBe(0);
  expect(off.code, off.stderr).toBe(0);
  return { on: on.stdout, off: off.stdout };
}

describe('hits with the prefilter on and off', () => {
  it('are the same over samples/', async () => {
    const { on, off } = await both(['--source', join(ROOT, 'samples/AWSLogs'), '--format', 'ndjson', '--workers', '2', '--no-progress']);
    expect(on.trim()).not.toBe('');
    expect(on).toBe(off);
  });

  it('are the same over a generated corpus with the incidents planted', async () => {
    const { on, off } = await both(['--source', dir, '--format', 'ndjson', '--workers', '2', '--no-progress']);
    expect(on.split('\n').length).toBeGreaterThan(5);
    expect(on).toBe(off);
  }, 120_000);
});
