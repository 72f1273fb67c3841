// Hostile input and faults: a hunt finishes, says exactly what it could not
// read, and never loses the hits of the objects it could.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, hunt, lines } from '../helpers/cli.js';
import { deactivate, event, gz, mfaFailure } from '../helpers/events.js';

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
const at = (...p: string[]) => path.join(dir, ...p);
async function put(rel: string, body: string | Uint8Array): Promise<string> {
  await mkdir(path.dirname(at(rel)), { recursive: true });
  await writeFile(at(rel), body);
  return at(rel);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('corrupt objects', () => {
  it('reports each one by name and reason, exits 3, and keeps every other hit', async () => {
    const good = [
      await put('corrupt/good-1.json.gz', gz([deactivate({ eventTime: '2026-10-05T10:00:00Z' })])),
      await put('corrupt/good-2.json', JSON.stringify({ Records: [deactivate({ eventTime: '2026-10-05T11:00:00Z' })] })),
    ];
    const full = gz([deactivate(), deactivate(), deactivate()]);
    const bad: [string, string | Uint8Array, RegExp][] = [
      ['truncated.json.gz', full.subarray(0, full.length - 12), /truncated gzip/],
      ['not-gzip.json.gz', 'PK\x03\x04 this is a zip, not gzip', /not JSON/],
      ['gzip-of-text.json.gz', gzipSync('hello, world'), /not JSON/],
      ['no-records.json', '{"awsAccountId":"111122223333","digestStartTime":"2026-10-05T00:00:00Z"}', /without a "Records" list/],
      ['records-not-list.json', '{"Records":{"eventName":"DeactivateMFADevice"}}', /"Records" is not a list/],
      ['empty.json', '', /empty/],
      ['zero-byte.json.gz', '', /empty/],
    ];
    for (const [name, body] of bad) await put(`corrupt/${name}`, body);

    const run = await hunt(['--source', at('corrupt'), '--format', 'ndjson']);
    expect(run.code).toBe(3);
    for (const [name, , reason] of bad) {
      const line = run.stderr.split('\n').find((l) => l.includes(name));
      expect(line, name).toBeDefined();
      expect(line).toMatch(reason);
    }
    expect(run.stderr).toMatch(/FAILED 7 objects/);
    expect(run.stderr).toMatch(/scanned 2 objects/);

    const alone = await hunt([...good.flatMap((g) => ['--source', g]), '--format', 'ndjson']);
    expect(alone.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(2);
    expect(run.stdout).toBe(alone.stdout.replaceAll(at(''), at('')));
  });

  it('takes no event from a truncated object, wherever it was cut', async () => {
    const full = gz([deactivate(), deactivate()]);
    for (const cut of [10, Math.floor(full.length / 2), full.length - 1]) {
      const file = await put(`cut/at-${cut}.json.gz`, full.subarray(0, cut));
      const run = await hunt(['--source', file, '--format', 'ndjson']);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
    }
  });
});

describe('odd records inside a good object', () => {
  it('drops them with one warning per object, and the exit code stays 0', async () => {
    const file = await put(
      'odd/mixed.json.gz',
      gz([42, 'text', null, [1, 2], event({ eventTime: undefined }), event({ eventTime: 'yesterday' }), event({ eventTime: 1728122400 }), deactivate()]),
    );
    const run = await hunt(['--source', file, '--format', 'ndjson']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(1);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dropped 7 record\(s\) \(4 not an object, 3 without a valid eventTime\)/);
    expect(run.stderr).toMatch(/scanned 1 object/);
    expect(run.stderr).toMatch(/dropped 7 records: 4 not an object, 3 without a valid eventTime/);
  });
});

describe('keys that are not logs', () => {
  it('skips digests, insights, aggregated, manifests and other services unopened', async () => {
    const account = 'AWSLogs/111122223333';
    // Each of these would fail if opened (no Records), so opening one shows up as exit 3.
    const noRecords = gz([]).length > 0 ? '{"awsAccountId":"111122223333"}' : '';
    await put(`nonlog/${account}/CloudTrail-Digest/us-east-1/2026/10/05/d.json.gz`, gzipSync(noRecords));
    await put(`nonlog/${account}/CloudTrail-Insight/us-east-1/2026/10/05/i.json.gz`, gzipSync(noRecords));
    await put(`nonlog/${account}/CloudTrail-Aggregated/us-east-1/2026/10/05/a.json.gz`, gzipSync(noRecords));
    await put(`nonlog/${account}/elasticloadbalancing/us-east-1/2026/10/05/elb.log.gz`, gzipSync('h2 2026-10-05'));
    await put(`nonlog/${account}/vpcflowlogs/us-east-1/2026/10/05/flow.json.gz`, gzipSync(noRecords));
    await put(`nonlog/inventory/manifest.json`, '{"sourceBucket":"trail"}');
    await put(
      `nonlog/${account}/CloudTrail/us-east-1/2026/10/05/111122223333_CloudTrail_us-east-1_20261005T1015Z_abc.json.gz`,
      gz([deactivate()]),
    );
    const run = await hunt(['--source', at('nonlog'), '--format', 'ndjson']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(1);
    expect(run.stderr).toMatch(/scanned 1 object/);
    expect(run.stderr).toMatch(/skipped 1 file unopened: 1 not a \.json\/\.json\.gz log/);
    expect(run.stderr).toMatch(/skipped 5 folders unlisted: .*2 other AWS service logs/);
    expect(run.stderr).toMatch(/1 CloudTrail digest/);
    expect(run.stderr).toMatch(/1 CloudTrail Insights/);
    expect(run.stderr).toMatch(/1 CloudTrail aggregated/);
  });
});

describe('big and odd events', () => {
  it('handles a 256 KB event, deep nesting, unicode and MFAUsed in any case', async () => {
    const depth = 100_000;
    const deep = '{"nested":'.repeat(depth) + '"bottom"' + '}'.repeat(depth);
    const records = [
      deactivate({ requestParameters: { userName: 'bob', padding: 'x'.repeat(256 * 1024) } }),
      deactivate({ requestParameters: '@DEEP@', userIdentity: { type: 'IAMUser', userName: 'Zoë 東京 🚀' } }),
      ...['Yes', 'YES', 'yes'].flatMap((mfa, i) => [
        mfaFailure({ additionalEventData: { MFAUsed: mfa }, eventTime: `2026-10-0${i + 1}T10:00:00Z`, userIdentity: { type: 'IAMUser', userName: 'carol' } }),
        mfaFailure({ additionalEventData: { MFAUsed: mfa }, eventTime: `2026-10-0${i + 1}T10:01:00Z`, userIdentity: { type: 'IAMUser', userName: 'carol' } }),
      ]),
    ];
    const text = JSON.stringify({ Records: records }).replace('"@DEEP@"', deep);
    const file = await put('big/odd.json.gz', gzipSync(text));
    const run = await hunt(['--source', file, '--format', 'ndjson']);
    expect(run.code).toBe(0);
    const hits = lines(run.stdout);
    expect(hits.filter((h) => h.rule === 'aws-iam-mfa-device-deactivated')).toHaveLength(2);
    expect(hits.filter((h) => h.rule === 'aws-console-login-mfa-failures').map((h) => h.count)).toEqual([2, 2, 2]);
    expect(hits.some((h) => h.actor === 'Zoë 東京 🚀')).toBe(true);
  });
});

describe('injection through log fields', () => {
  const evil = '\x1b]0;owned\x07\x1b[2J\r\u009b31mroot\u202e';
  it('neutralises control characters in the table and escapes them in NDJSON', async () => {
    const file = await put(
      'evil/evil.json.gz',
      gz([
        deactivate({
          userIdentity: { type: 'IAMUser', userName: `mallory${evil}` },
          userAgent: `curl${evil}`,
          sourceIPAddress: `10.0.0.1${evil}`,
          errorMessage: evil,
          errorCode: undefined,
        }),
      ]),
    );
    const table = await hunt(['--source', file, '--format', 'table']);
    expect(table.code).toBe(0);
    // Piped, the table is 80 columns wide: the escaped name is cut, but what shows is escaped.
    expect(table.stdout).toContain('mallory\\x1b]0;');
    expect(table.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    const nd = await hunt(['--source', file, '--format', 'ndjson']);
    expect(nd.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    const [hit] = lines(nd.stdout);
    expect(hit!.actor).toBe(`mallory${evil}`);
    expect(hit!.sourceIPAddress).toBe(`10.0.0.1${evil}`);
  });

  it('does not let a file name inject into stderr', async () => {
    const file = await put(`evil/name\x1b[31m\r.json`, 'not json');
    const run = await hunt(['--source', file, '--format', 'ndjson']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('name\\x1b[31m\\x0d.json');
    expect(run.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  const reRule = (name: string, pattern: string) =>
    [
      'title: ReDoS',
      `name: ${name}`,
      'logsource: {product: aws, service: cloudtrail}',
      'detection:',
      '  selection:',
      `    userAgent|re: '${pattern}'`,
      '  condition: selection',
      'level: low',
      '',
    ].join('\n');

  it('runs a regex that backtracks catastrophically elsewhere in linear time (RE2)', async () => {
    const rule = await put('rules/redos.yml', reRule('redos', '(a+)+$'));
    const file = await put('redos/a.json', JSON.stringify({ Records: [event({ userAgent: 'a'.repeat(40) + '!' })] }));
    const run = await hunt(['--source', file, '--rules', rule, '--format', 'ndjson'], { timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(''); // '(a+)+$' does not match a run of a's that ends in '!'
  });

  it('rejects a regex RE2 cannot run (a backreference) before any work, naming the file and line', async () => {
    const rule = await put('rules/backref.yml', reRule('backref', '(a)\\1'));
    const file = await put('redos/b.json', JSON.stringify({ Records: [event({ userAgent: 'aa' })] }));
    const run = await hunt(['--source', file, '--rules', rule, '--format', 'ndjson'], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('backref.yml:6');
  });
});

describe('thread faults', () => {
  it('retries an object whose worker crashed once, and loses nothing', async () => {
    await put('crash/a.json.gz', gz([deactivate()]));
    await put('crash/flaky.json.gz', gz([deactivate()]));
    const state = await mkdtemp(path.join(tmpdir(), 'hunt-fault-'));
    const run = await hunt(['--source', at('crash'), '--format', 'ndjson'], { fault: { mode: 'crash-once', text: 'flaky', stateDir: state } });
    expect(readdirSync(state)).toHaveLength(1); // it did crash once
    expect(readdirSync(at('crash')).sort()).toEqual(['a.json.gz', 'flaky.json.gz']); // and wrote nothing beside the evidence
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(2);
  });

  it('counts an object that crashes its worker twice as failed, and the hunt completes', async () => {
    await put('poison/a.json.gz', gz([deactivate()]));
    await put('poison/b.json.gz', gz([deactivate()]));
    await put('poison/poisoned.json.gz', gz([deactivate()]));
    const run = await hunt(['--source', at('poison'), '--format', 'ndjson', '--workers', '2'], { fault: { mode: 'crash', text: 'poisoned' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/poisoned\.json\.gz: the scanner crashed on this object twice/);
    expect(lines(run.stdout)).toHaveLength(2);
  });
});

describe('many poisoned objects', () => {
  it('each crash is that object\'s outcome: nine of them fail alone and the hunt completes with the rest', async () => {
    await put('nine/good.json.gz', gz([deactivate()]));
    for (let i = 0; i < 9; i++) await put(`nine/poisoned-${i}.json.gz`, gz([deactivate()]));
    const run = await hunt(['--source', at('nine'), '--format', 'ndjson', '--workers', '2'], { fault: { mode: 'crash', text: 'poisoned' } });
    expect(run.code).toBe(3);
    expect(run.stderr.match(/the scanner crashed on this object twice/g)).toHaveLength(9);
    expect(lines(run.stdout)).toHaveLength(1);
  });
});

describe('pipes and signals', () => {
  it('exits 0 quietly when the reader closes the pipe (| head -1)', async () => {
    // 2,000 hits are about 1.2 MB of NDJSON, many times what a pipe holds (64 KB):
    // the hunt is still writing when head exits.
    const many = Array.from({ length: 2_000 }, (_, i) => deactivate({ eventTime: new Date(Date.UTC(2026, 9, 5) + i * 1000).toISOString() }));
    const file = await put('pipe/many.json.gz', gz(many));
    const out = execFileSync('bash', ['-c', `node "${BIN}" --source "${file}" --format ndjson 2>"${at('pipe/stderr')}" | head -1; echo "status=\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
    });
    const [first, status] = out.trim().split('\n');
    expect(JSON.parse(first!).rule).toBe('aws-iam-mfa-device-deactivated');
    expect(status).toBe('status=0');
    const stderr = execFileSync('cat', [at('pipe/stderr')], { encoding: 'utf8' });
    expect(stderr).not.toMatch(/EPIPE|internal error/);
  });

  it('on Ctrl-C stops the workers, prints a partial summary and exits 130, even with a worker stuck in a scan', async () => {
    await put('sigint/a.json.gz', gz([deactivate()]));
    await put('sigint/stuck.json.gz', gz([deactivate()]));
    const state = await mkdtemp(path.join(tmpdir(), 'hunt-fault-'));
    const abort = new AbortController();
    const running = hunt(['--source', at('sigint'), '--format', 'ndjson', '--workers', '2'], {
      fault: { mode: 'hang', text: 'stuck', stateDir: state },
      io: { signal: abort.signal },
    });
    // Wait until a worker is stuck on the object, then a moment for the other one.
    for (let i = 0; i < 300 && !existsSync(path.join(state, 'hanging')); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    abort.abort();
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/interrupted: partial results; scanned [01] object/);
  });

  it('refuses a FIFO named as a source instead of blocking on it', async () => {
    const fifo = at('fifo.json');
    execFileSync('mkfifo', [fifo]);
    const run = await hunt(['--source', fifo], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a regular file/);
  });
});

describe('usage errors', () => {
  const cases: [string[], RegExp][] = [
    [['--source', 'samples', '--bogus'], /unknown flag --bogus/],
    [['--source', 'samples', '--since', '30x'], /--since "30x": not a duration or a date/],
    [['--source', 'samples', '--since', '2026-10-08', '--until', '2026-10-01'], /--until .* is not after --since/],
    [['--source', 'no/such/folder'], /--source no\/such\/folder: no such file or folder/],
    [['--source', 's3://'], /--source s3:\/\//],
    [['--format', 'yaml', '--source', 'samples'], /format/],
    [[], /nothing to hunt/],
  ];
  for (const [args, message] of cases) {
    it(`hunt ${args.join(' ')} → exit 2`, async () => {
      const run = await hunt(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });
  }
});
