// The Athena path with the SDK client stubbed at the transport level (a
// custom requestHandler answering Athena's JSON protocol), fed the rows that
// DuckDB produces for the same query shape from the same corpus (samples/),
// so the rows are real. Start, poll, page; a failed and a cancelled query;
// Ctrl-C stops the query; --dry-run and the DDL.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckEngine } from '../../src/sql/duckdb.js';
import { cloudTrailDdl } from '../../src/sql/ddl.js';
import type { Row } from '../../src/sql/rows.js';
import { huntQuery, selectList } from '../../src/sql/sql.js';
import { hunt, prepareRules } from '../../src/hunt.js';
import { connectStores } from '../../src/stores/registry.js';
import { resolveOptions, type RawOptions } from '../../src/options.js';
import { ndjson } from '../../src/output/ndjson.js';
import { hunt as huntCli, ROOT } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });
const env = { stdoutIsTTY: false, stderrIsTTY: false, noColor: true, nowMs: Date.parse('2026-11-24T00:00:00Z') };

interface Call {
  target: string;
  body: Record<string, unknown>;
}

interface Script {
  states: string[];
  reason?: string;
  rows: Row[];
  pageSize: number;
  columns: string[];
  /** An error answer for a call: Athena's JSON error shape. */
  fail?: Partial<Record<string, { status: number; type: string; message: string }>>;
  /** Calls answered with a throttling error first, this many times each. */
  throttle?: Partial<Record<string, number>>;
  /** The table's parameters (GetTableMetadata). */
  table?: Record<string, string>;
  /** Called on each call, before it is answered (tests press Ctrl-C here). */
  onCall?: (target: string, count: number) => void;
}

/** An Athena that answers from a script: states to report while polling, rows to page. */
function stubAthena(script: Script) {
  const calls: Call[] = [];
  let polls = 0;
  const counts = new Map<string, number>();
  const reply = (status: number, answer: unknown) => ({
    response: {
      statusCode: status,
      reason: status === 200 ? 'OK' : 'Error',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Readable.from([Buffer.from(JSON.stringify(answer))]),
    },
  });
  const handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
    const raw = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : String(request.body ?? '{}');
    const body = JSON.parse(raw) as Record<string, unknown>;
    calls.push({ target, body });
    const n = (counts.get(target) ?? 0) + 1;
    counts.set(target, n);
    script.onCall?.(target, n);
    const failure = script.fail?.[target];
    if (failure) return reply(failure.status, { __type: failure.type, Message: failure.message });
    if (n <= (script.throttle?.[target] ?? 0)) return reply(400, { __type: 'TooManyRequestsException', Message: 'Rate exceeded' });
    let answer: unknown;
    switch (target) {
      case 'GetTableMetadata':
        if (!script.table) return reply(400, { __type: 'MetadataException', Message: 'table not found' });
        answer = { TableMetadata: { Name: 'cloudtrail_logs', Parameters: script.table } };
        break;
      case 'StartQueryExecution':
        answer = { QueryExecutionId: 'q-0001' };
        break;
      case 'GetQueryExecution': {
        const state = script.states[Math.min(polls++, script.states.length - 1)];
        answer = {
          QueryExecution: {
            QueryExecutionId: 'q-0001',
            Status: { State: state, ...(script.reason ? { StateChangeReason: script.reason } : {}) },
            Statistics: { DataScannedInBytes: 1234567 },
          },
        };
        break;
      }
      case 'GetQueryResults': {
        const start = body.NextToken ? Number(body.NextToken) : 0;
        const header = start === 0 ? [{ Data: script.columns.map((c) => ({ VarCharValue: c })) }] : [];
        const slice = script.rows.slice(start, start + script.pageSize);
        const next = start + script.pageSize < script.rows.length ? String(start + script.pageSize) : undefined;
        answer = {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: script.columns.map((c) => ({ Name: c, Type: 'varchar' })) },
            Rows: [...header, ...slice.map((r) => ({ Data: script.columns.map((c) => (r[c] == null ? {} : { VarCharValue: r[c] })) }))],
          },
          ...(next ? { NextToken: next } : {}),
        };
        break;
      }
      case 'StopQueryExecution':
        answer = {};
        break;
      default:
        throw new Error(`unexpected Athena call ${target}`);
    }
    return reply(200, answer);
  };
  const client = new AthenaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    requestHandler: { handle } as never,
    // The SDK's own retries are the product's concern, not this stub's: one attempt, so the hunt's own backoff is what is tested.
    maxAttempts: 1,
  });
  return { client, calls };
}

