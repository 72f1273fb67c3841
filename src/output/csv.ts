// Hits as CSV for spreadsheets and ticketing tools (RFC 4180).
//
// * Records end in CRLF, as RFC 4180 says; a field holding a comma, a quote,
//   CR or LF is quoted and its quotes doubled. (csv-stringify alone quotes a
//   lone CR or LF only when it is the record delimiter, hence `quoted_match`.)
// * No byte-order mark: UTF-8 as is, which CSV readers and `csv-parse` take
//   without options (Excel users import it as UTF-8).
// * Log fields are attacker-controlled, and a spreadsheet runs a cell that
//   starts with `=`, `+`, `-` or `@` as a formula (tab and CR lead to the same
//   in some): such a cell is prefixed with `'`, which spreadsheets show as text.
//
// One row per hit (`row` = `hit`) and, when hits carry `context`, one row per
// context event right under its hit (`row` = `context`), both numbered by
// `hit` (1-based, in output order) so a sorted sheet can be put back together.

import { stringify } from 'csv-stringify/sync';
import type { ContextEvent, Hit } from '../model.js';

/** The header, in order. Context columns are empty on hit rows and the reverse. */
export const CSV_COLUMNS = [
  'hit', // 1-based number of the hit, on its own row and on its context rows
  'row', // `hit` or `context`
  'time', // hit: first event time; context: the event's time
  'lastTime',
  'rule', // on context rows too: the rule of the hit they are around
  'severity',
  'title',
  'account',
  'region',
  'target',
  'actor',
  'sourceIPAddress',
  'eventName',
  'count',
  'eventIDs', // hit rows: every eventID, one per line inside the cell
  'sources', // hit rows: every object, one per line inside the cell
  'eventSource', // context rows from here on
  'errorCode',
  'eventID',
  'source',
  'inHit', // `true` when the context event is one of the hit's own
] as const;

type Column = (typeof CSV_COLUMNS)[number];

/** A cell a spreadsheet would not run as a formula. */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function hitRow(n: number, h: Hit): Partial<Record<Column, string>> {
  return {
    hit: String(n),
    row: 'hit',
    time: h.time ?? '',
    lastTime: h.lastTime ?? '',
    rule: h.rule,
    severity: h.severity,
    title: h.title,
    account: h.account ?? '',
    region: h.region ?? '',
    target: h.target ?? '',
    actor: h.actor ?? '',
    sourceIPAddress: h.sourceIPAddress ?? '',
    eventName: h.eventName ?? '',
    count: String(h.count),
    eventIDs: h.eventIDs.join('\n'),
    sources: h.sources.join('\n'),
  };
}

function contextRow(n: number, h: Hit, e: ContextEvent): Partial<Record<Column, string>> {
  return {
    hit: String(n),
    row: 'context',
    time: e.time,
    rule: h.rule,
    target: e.target ?? '',
    actor: e.actor ?? '',
    sourceIPAddress: e.sourceIPAddress ?? '',
    eventName: e.eventName ?? '',
    eventSource: e.eventSource ?? '',
    errorCode: e.errorCode ?? '',
    eventID: e.eventID ?? '',
    source: e.source,
    inHit: e.inHit ? 'true' : 'false',
  };
}

/** The hits as RFC 4180 CSV text (CRLF records), header first. */
export function csv(hits: readonly Hit[]): string {
  const rows: string[][] = [];
  hits.forEach((h, i) => {
    const emit = (r: Partial<Record<Column, string>>) => rows.push(CSV_COLUMNS.map((c) => safeCell(String(r[c] ?? ''))));
    emit(hitRow(i + 1, h));
    for (const e of h.context ?? []) emit(contextRow(i + 1, h, e));
  });
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
