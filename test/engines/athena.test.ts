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

/** An Athena that answers from a script: states to report while polling, rows to page. */
function stubAthena(script: { states: string[]; reason?: string; rows: Row[]; pageSize: number; columns: string[] }) {
  const calls: Call[] = [];
  let polls = 0;
  const handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
    const raw = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : String(request.body ?? '{}');
    const body = JSON.parse(raw) as Record<string, unknown>;
    calls.push({ target, body });
    let answer: unknown;
    switch (target) {
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
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: Readable.from([Buffer.from(JSON.stringify(answer))]),
      },
    };
  };
  const client = new AthenaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    requestHandler: { handle } as never,
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

  it('Ctrl-C stops the running query', async () => {
    const { client, calls } = stubAthena({ states: ['RUNNING'], rows, pageSize: 50, columns });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 30);
    await expect(athenaHunt({}, client, abort.signal)).rejects.toThrow(/stopped/);
    expect(calls.some((c) => c.target === 'StopQueryExecution' && c.body.QueryExecutionId === 'q-0001')).toBe(true);
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
