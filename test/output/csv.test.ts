import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csv, CSV_COLUMNS, safeCell } from '../../src/output/csv.js';
import { contextEvent, hit, variedHits } from './hits.js';

/** Parsed as strictly as csv-parse allows: any quoting slip fails here. */
function strict(text: string): Record<string, string>[] {
  return parse(text, { columns: true, relax_quotes: false, relax_column_count: false, skip_empty_lines: false, record_delimiter: '\r\n' });
}

describe('csv', () => {
  it('is RFC 4180: CRLF records, the documented header, one row per hit', () => {
    const text = csv(variedHits());
    expect(text.startsWith(CSV_COLUMNS.join(',') + '\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = strict(text);
    expect(rows).toHaveLength(variedHits().length);
    expect(rows[0]).toMatchObject({ hit: '1', row: 'hit', rule: 'aws-console-login-mfa-failures', count: '3', eventIDs: 'e1\ne2\ne3', time: '2026-10-06T09:12:05Z' });
    expect(rows.at(-1)).toMatchObject({ row: 'hit', time: '', rule: 'aws-iam-user-mfa', target: 'deploy-bot' });
  });

  it('quotes commas, quotes, CR and LF and gives them back intact', () => {
    const nasty = 'a,b "c"\r\nd\re\nf';
    const rows = strict(csv([hit({ title: nasty, actor: nasty })]));
    expect(rows[0]!.title).toBe(nasty);
    expect(rows[0]!.actor).toBe(nasty);
  });

  it('quotes a field holding only a line break too (a lone LF or CR is not a record end inside quotes)', () => {
    const text = csv([hit({ actor: 'a\nb', title: 'c\rd' })]);
    expect(text).toContain('"a\nb"');
    expect(text).toContain('"c\rd"');
    expect(text).toContain('"e1\ne2\ne3"');
    // A reader that ends records at LF, as many do, still sees one row per hit.
    const lf = parse(text.replace(/\r\n/g, '\n'), { columns: true, relax_quotes: false, relax_column_count: false, record_delimiter: '\n' });
    expect(lf).toHaveLength(1);
  });

  it('turns a formula into text: a log field =HYPERLINK(...) comes back with a leading quote', () => {
    const rows = strict(csv([hit({ actor: '=HYPERLINK("http://x")', sourceIPAddress: '+1', eventName: '-2+3', region: '@SUM(A1)', title: '\tx' })]));
    expect(rows[0]!.actor).toBe(`'=HYPERLINK("http://x")`);
    expect(rows[0]!.sourceIPAddress).toBe(`'+1`);
    expect(rows[0]!.eventName).toBe(`'-2+3`);
    expect(rows[0]!.region).toBe(`'@SUM(A1)`);
    expect(rows[0]!.title).toBe(`'\tx`);
  });

  it('leaves ordinary text alone', () => {
    expect(safeCell('maria.garcia')).toBe('maria.garcia');
    expect(safeCell('a=b')).toBe('a=b');
    expect(safeCell('')).toBe('');
    expect(safeCell('\rx')).toBe(`'\rx`);
  });

  it('puts context events in rows of their own under their hit', () => {
    const hits = [
      hit({
        context: [
          contextEvent({ eventID: 'c1' }),
          contextEvent({ eventID: 'e1', inHit: true, errorCode: 'Failed authentication', actor: '=cmd()', target: 'bob' }),
        ],
      }),
      hit({ rule: 'second' }),
    ];
    const rows = strict(csv(hits));
    expect(rows.map((r) => [r.hit, r.row, r.eventID || r.rule])).toEqual([
      ['1', 'hit', 'aws-console-login-mfa-failures'],
      ['1', 'context', 'c1'],
      ['1', 'context', 'e1'],
      ['2', 'hit', 'second'],
    ]);
    expect(rows[2]).toMatchObject({ inHit: 'true', errorCode: 'Failed authentication', actor: `'=cmd()`, target: 'bob', rule: 'aws-console-login-mfa-failures', eventSource: 'sts.amazonaws.com' });
    expect(rows[1]!.inHit).toBe('false');
    expect(rows[0]!.inHit).toBe('');
  });

  it('is just the header without hits', () => {
    expect(csv([])).toBe(CSV_COLUMNS.join(',') + '\r\n');
  });
});
