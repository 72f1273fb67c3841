// A credential report found among the sources is input like any object
// (issue: Trust, item 3): a bad one fails alone, named (exit 3), and every
// other hit is kept; a well-formed planted one's posture hits name the file
// they came from, so a responder can tell them from the real report's.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunt, lines, ROOT } from '../helpers/cli.js';
import { deactivate, gz } from '../helpers/events.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-trust-report-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a 6-byte credential-report.csv under a --source', () => {
  let source: string;
  beforeAll(async () => {
    source = path.join(dir, 'bad');
    await mkdir(path.join(source, 'iam'), { recursive: true });
    await writeFile(path.join(source, 'iam/credential-report.csv'), 'garbag');
    await writeFile(path.join(source, 'events.json.gz'), gz([deactivate({ eventID: 'kept-1' }), deactivate({ eventID: 'kept-2', eventTime: '2026-10-05T11:00:00Z' })]));
  });

  it('fails alone and named (exit 3, not a usage error), and every other hit is kept', async () => {
    const run = await hunt(['--source', source, '--format', 'ndjson']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`error: ${path.join(source, 'iam/credential-report.csv').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(run.stderr).toMatch(/FAILED 1 object, named above, contributed no events: 1 not a credential report/);
    expect(lines(run.stdout).map((h) => (h.eventIDs as string[])[0])).toEqual(['kept-1', 'kept-2']);
  });
});

describe('a well-formed credential report planted next to the real one', () => {
  let source: string;
  beforeAll(async () => {
    source = path.join(dir, 'planted');
    const real = await readFile(path.join(ROOT, 'samples/credential-report.csv'), 'utf8');
    const [header, ...rows] = real.trim().split('\n');
    const deployBot = rows.find((r) => r.startsWith('deploy-bot,'))!;
    const planted = deployBot.replaceAll('deploy-bot', 'mallory').replaceAll('444455556666', '111122223333');
    await mkdir(path.join(source, 'real'), { recursive: true });
    await mkdir(path.join(source, 'upload'), { recursive: true });
    await writeFile(path.join(source, 'real/credential-report.csv'), real);
    await writeFile(path.join(source, 'upload/credential-report.csv'), `${header}\n${planted}\n`);
  });

  it('gives posture hits that each name, in sources, the report they came from', async () => {
    const run = await hunt(['--source', source, '--format', 'ndjson']);
    // Only reports among the sources, no log: the posture hits are there, and the hunt says it covered no events (exit 4).
    expect(run.code, run.stderr).toBe(4);
    const posture = lines(run.stdout).filter((h) => h.rule === 'aws-iam-user-mfa');
    // Posture hits sort by group, whose ARN comes first: account 1111… before 4444….
    expect(posture.map((h) => [h.actor, h.account, h.sources])).toEqual([
      ['mallory', '111122223333', [path.join(source, 'upload/credential-report.csv')]],
      ['deploy-bot', '444455556666', [path.join(source, 'real/credential-report.csv')]],
    ]);
    expect(run.stderr).toMatch(/read 2 credential reports/);
  });
});
