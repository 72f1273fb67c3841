// The table for people at a terminal. Every hit is exactly one line, and no
// line is wider than the terminal: a wrapped row is unreadable and breaks
// `grep`. Columns go by priority (time, rule, target, actor, source IP, count,
// then severity, account, region, eventName): the lowest go first, then the
// widest cells are shortened. ARNs keep their meaningful tail
// (`assumed-role/PlatformAdmin/ops.kim`); other long cells end in `…`.
//
// The columns are laid out here rather than by cli-table3: fitting needs the
// same width function for measuring and cutting (string-width, terminal
// columns), and cli-table3 measures with its own older one and cuts one
// character at a time, which is quadratic on a long field and overflows the
// line where the two disagree. Once every cell is cut to its column there is
// nothing left for a table library to do but add spaces.
//
// Log fields are attacker-controlled: every cell, rule name and title included,
// passes `forTerminal` before it is measured.

import type { ContextEvent, Hit } from '../model.js';
import { forTerminal } from './sanitize.js';
import { displayWidth, fitEnd, fitStart, fitsIn } from './width.js';

export interface TableOptions {
  /** Terminal width in columns; 80 when unknown (undefined, 0). */
  width?: number;
  /** Severity in colour, header in cyan. Decide it with `colorEnabled`. */
  color?: boolean;
  /** Every cell whole, even when lines get wider than `width`. */
  wide?: boolean;
}

/**
 * Whether to colour output, from the environment and whether the stream is a
 * terminal. `FORCE_COLOR` decides when set (`0` or `false` turn colour off,
 * anything else on, as in Node and chalk); else a non-empty `NO_COLOR` turns
 * it off (no-color.org); else `TERM=dumb` does; else colour on a terminal only.
 */
export function colorEnabled(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

const SEP = '  ';
const ESC = '\x1b[';
const SEVERITY_SGR: Record<string, string> = {
  critical: '31',
  high: '31',
  medium: '33',
  low: '2',
  informational: '2',
  info: '2',
};

function paint(text: string, sgr: string | undefined, on: boolean): string {
  return on && sgr && text !== '' ? `${ESC}${sgr}m${text}${ESC}0m` : text;
}

/** `arn:partition:service:region:account:resource` → `resource`; anything else as it is. */
export function shortArn(value: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/s.exec(value);
  return m ? m[1]! : value;
}

type Shorten = 'end' | 'arn';

interface Column {
  head: string;
  /** Lower goes last. */
  priority: number;
  /** Narrowest the column is shortened to before it is dropped instead. */
  min: number;
  /** Width down to which it gives way before any column of higher priority is touched. */
  comfort?: number;
  shorten: Shorten;
  right?: boolean;
  cell(hit: Hit): string;
}

const COLUMNS: Column[] = [
  { head: 'time', priority: 0, min: 20, shorten: 'end', cell: (h) => h.time ?? '(posture)' },
  { head: 'rule', priority: 1, min: 12, comfort: 34, shorten: 'end', cell: (h) => h.rule },
  { head: 'severity', priority: 6, min: 4, shorten: 'end', cell: (h) => h.severity },
  { head: 'target', priority: 2, min: 10, comfort: 20, shorten: 'arn', cell: (h) => h.target ?? h.actor ?? '' },
  { head: 'actor', priority: 3, min: 10, comfort: 20, shorten: 'arn', cell: (h) => h.actor ?? '' },
  { head: 'source IP', priority: 4, min: 9, comfort: 15, shorten: 'end', cell: (h) => h.sourceIPAddress ?? '' },
  { head: 'count', priority: 5, min: 5, shorten: 'end', right: true, cell: (h) => String(h.count) },
  { head: 'account', priority: 7, min: 12, shorten: 'end', cell: (h) => h.account ?? '' },
  { head: 'region', priority: 8, min: 9, shorten: 'end', cell: (h) => h.region ?? '' },
  { head: 'eventName', priority: 9, min: 10, shorten: 'end', cell: (h) => h.eventName ?? '' },
];

/** Columns that stay while any can be shortened instead: time to count. */
const CORE = 5;
/** Columns that stay whatever the width: time, rule and target. */
const MUST = 2;

/** `text` cut to `max` columns the way its column shortens. */
function fit(text: string, max: number, shorten: Shorten): string {
  if (shorten === 'end') return fitEnd(text, max);
  const tail = shortArn(text);
  if (fitsIn(tail, max)) return tail;
  // A plain name reads best from its start.
  if (tail === text && !text.includes('/')) return fitEnd(text, max);
  // Still too long: keep the last segment (the session or user name) whole
  // when it leaves room for some of the rest, else keep the end.
  const slash = tail.lastIndexOf('/');
  if (slash > 0) {
    const last = tail.slice(slash);
    if (fitsIn(last, max - 4)) return fitEnd(tail.slice(0, slash), max - displayWidth(last)) + last;
  }
  return fitStart(tail, max);
}

function lineWidth(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) + SEP.length * Math.max(0, widths.length - 1);
}

