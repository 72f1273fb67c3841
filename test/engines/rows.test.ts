// Events rebuilt from SQL rows are the records (issue 14): every record of
// samples/ and of a generated corpus, read through the DuckDB stand-in for the
// CloudTrail table and rebuilt by eventOfRow, equals the original as far as
// the table can carry it. The only differences allowed are the two the table
// itself imposes, and the test spells them out: keys the table does not
// declare, and a key holding `null` at the top level or in a struct (the
// table reads it as NULL, like an absent key).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../scripts/corpus.js';
import { DuckEngine } from '../../src/sql/duckdb.js';
import { eventOfRow } from '../../src/sql/rows.js';
import { CLOUDTRAIL_COLUMNS, type ColumnType } from '../../src/sql/schema.js';
import { selectList } from '../../src/sql/sql.js';
import { ROOT } from '../helpers/cli.js';

/** The record as the table can carry it: declared keys only, no null at the top level or in a struct. */
function asTableCarries(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [name, t] of type.fields) {
        const v = asTableCarries((value as Record<string, unknown>)[name], t);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => asTableCarries(v, type.of) ?? null) : undefined;
    default:
      return value;
  }
}

function carried(record: Record<string, unknown>): Record<string, unknown> {
  return asTableCarries(record, { kind: 'struct', fields: CLOUDTRAIL_COLUMNS }) as Record<string, unknown>;
}

describe('rows → records', () => {
  let engine: DuckEngine;
  let dir: string;
  const files: string[] = [];
  const originals = new Map<string, Record<string, unknown>>();
  let total = 0;

  beforeAll(async () => {
    engine = await DuckEngine.create();
    dir = mkdtempSync(join(tmpdir(), 'hunt-rows-'));
    const add = (name: string, records: Record<string, unknown>[]) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ Records: records }, null, 2));
      files.push(path);
      total += records.length;
      for (const r of records) originals.set(r.eventID as string, r); // a record delivered twice is the same record
    };
    const samples = (readdirSync(join(ROOT, 'samples'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.json.gz') && f.includes('/CloudTrail/'))
      .sort();
    samples.forEach((f, i) => add(`s${i}.json`, (JSON.parse(gunzipSync(readFileSync(join(ROOT, 'samples', f))).toString()) as { Records: Record<string, unknown>[] }).Records));
    let i = 0;
    for (const o of generateCorpus({ seed: 'rows-rebuild', accounts: ['111122223333'], regions: ['us-east-1'], start: '2026-10-05', days: 1, filesPerHour: 1, recordsPerFile: [5, 10] })) {
      if (o.kind === 'log') add(`g${i++}.json`, (JSON.parse(gunzipSync(o.body).toString()) as { Records: Record<string, unknown>[] }).Records);
    }
    // What the generator and the samples may lack: resources[].ARN, webIdFederationData, a null inside a JSON column.
    add('extra.json', [
      {
        eventVersion: '1.09',
        eventTime: '2026-10-06T10:00:00Z',
        eventID: 'extra-1',
        readOnly: false,
        userIdentity: {
          type: 'AssumedRole',
          accountId: '111122223333',
          sessionContext: { webIdFederationData: { federatedProvider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', attributes: { sub: 'repo:o/r' } } },
        },
        resources: [{ ARN: 'arn:aws:iam::111122223333:user/maria.garcia', accountId: '111122223333', type: 'AWS::IAM::User' }],
        requestParameters: { userName: 'maria.garcia', tags: null, list: [1, null, 'x'] },
        additionalEventData: { MFAUsed: null },
      },
    ]);
  }, 120_000);
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every rebuilt record equals its original, as far as the table carries it', async () => {
    const rows = await engine.rowsOf(files, `SELECT ${selectList('duckdb')} FROM cloudtrail`);
    expect(rows.length).toBe(total);
    let withArn = 0;
    for (const row of rows) {
      const rebuilt = eventOfRow(row);
      const original = originals.get(rebuilt.eventID as string)!;
      expect(rebuilt, String(rebuilt.eventID)).toEqual(carried(original));
      if (JSON.stringify(rebuilt).includes('"ARN"')) withArn++;
    }
    expect(withArn).toBeGreaterThan(20); // resources[].ARN comes back spelled ARN
  });

  it('keeps null inside JSON columns, and the spelling of every key', async () => {
    const rows = await engine.rowsOf(files, `SELECT ${selectList('duckdb')} FROM cloudtrail WHERE eventid = 'extra-1'`);
    const e = eventOfRow(rows[0]!);
    expect(e.additionalEventData).toEqual({ MFAUsed: null });
    expect(e.requestParameters).toEqual({ userName: 'maria.garcia', tags: null, list: [1, null, 'x'] });
    expect(e.resources).toEqual([{ ARN: 'arn:aws:iam::111122223333:user/maria.garcia', accountId: '111122223333', type: 'AWS::IAM::User' }]);
    expect(e.readOnly).toBe(false);
    expect((e.userIdentity as { sessionContext: unknown }).sessionContext).toEqual({
      webIdFederationData: { federatedProvider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', attributes: { sub: 'repo:o/r' } },
    });
  });

  it('reads a struct whatever case the engine gives its keys (Athena lowercases them)', () => {
    const e = eventOfRow({ resources: '[{"arn":"arn:x","accountid":"1","type":"t"}]', useridentity: '{"type":"IAMUser","accountid":"1","username":"u"}' });
    expect(e.resources).toEqual([{ ARN: 'arn:x', accountId: '1', type: 't' }]);
    expect(e.userIdentity).toEqual({ type: 'IAMUser', accountId: '1', userName: 'u' });
  });
});
