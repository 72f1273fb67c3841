// `--engine duckdb` and `--engine local` print byte-identical NDJSON (sources
// included: DuckDB keeps each row's file name, which is the path the local
// source lists) on the samples, on a generated multi-day corpus with bad
// objects, and with a directory of Sigma rules. Both corpora mix one-line and
// pretty-printed objects (JSON over many lines, as exports and real trails
// hold them), and carry odd JSON-typed values: text that is not JSON in a
// JSON column, a gzip cut inside its trailer.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consoleLogin, createLoginProfile, createUser, deactivateMFADevice, generateCorpus, iamUser, type Planted } from '../../scripts/corpus.js';
import { hunt, ROOT, type Run } from '../helpers/cli.js';
import { modifierRulesDir } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

/** Hunts with both engines, expects the same exit code and NDJSON, and returns the local run. */
async function both(args: string[]): Promise<Run> {
  const local = await hunt([...args, '--format', 'ndjson', '--no-progress']);
  const duck = await hunt([...args, '--format', 'ndjson', '--no-progress', '--engine', 'duckdb']);
  expect(duck.stderr).not.toMatch(/internal error/);
  expect(duck.code).toBe(local.code);
  expect(duck.stdout).toBe(local.stdout);
  return local;
}

/** Rewrites every other log object under `dir` pretty-printed (still gzip, still one {"Records": [...]}). */
function prettyPrintHalf(dir: string): number {
  let n = 0;
  const logs = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json.gz') && f.includes('/CloudTrail/')).sort();
  logs.forEach((f, i) => {
    if (i % 2 === 1) return;
    const path = join(dir, f);
    writeFileSync(path, gzipSync(JSON.stringify(JSON.parse(gunzipSync(readFileSync(path)).toString()), null, i % 4 === 0 ? 2 : '\t')));
    n++;
  });
  return n;
}

