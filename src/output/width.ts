// Widths in terminal columns, not UTF-16 units: a CJK character takes two
// columns, a combining mark none, and the escapes `forTerminal` writes take
// as many as they print. Text here is already through `forTerminal`, so it
// holds no escape sequence of its own.
//
// Every function walks its text once, grapheme by grapheme, and stops as soon
// as it has what it needs, so a 20,000-character log field costs no more than
// the columns it is cut to.

import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter();
// eslint-disable-next-line no-control-regex
const PLAIN = /^[\u0020-\u007e]*$/;

/** Columns `text` takes on a terminal. */
export function displayWidth(text: string): number {
  return PLAIN.test(text) ? text.length : stringWidth(text);
}

/** Columns of one grapheme cluster. */
function clusterWidth(cluster: string): number {
  return cluster.length === 1 && cluster >= ' ' && cluster <= '~' ? 1 : stringWidth(cluster);
}

/** The longest start of `text` that takes at most `max` columns, and its width. */
function head(text: string, max: number): { text: string; width: number; whole: boolean } {
  if (PLAIN.test(text)) {
    return text.length <= max ? { text, width: text.length, whole: true } : { text: text.slice(0, max), width: max, whole: false };
  }
  let width = 0;
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    const w = clusterWidth(segment);
    if (width + w > max) return { text: text.slice(0, index), width, whole: false };
    width += w;
    end = index + segment.length;
  }
  return { text: text.slice(0, end), width, whole: true };
}

/** Whether `text` takes at most `max` columns; costs no more than `max` columns of it. */
export function fitsIn(text: string, max: number): boolean {
  return head(text, max).whole;
}

/** `text` cut to at most `max` columns, ending in `…` when something was cut. */
export function fitEnd(text: string, max: number): string {
  if (max <= 0) return '';
  const all = head(text, max);
  if (all.whole) return all.text;
  return head(all.text, max - 1).text + '…';
}

/** The last graphemes of `text` that take at most `max` columns. */
function tail(text: string, max: number): string {
  if (PLAIN.test(text)) return text.slice(Math.max(0, text.length - max));
  // Segmenting from the end is not possible; cut a generous slice first so the
  // walk stays proportional to `max` (a grapheme is rarely more than a few units).
  const slice = text.length > max * 8 + 64 ? text.slice(text.length - (max * 8 + 64)) : text;
  const clusters = [...segmenter.segment(slice)].map((s) => s.segment);
  if (slice !== text) clusters.shift(); // the first may be a cluster cut in half
  let width = 0;
  let start = clusters.length;
  while (start > 0) {
    const w = clusterWidth(clusters[start - 1]!);
    if (width + w > max) break;
    width += w;
    start--;
  }
  return clusters.slice(start).join('');
}

/**
 * `text` cut to at most `max` columns keeping its end: `…` plus the last
 * columns. For names whose end says the most (`…/ops.kim`).
 */
export function fitStart(text: string, max: number): string {
  if (max <= 0) return '';
  if (head(text, max).whole) return text;
  return '…' + tail(text, max - 1);
}
