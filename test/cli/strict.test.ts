// The prefilter parses only records that hold a rule literal, so a record
// that cannot match is never parsed and damage inside it is not seen
// (issue: Trust, item 11). --strict parses every record: such an object then
// fails whole, as it does with the prefilter off, and the others' hits stay.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options.js';
import { hunt, lines } from '../helpers/cli.js';
import { deactivate, event, gz } from '../helpers/events.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-strict-'));
  // CloudTrail's own layout (so the prefilter runs), with one record that is
  // not JSON and holds no rule literal, next to one that matches.
  const damaged = `{"Records":[${JSON.stringify(deactivate({ eventID: 'in-damaged' }))},{"eventVersion":"1.08","eventName":"ListUsers","eventTime":"2026-10-05T10:00:00Z" "no comma"}]}`;
  await writeFile(path.join(dir, 'damaged.json.gz'), gzipSync(damaged));
  await writeFile(path.join(dir, 'whole.json.gz'), gz([event({}), deactivate({ eventID: 'in-whole' })]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const ids = (stdout: string) => lines(stdout).map((h) => (h.eventIDs as string[])[0]).sort();

describe('--strict', () => {
  it('by default, damage in a record that cannot match is not seen: the object is scanned and gives its hit', async () => {
    const run = await hunt(['--source', dir, '--format', 'ndjson']);
    expect(run.code, run.stderr).toBe(0);
    expect(ids(run.stdout)).toEqual(['in-damaged', 'in-whole']);
  });

  it('parses every record: the damaged object fails whole, named (exit 3), and the other object\'s hits stay', async () => {
    const run = await hunt(['--source', dir, '--format', 'ndjson', '--strict']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: ${path.join(dir, 'damaged.json.gz')}: not JSON`);
    expect(ids(run.stdout)).toEqual(['in-whole']);
  });

  it('is what HUNT_PREFILTER=off does', async () => {
    const off = await hunt(['--source', dir, '--format', 'ndjson'], { env: { HUNT_PREFILTER: 'off' } });
    const strict = await hunt(['--source', dir, '--format', 'ndjson', '--strict']);
    expect([off.code, off.stdout]).toEqual([strict.code, strict.stdout]);
  });

  it('turns the prefilter off in the options', () => {
    const env = { stdoutIsTTY: false, stderrIsTTY: false, noColor: false, nowMs: 0 };
    expect(resolveOptions({ source: ['x'] }, env)).toMatchObject({ prefilter: true, strict: false });
    expect(resolveOptions({ source: ['x'], strict: true }, env)).toMatchObject({ prefilter: false, strict: true });
  });
});