function samplePaths(): string[] {
  const all = readdirSync(join(ROOT, 'samples'), { recursive: true }) as string[];
  return all.filter((f) => f.endsWith('.json.gz') && !f.includes('CloudTrail-Digest')).map((f) => join('samples', f)).sort();
}

describe('--engine athena with a stubbed transport', () => {
  let rows: Row[];
  let columns: string[];
  let localNdjson: string;

  beforeAll(async () => {
    const opts = resolveOptions({ source: ['samples'], format: 'ndjson' }, env);
    const rules = await prepareRules(opts, { report: () => {} });
    // The rows Athena would return: the same SELECT list and filter, run by DuckDB over the same objects.
    const engine = await DuckEngine.create();
    try {
      process.chdir(ROOT);
      rows = await engine.rowsOf(samplePaths(), huntQuery(rules, 'duckdb', 'cloudtrail'));
    } finally {
      engine.close();
    }
    columns = ['path', ...selectList('duckdb').split(',\n').slice(1).map((c) => c.trim().split(' ').pop()!)];
    const local = await hunt(opts, rules, await connectStores(opts.sources, {}), { report: () => {} });
    // Athena finds no credential report among sources: the posture hits are the local hunt's only.
    localNdjson = ndjson(local.hits.filter((h) => h.rule !== 'aws-iam-user-mfa' && h.rule !== 'aws-root-account-mfa'));
    expect(rows.length).toBeGreaterThan(20);
  });
  afterAll(() => {});

  async function athenaHunt(raw: RawOptions, client: AthenaClient, signal?: AbortSignal) {
    const opts = resolveOptions({ engine: 'athena', format: 'ndjson', athenaDatabase: 'security', athenaTable: 'cloudtrail_logs', ...raw }, env);
    const rules = await prepareRules(opts, { report: () => {} });
    const notes: string[] = [];
    const result = await hunt(opts, rules, [], { report: (l) => notes.push(l), athenaClient: client, athenaPollMs: 1, signal });
    return { result, notes };
  }

  it('starts the query, polls until it succeeds, pages through rows, and gives the local hits', async () => {
    const { client, calls } = stubAthena({ states: ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'], rows, pageSize: 7, columns });
    const { result, notes } = await athenaHunt({ athenaWorkgroup: 'responders', athenaOutput: 's3://results/hunt/', since: '2026-10-05', until: '2026-10-09' }, client);
    expect(ndjson(result.hits)).toBe(localNdjson);
    const start = calls.find((c) => c.target === 'StartQueryExecution')!;
    expect(start.body.QueryExecutionContext).toEqual({ Database: 'security' });
    expect(start.body.WorkGroup).toBe('responders');
    expect(start.body.ResultConfiguration).toEqual({ OutputLocation: 's3://results/hunt/' });
    expect(start.body.QueryString).toContain(`"timestamp" >= '2026/10/04'`);
    expect(start.body.QueryString).toContain(`"timestamp" <= '2026/10/09'`);
    expect(calls.filter((c) => c.target === 'GetQueryExecution')).toHaveLength(4);
    expect(calls.filter((c) => c.target === 'GetQueryResults')).toHaveLength(Math.ceil(rows.length / 7));
    expect(notes.join('\n')).toMatch(/Athena query q-0001 scanned 1\.2 MB/);
  });

  it('a failed query stops the hunt with Athena\'s reason and the query id', async () => {
    const { client } = stubAthena({ states: ['RUNNING', 'FAILED'], reason: "TABLE_NOT_FOUND: line 1:1: Table 'security.cloudtrail_logs' does not exist", rows, pageSize: 50, columns });
    await expect(athenaHunt({}, client)).rejects.toThrow(/Athena query q-0001 failed: TABLE_NOT_FOUND.*athena-ddl/);
  });

  it('a cancelled query stops the hunt', async () => {
    const { client, calls } = stubAthena({ states: ['RUNNING', 'CANCELLED'], reason: 'Query cancelled by user', rows, pageSize: 50, columns });
    await expect(athenaHunt({}, client)).rejects.toThrow(/Athena query q-0001 was cancelled: Query cancelled by user/);
    expect(calls.some((c) => c.target === 'GetQueryResults')).toBe(false);
  });

  it('Ctrl-C while polling stops the running query and ends interrupted', async () => {
    const abort = new AbortController();
    const { client, calls } = stubAthena({ states: ['RUNNING'], rows, pageSize: 50, columns, onCall: (t, n) => t === 'GetQueryExecution' && n === 3 && abort.abort() });
    const { result } = await athenaHunt({}, client, abort.signal);
    expect(result.interrupted).toBe(true);
    expect(calls.filter((c) => c.target === 'StopQueryExecution').map((c) => c.body.QueryExecutionId)).toEqual(['q-0001']);
    expect(calls.some((c) => c.target === 'GetQueryResults')).toBe(false);
  });

  it('Ctrl-C while paging stops reading, stops the query and keeps the hits of the pages read', async () => {
    const abort = new AbortController();
    const { client, calls } = stubAthena({ states: ['SUCCEEDED'], rows, pageSize: 7, columns, onCall: (t, n) => t === 'GetQueryResults' && n === 2 && abort.abort() });
    const { result } = await athenaHunt({}, client, abort.signal);
    expect(result.interrupted).toBe(true);
    expect(calls.filter((c) => c.target === 'GetQueryResults')).toHaveLength(2);
    expect(calls.some((c) => c.target === 'StopQueryExecution')).toBe(true);
    expect(result.tally.scanned).toBeGreaterThan(0);
  });

  it('throttled polls and pages are retried with backoff, and the hunt completes', async () => {
    const { client, calls } = stubAthena({ states: ['RUNNING', 'SUCCEEDED'], rows, pageSize: 50, columns, throttle: { GetQueryExecution: 3, GetQueryResults: 2 } });
    const { result } = await athenaHunt({}, client);
    expect(ndjson(result.hits)).toBe(localNdjson);
    expect(calls.filter((c) => c.target === 'GetQueryExecution').length).toBe(5);
    expect(calls.some((c) => c.target === 'StopQueryExecution')).toBe(false);
  });

  it('a poll throttled for good gives up with exit-2 advice and stops the query', async () => {
    const { client, calls } = stubAthena({ states: ['RUNNING'], rows, pageSize: 50, columns, throttle: { GetQueryExecution: 1000 } });
    await expect(athenaHunt({}, client)).rejects.toThrow(/Athena: polling the query failed: TooManyRequestsException.*throttling/);
    expect(calls.filter((c) => c.target === 'StopQueryExecution').map((c) => c.body.QueryExecutionId)).toEqual(['q-0001']);
  });

  it('an error while paging stops the query', async () => {
    const { client, calls } = stubAthena({ states: ['SUCCEEDED'], rows, pageSize: 50, columns, fail: { GetQueryResults: { status: 400, type: 'InvalidRequestException', message: 'Query has not yet finished' } } });
    await expect(athenaHunt({}, client)).rejects.toThrow(/reading the results failed/);
    expect(calls.some((c) => c.target === 'StopQueryExecution')).toBe(true);
  });

  it('warns before the query about rules it cannot push down, and about --account/--region the table does not project', async () => {
    const table = { 'projection.account.type': 'enum', 'projection.account.values': '111122223333,444455556666', 'projection.region.type': 'enum', 'projection.region.values': 'us-east-1' };
    const { client } = stubAthena({ states: ['SUCCEEDED'], rows, pageSize: 50, columns, table });
    const { notes } = await athenaHunt({ account: ['111122223333', '999999999999'], region: ['mx-central-1'], rules: [join(ROOT, 'test/engines/rules/mod-cidr.yml')] }, client);
    const text = notes.join('\n');
    expect(text).toMatch(/rule mod-cidr cannot be pushed down: Athena returns every event of the window/);
    expect(text).toMatch(/--account 999999999999: not projected by security.cloudtrail_logs/);
    expect(text).not.toMatch(/--account 111122223333/);
    expect(text).toMatch(/--region mx-central-1: not projected/);
    // The samples' events name eu-west-1, which this table does not project.
    expect(text).toMatch(/events name region\(s\) eu-west-1 that security.cloudtrail_logs does not project/);
  });

  it('a table that projects everything seen gives no projection warning; the bundled pack pushes down', async () => {
    const table = { 'projection.account.type': 'enum', 'projection.account.values': '111122223333,444455556666', 'projection.region.type': 'enum', 'projection.region.values': 'us-east-1,eu-west-1' };
    const { client } = stubAthena({ states: ['SUCCEEDED'], rows, pageSize: 50, columns, table });
    const { notes } = await athenaHunt({ account: ['111122223333'] }, client);
    expect(notes.join('\n')).not.toMatch(/warning/);
  });

  it('--dry-run prints the Athena SQL with partition predicates', async () => {
    const r = await huntCli(['--engine', 'athena', '--athena-database', 'security', '--since', '2026-10-06', '--until', '2026-10-07', '--account', '111122223333', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FROM "security"."cloudtrail_logs"');
    expect(r.stdout).toContain(`"timestamp" >= '2026/10/05'`);
    expect(r.stdout).toContain(`account IN ('111122223333')`);
    expect(r.stdout).toContain('json_format(CAST(useridentity AS JSON)) AS useridentity');
  });

  it('athena-ddl prints the projected table for an organization trail', async () => {
    const r = await huntCli(['athena-ddl', '--bucket', 's3://org-trail-bucket', '--organization', 'o-abc1234567', '--account', '111122223333', '--account', '444455556666', '--region', 'us-east-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      cloudTrailDdl({ bucket: 's3://org-trail-bucket', organization: 'o-abc1234567', accounts: ['111122223333', '444455556666'], regions: ['us-east-1'], table: 'cloudtrail_logs', firstDay: '2020/01/01' }),
    );
    expect(r.stdout).toContain("LOCATION 's3://org-trail-bucket/AWSLogs/o-abc1234567/'");
    expect(r.stdout).toContain("'storage.location.template'='s3://org-trail-bucket/AWSLogs/o-abc1234567/${account}/CloudTrail/${region}/${timestamp}'");
    expect(r.stdout).toContain("'projection.account.values'='111122223333,444455556666'");
    const bad = await huntCli(['athena-ddl', '--bucket', 's3://trail-bucket']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--account/);
  });
});

describe('--engine athena failures, as the command line reports them', () => {
  const base = ['--engine', 'athena', '--athena-database', 'security', '--format', 'ndjson', '--no-progress'];
  const columns = ['path', 'eventtime'];

  it.each([
    ['no output location', { StartQueryExecution: { status: 400, type: 'InvalidRequestException', message: 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.' } }, /^hunt: Athena: no place for query results \(starting the query\); give --athena-output s3:\/\/<bucket>\/<prefix>\/ or a --athena-workgroup that sets a query result location$/m],
    ['permissions', { StartQueryExecution: { status: 400, type: 'AccessDeniedException', message: 'User: arn:aws:iam::111122223333:user/x is not authorized to perform: athena:StartQueryExecution' } }, /^hunt: Athena: starting the query failed: AccessDeniedException: .*; the credentials need athena:StartQueryExecution, .*glue:GetTable on security.cloudtrail_logs/m],
    ['rejected credentials', { StartQueryExecution: { status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } }, /^hunt: Athena: starting the query failed: UnrecognizedClientException: .*; the credentials were rejected; use --profile/m],
    ['an unknown workgroup', { StartQueryExecution: { status: 400, type: 'InvalidRequestException', message: 'WorkGroup nope is not found.' } }, /check --athena-workgroup$/m],
  ])('%s: exit 2 and one line of advice', async (_name, fail, line) => {
    const { client } = stubAthena({ states: ['SUCCEEDED'], rows: [], pageSize: 10, columns, fail });
    const r = await huntCli([...base, '--athena-output', 's3://results/hunt/'], { io: { athenaClient: client, athenaPollMs: 1 } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stderr).not.toMatch(/internal error|    at /);
  });

  it('a failed query: exit 2 with Athena\'s reason', async () => {
    const { client } = stubAthena({ states: ['RUNNING', 'FAILED'], reason: 'HIVE_BAD_DATA: Error parsing field value', rows: [], pageSize: 10, columns });
    const r = await huntCli(base, { io: { athenaClient: client, athenaPollMs: 1 } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hunt: Athena query q-0001 failed: HIVE_BAD_DATA: Error parsing field value/m);
  });

  it('no credentials: exit 2 with advice, no stack trace', async () => {
    const client = new AthenaClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
      },
    });
    const r = await huntCli(base, { io: { athenaClient: client } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hunt: Athena: no AWS credentials found \(reading the table\); use --profile, AWS_PROFILE or aws sso login$/m);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('no region: exit 2 with advice, no stack trace', async () => {
    const saved = { ...process.env };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = join(ROOT, 'no-such-aws-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(ROOT, 'no-such-aws-credentials');
    try {
      const client = new AthenaClient({ maxAttempts: 1, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
      const r = await huntCli(base, { io: { athenaClient: client } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^hunt: Athena: no AWS region \(reading the table\); set AWS_REGION or the region of --profile/m);
      expect(r.stderr).not.toMatch(/internal error/);
    } finally {
      process.env = saved;
    }
  });

  it('Ctrl-C while polling: exit 130, the query stopped, the partial summary printed', async () => {
    const abort = new AbortController();
    const { client, calls } = stubAthena({ states: ['RUNNING'], rows: [], pageSize: 10, columns, onCall: (t, n) => t === 'GetQueryExecution' && n === 2 && abort.abort() });
    const r = await huntCli(base, { io: { athenaClient: client, athenaPollMs: 1, signal: abort.signal } });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted: partial results/);
    expect(calls.some((c) => c.target === 'StopQueryExecution')).toBe(true);
  });

  it('Ctrl-C while paging: exit 130 on the first Ctrl-C, the query stopped', async () => {
    const abort = new AbortController();
    const many: Row[] = Array.from({ length: 50 }, (_, i) => ({ path: 's3://t/k.json.gz', eventtime: '2026-10-06T10:00:00Z', eventid: `e${i}` }));
    const { client, calls } = stubAthena({ states: ['SUCCEEDED'], rows: many, pageSize: 5, columns: ['path', 'eventtime', 'eventid'], onCall: (t, n) => t === 'GetQueryResults' && n === 3 && abort.abort() });
    const r = await huntCli(base, { io: { athenaClient: client, athenaPollMs: 1, signal: abort.signal } });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted: partial results/);
    expect(calls.filter((c) => c.target === 'GetQueryResults')).toHaveLength(3);
    expect(calls.some((c) => c.target === 'StopQueryExecution')).toBe(true);
  });
});