describe('--engine duckdb = --engine local', () => {
  let dir: string;
  let pretty: string;
  const A = '111122223333';
  const B = '444455556666';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hunt-duck-'));
    const maria = iamUser(A, 'maria.garcia');
    const admin = iamUser(A, 'ci-admin');
    const bob = iamUser(B, 'Bob');
    const planted: Planted[] = [
      ...[0, 4, 9].map((m) => ({ record: consoleLogin({ actor: maria, time: Date.parse('2026-10-06T09:00:00Z') + m * 60_000, success: false, mfaUsed: true, sourceIPAddress: '198.51.100.23' }) })),
      { record: deactivateMFADevice({ actor: admin, userName: 'maria.garcia', time: '2026-10-06T10:05:31Z' }), copies: 2 },
      { record: consoleLogin({ actor: maria, time: '2026-10-06T10:09:14Z', mfaUsed: false, mfaUsedText: 'NO' }) },
      { record: createUser({ actor: admin, userName: 'deploy-bot', time: '2026-10-07T08:00:00Z' }) },
      { record: createLoginProfile({ actor: admin, userName: 'deploy-bot', time: '2026-10-07T08:01:00Z' }) },
      { record: consoleLogin({ actor: bob, time: '2026-10-07T23:59:59Z', success: false, mfaUsed: true, mfaUsedText: 'YES', region: 'eu-west-1' }) },
      { record: consoleLogin({ actor: bob, time: '2026-10-08T00:05:00Z', success: false, mfaUsed: true, region: 'eu-west-1' }) },
    ];
    for (const o of generateCorpus({
      seed: 'engines-duckdb',
      accounts: [A, B],
      regions: ['us-east-1', 'eu-west-1'],
      start: '2026-10-05',
      days: 4,
      filesPerHour: 1,
      recordsPerFile: [3, 8],
      planted,
      organizationId: 'o-abcdefgh12',
    })) {
      const path = join(dir, o.key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, o.body);
    }
    expect(prettyPrintHalf(dir)).toBeGreaterThan(50);
    const day = join(dir, 'AWSLogs/o-abcdefgh12', A, 'CloudTrail/us-east-1/2026/10/06');
    const good = gzipSync(JSON.stringify({ Records: [consoleLogin({ actor: iamUser(A, 'plain.text'), time: '2026-10-06T12:00:00Z' })] }));
    // Plain JSON under a .gz name and gzip under a .json name: the bytes decide.
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1205Z_PlainJsonGzName0.json.gz`), JSON.stringify({ Records: [consoleLogin({ actor: iamUser(A, 'plain.gz'), time: '2026-10-06T12:01:00Z' })] }));
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1210Z_GzipUnderJsonNam.json`), good);
    // Bad objects: both engines name them and exit 3, and they give no events.
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1215Z_TruncatedGzip000.json.gz`), good.subarray(0, Math.floor(good.length / 2)));
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1220Z_NotCloudTrail000.json.gz`), gzipSync('{"records":[]}'));
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1225Z_NotJson000000000.json`), '{"Records": [ oops');
    // Cut inside the gzip trailer (CRC and length): DuckDB alone would read it whole.
    writeFileSync(join(day, `${A}_CloudTrail_us-east-1_20261006T1230Z_CutTrailer000000.json.gz`), good.subarray(0, good.length - 3));
    // Odd JSON-typed values: not JSON in a JSON column, JSON text held as a string, null where CloudTrail puts objects.
    const odd = (name: string, patch: Record<string, unknown>, time: string) => ({ ...consoleLogin({ actor: iamUser(A, name), time, mfaUsed: false }), ...patch });
    writeFileSync(
      join(day, `${A}_CloudTrail_us-east-1_20261006T1235Z_OddJsonValues000.json.gz`),
      gzipSync(JSON.stringify({ Records: [
        odd('odd.text', { requestParameters: 'abc' }, '2026-10-06T12:30:00Z'),
        odd('odd.brace', { requestParameters: '{"userName": "x"' }, '2026-10-06T12:31:00Z'),
        odd('odd.null', { requestParameters: null, additionalEventData: null }, '2026-10-06T12:32:00Z'),
      ] }, null, 2)),
    );
    // samples/, half of it pretty-printed.
    pretty = mkdtempSync(join(tmpdir(), 'hunt-duck-pretty-'));
    cpSync(join(ROOT, 'samples'), pretty, { recursive: true });
    expect(prettyPrintHalf(pretty)).toBeGreaterThan(50);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(pretty, { recursive: true, force: true });
  });

  it.each([
    [['--source', 'samples']],
    [['--source', 'samples', '--since', '2026-10-06', '--until', '2026-10-07']],
    [['--source', 'samples', '--account', '444455556666']],
    [['--source', 'samples', '--region', 'eu-west-1']],
    [['--source', 'samples', '--rule', 'aws-iam-*']],
  ])('on samples/: %j', async (args) => {
    await both(args);
  });

  it('on a generated multi-day organization corpus with bad objects', async () => {
    const local = await hunt(['--source', dir, '--format', 'ndjson', '--no-progress']);
    expect(local.code).toBe(3);
    expect(local.stdout.split('\n').length).toBeGreaterThan(5);
    const duck = await hunt(['--source', dir, '--format', 'ndjson', '--no-progress', '--engine', 'duckdb']);
    expect(duck.code).toBe(3);
    expect(duck.stdout).toBe(local.stdout);
    for (const bad of ['TruncatedGzip000', 'NotCloudTrail000', 'NotJson000000000', 'CutTrailer000000']) {
      expect(local.stderr).toContain(bad);
      expect(duck.stderr).toContain(bad);
    }
    expect(local.stdout).toContain('plain.gz');
    expect(local.stdout).toContain('plain.text');
    expect(local.stdout).toContain('odd.text');
    expect(duck.stderr).not.toContain('OddJsonValues000');
  });

  it('on samples/ with half the objects pretty-printed: the bundled pack and a folder of Sigma rules', async () => {
    const local = await both(['--source', pretty]);
    expect(local.code).toBe(0);
    // The same hits as the samples themselves (the golden of --source samples).
    const golden = readFileSync(join(ROOT, 'test/golden/source_samples.ndjson'), 'utf8');
    expect(local.stdout.trim().split('\n')).toHaveLength(golden.trim().split('\n').length);
    await both(['--source', pretty, '--rules', modifierRulesDir]);
  });

  it('on the corpus with a window, an account and a region', async () => {
    await both(['--source', dir, '--since', '2026-10-06T09:05:00Z', '--until', '2026-10-08T00:01:00Z']);
    await both(['--source', dir, '--account', '444455556666', '--region', 'eu-west-1']);
  });

  it('with a directory of Sigma rules', async () => {
    await both(['--source', dir, '--rules', modifierRulesDir]);
    await both(['--source', 'samples', '--rules', modifierRulesDir]);
  });

  it('--dry-run prints the DuckDB SQL and reads nothing', async () => {
    const r = await hunt(['--source', 'samples', '--engine', 'duckdb', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SELECT "\$path" AS path,/);
    expect(r.stdout).toContain("lower(eventname) = 'consolelogin'");
  });
});