/** Which columns, how wide: drop the lowest priorities, then shorten the widest. */
function layout(columns: Column[], natural: number[], width: number): { keep: number[]; widths: number[] } {
  const order = columns.map((_, i) => i).sort((a, b) => columns[a]!.priority - columns[b]!.priority);
  let keep = [...order];
  const total = (ks: number[], ws: (i: number) => number) => lineWidth(ks.map(ws));
  while (keep.length > 1 && total(keep, (i) => natural[i]!) > width && columns[keep[keep.length - 1]!]!.priority > CORE) keep.pop();
  // Then drop down to time, rule and target while the rest cannot have the
  // width they read well at: at 80 columns a whole rule name and its target
  // beat six columns cut to a few letters each.
  const readable = (i: number) => Math.min(natural[i]!, columns[i]!.comfort ?? natural[i]!);
  while (keep.length > 1 && total(keep, readable) > width && columns[keep[keep.length - 1]!]!.priority > MUST) keep.pop();
  // If even the narrowest the kept columns may go does not fit, drop more.
  const floor = (i: number) => Math.min(natural[i]!, columns[i]!.min);
  while (keep.length > 1 && total(keep, floor) > width) keep.pop();
  const w = new Map(keep.map((i) => [i, natural[i]!]));
  let excess = total(keep, (i) => w.get(i)!) - width;
  const give = (i: number, to: number) => {
    const n = Math.min(excess, Math.max(0, w.get(i)! - to));
    w.set(i, w.get(i)! - n);
    excess -= n;
  };
  // First a column far wider than the others (one huge field) gives way, down
  // to a quarter of the line, so it cannot squeeze every other column.
  const share = Math.floor(width / 4);
  for (const i of [...keep].sort((a, b) => w.get(b)! - w.get(a)!)) give(i, Math.max(columns[i]!.comfort ?? Infinity, share, floor(i)));
  // Then the lower priorities give way, down to a width that still reads well
  // (an IPv4 address whole, a role and session name, a bundled rule's name);
  // then the widest column, whichever it is, down to its minimum.
  for (const i of [...keep].reverse()) give(i, Math.max(columns[i]!.comfort ?? Infinity, floor(i)));
  while (excess > 0) {
    // Shorten the widest column that can still give a column.
    let widest = -1;
    for (const i of keep) if (w.get(i)! > floor(i) && (widest < 0 || w.get(i)! > w.get(widest)!)) widest = i;
    if (widest < 0) {
      // One column left and the terminal narrower still: cut even that one.
      if (keep.length === 1) w.set(keep[0]!, width);
      break;
    }
    w.set(widest, w.get(widest)! - 1);
    excess--;
  }
  keep = keep.sort((a, b) => a - b); // back to display order
  return { keep, widths: keep.map((i) => w.get(i)!) };
}

function contextLine(e: ContextEvent, width: number, wide: boolean, color: boolean): string {
  // Actor and target share what the time and event name leave, so a long
  // caller does not push the target out of the line.
  const share = Math.max(10, Math.floor((width - 50) / 2));
  const name = (v: string | null) => (v === null ? '' : wide ? forTerminal(v) : fit(forTerminal(v), share, 'arn'));
  const who = e.target && e.target !== e.actor ? `${name(e.actor) || '?'} → ${name(e.target)}` : name(e.actor);
  const parts = [
    forTerminal(e.time),
    forTerminal(e.eventName ?? '?'),
    who,
    forTerminal(e.sourceIPAddress ?? ''),
    e.errorCode ? forTerminal(e.errorCode) : '',
  ].filter((p) => p !== '');
  // `*` marks the hit's own events among those around them.
  const line = `  ${e.inHit ? '*' : '-'} ${parts.join(SEP)}`;
  // Events around the hit are dimmed so its own stand out.
  return paint(wide ? line : fitEnd(line, width), e.inHit ? undefined : '2', color);
}

/** The hits as a table for a terminal, one line per hit (and one per `context` event under it). */
export function table(hits: readonly Hit[], options: TableOptions = {}): string {
  const width = options.width && options.width > 0 ? options.width : 80;
  const wide = options.wide === true;
  const color = options.color === true;
  if (hits.length === 0) return 'No hits.\n';

  // A target column only when some hit names one; else the actor column says it.
  const columns = COLUMNS.filter((c) => c.head !== 'target' || hits.some((h) => typeof h.target === 'string'));
  // Cells, made safe, and already no wider than the terminal: nothing later is
  // wider, so long fields cost only what is shown.
  const cells = hits.map((h) =>
    columns.map((c) => {
      const text = forTerminal(c.cell(h));
      return wide ? text : fit(text, width, c.shorten);
    }),
  );
  const natural = columns.map((c, i) => {
    let w = displayWidth(c.head);
    for (const row of cells) w = Math.max(w, displayWidth(row[i]!));
    return w;
  });
  const { keep, widths } = wide
    ? { keep: columns.map((_, i) => i), widths: natural }
    : layout(columns, natural, width);
  const severityShown = keep.some((i) => columns[i]!.head === 'severity');

  const render = (texts: string[], sgr: (i: number) => string | undefined): string =>
    keep
      .map((ci, k) => {
        const c = columns[ci]!;
        const text = wide ? texts[ci]! : fit(texts[ci]!, widths[k]!, c.shorten);
        const pad = ' '.repeat(Math.max(0, widths[k]! - displayWidth(text)));
        const shown = paint(text, sgr(ci), color);
        return c.right ? pad + shown : k === keep.length - 1 ? shown : shown + pad;
      })
      .join(SEP)
      .trimEnd();

  const lines = [render(columns.map((c) => c.head), () => '36')];
  hits.forEach((h, r) => {
    const sgr = SEVERITY_SGR[h.severity.toLowerCase()];
    lines.push(render(cells[r]!, (ci) => (columns[ci]!.head === 'severity' || (!severityShown && columns[ci]!.head === 'rule') ? sgr : undefined)));
    for (const e of h.context ?? []) lines.push(contextLine(e, width, wide, color));
  });
  return lines.join('\n') + '\n';
}
