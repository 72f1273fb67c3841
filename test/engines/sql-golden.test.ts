// Golden SQL: the Trino and DuckDB filters of every bundled rule and of the
// modifier rules in test/engines/rules (several under NOT), and the whole
// Athena query of the bundled pack. UPDATE_GOLDEN=1 rewrites them.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cloudTrailDdl } from '../../src/sql/ddl.js';
import { detectionBounds, formatFilter, huntQuery, type Dialect } from '../../src/sql/sql.js';
import { bundledRules, modifierRules } from './helpers.js';

const dir = fileURLToPath(new URL('../golden/sql/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, text: string): void {
  const file = `${dir}${name}`;
  if (update || !existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
  }
  expect(text, `${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

describe('golden SQL filters', async () => {
  const rules = [...(await bundledRules()), ...(await modifierRules())];
  for (const rule of rules) {
    if (rule.kind !== 'detection' && rule.kind !== 'stateful') continue;
    for (const dialect of ['trino', 'duckdb'] as Dialect[]) {
      it(`${rule.key} (${dialect})`, () => {
        const b = detectionBounds(rule.detection, rule.file, dialect);
        golden(`${rule.key}.${dialect}.sql`, `-- over: keeps every event the rule can match\n${formatFilter(b.over)}\n-- under: keeps only events the rule surely matches (printed under NOT)\n${formatFilter(b.under)}\n`);
      });
    }
  }

  it('the Athena hunt query of the bundled pack, with partition predicates', async () => {
    const q = huntQuery(await bundledRules(), 'trino', '"hunt"."cloudtrail"', {
      sinceMs: Date.parse('2026-10-06T00:00:00Z'),
      untilMs: Date.parse('2026-10-07T00:00:00Z'),
      accounts: ['111122223333'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    golden('bundled.athena-query.sql', q);
  });

  it('the Athena DDL: single-account and organization trails', () => {
    golden('athena-ddl.account.sql', cloudTrailDdl({ bucket: 's3://trail-bucket/prefix', accounts: ['111122223333'], regions: ['us-east-1', 'eu-west-1'], table: 'cloudtrail_logs', firstDay: '2020/01/01' }));
    golden('athena-ddl.organization.sql', cloudTrailDdl({ bucket: 's3://org-trail-bucket', organization: 'o-abc1234567', accounts: ['111122223333', '444455556666'], regions: ['us-east-1'], database: 'security', table: 'cloudtrail_logs', firstDay: '2024/01/01' }));
  });

  it('a NOT is never loosened: an inexact test under NOT keeps every row', () => {
    const b = detectionBounds(
      { sel: { eventName: 'ConsoleLogin' }, x: { 'sourceIPAddress|cidr': '10.0.0.0/8' }, condition: 'sel and not x' },
      'inline',
      'trino',
    );
    expect(b.over).toBe("(coalesce(lower(eventname) = 'consolelogin', FALSE) OR coalesce(length(to_utf8(eventname)) <> length(eventname), FALSE))");
    expect(b.under).toBe('FALSE');
  });
});
