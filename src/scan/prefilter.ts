// The record-level prefilter: find the rules' needles (src/rules/needles.ts)
// in a decompressed CloudTrail object and cut out only the records that hold
// one, so the scan parses a few records instead of the whole object.
//
// It relies on CloudTrail's own serialisation, and checks it rather than
// assuming it: `{"Records":[` first, `]}` last, every record starting with
// `{"eventVersion":` and the records separated by single commas. In valid
// JSON, `{"eventVersion":` cannot lie inside a string (its `"` would end the
// string, and a string cannot be followed by a letter), so it is always an
// object whose first key is eventVersion. When the object looks any other
// way, `select` returns null and the caller parses the whole object, exactly
// as without a prefilter; a cut-out record that is not valid JSON must make
// the caller do the same (see scanner.ts). Before cutting, a string-aware
// bracket count proves each record that holds a needle is an element of
// Records, not a map nested inside another record nor one in a list after
// Records (structure.ts, in WebAssembly: the count reads every byte up to
// the last such record, and in JavaScript it cost as much as the rest of the
// prefilter).
//
// What can hide a needle in JSON text, and how the search still finds it:
// * escapes: `\uXXXX` can spell any character, `\/` spells `/`. Every record
//   containing `\u` or `\/` is a hit. The other escapes (`\"`, `\\`, `\n`,
//   ...) spell characters that needles never contain.
// * case: Sigma lowercases both sides with toLowerCase. Needles are ASCII;
//   the only non-ASCII characters whose lowercase holds ASCII are U+0130 (İ)
//   and U+212A (the Kelvin sign K), so every record containing one is a hit.
// * numbers: a number's text may differ from how it is written (`1e3`);
//   needles.ts never makes a needle a number's text could hold.

import { isAscii } from 'node:buffer';
import { atTopLevel, RECORD_SCAN_LIMIT, RecordScan } from './structure.js';

const PREFIX = '{"Records":[';
const RECORD_START = '{"eventVersion":';
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
/** U+0130 and U+212A in UTF-8. */
const CASE_PITFALLS = [Buffer.from('\u0130'), Buffer.from('\u212a')];

export interface Selection {
  /** Records in the object (record starts). */
  records: number;
  /** The JSON text of each record that holds a needle, in order, each once. */
  pieces: string[];
}

export class Prefilter {
  private readonly search: RegExp | undefined;
  /** The same search in WebAssembly, when the needles suit it (structure.ts). */
  private readonly scan: RecordScan | undefined;

  constructor(readonly needles: readonly string[], options: { wasm?: boolean } = {}) {
    this.search = needles.length > 0 ? new RegExp(needles.map(escapeRegExp).join('|'), 'gi') : undefined;
    this.scan = (options.wasm ?? true) ? RecordScan.for(needles) : undefined;
  }

  /**
   * The records of a decompressed object that may match, or null when the
   * bytes do not have CloudTrail's layout (the caller must then parse them whole).
   * Only the records cut out are decoded as UTF-8.
   */
  select(bytes: Buffer): Selection | null {
    let begin = 0;
    while (begin < bytes.length && isSpace(bytes[begin]!)) begin++;
    let end = bytes.length;
    while (end > begin && isSpace(bytes[end - 1]!)) end--;
    if (end - begin < PREFIX.length + 2 || !startsWith(bytes, PREFIX, begin) || bytes[end - 2] !== 0x5d || bytes[end - 1] !== 0x7d) return null;
    const open = begin + PREFIX.length;
    const close = end - 2; // the `]` that ends Records
    if (close === open) return { records: 0, pieces: [] };
    if (!startsWith(bytes, RECORD_START, open)) return null;

    if (this.search && this.scan && close - open <= RECORD_SCAN_LIMIT) {
      // The starts, the marks and the proof in one pass (structure.wat).
      const found = this.scan.scan(bytes, open, close);
      if (!found) return null;
      return cut(bytes, close, found.starts, found.marks);
    }
    const starts = [open];
    for (let at = bytes.indexOf(RECORD_START, open + RECORD_START.length); at !== -1 && at < close; at = bytes.indexOf(RECORD_START, at + RECORD_START.length)) {
      if (bytes[at - 1] !== COMMA) return null;
      starts.push(at);
    }
    if (!this.search) return { records: starts.length, pieces: [] };

    const marked = this.markInJavaScript(bytes, open, close, starts);
    return marked ? cut(bytes, close, starts, marked) : null;
  }

  /**
   * The same marks without WebAssembly's record scan (too many needles, or a
   * very large object): the search runs on a latin1 view of the bytes, where a
   * character's index is its byte offset (every needle and record boundary is
   * ASCII, which reads the same in both), then the top-level proof. Marks
   * carry bit 0 (holds a needle) and bit 1 (proven an element of Records), as
   * the WebAssembly pass's do; null when a marked record is not proven.
   */
  private markInJavaScript(bytes: Buffer, open: number, close: number, starts: readonly number[]): Uint8Array | null {
    const text = bytes.toString('latin1');
    const marked = new Uint8Array(starts.length);
    /** Marks the record holding `at`; returns where the next record starts (or -1). */
    const mark = (at: number): number => {
      const k = recordAt(starts, at);
      marked[k] = 1;
      return k + 1 < starts.length ? starts[k + 1]! : -1;
    };
    const re = this.search!;
    re.lastIndex = open;
    for (let m = re.exec(text); m !== null && m.index < close; m = re.exec(text)) {
      const next = mark(m.index);
      if (next < 0) break;
      re.lastIndex = next; // one hit is enough: go on with the next record
    }
    re.lastIndex = 0;
    // Escapes that could spell a needle character: \uXXXX and \/.
    for (let at = bytes.indexOf(BACKSLASH, open); at !== -1 && at < close; ) {
      const c = bytes[at + 1];
      if (c === 0x75 || c === 0x2f) {
        const next = mark(at);
        at = next < 0 ? -1 : bytes.indexOf(BACKSLASH, next);
      } else {
        at = bytes.indexOf(BACKSLASH, at + 1);
      }
    }
    if (!isAscii(bytes)) {
      for (const pitfall of CASE_PITFALLS) {
        for (let at = bytes.indexOf(pitfall, open); at !== -1 && at < close; at = bytes.indexOf(pitfall, at + 1)) mark(at);
      }
    }
    if (!atTopLevel(bytes, open, starts, marked)) return null;
    for (let k = 0; k < marked.length; k++) if (marked[k]) marked[k] = 3;
    return marked;
  }
}

/** The pieces of the marked records; null when one is not proven to be an element of Records. */
function cut(bytes: Buffer, close: number, starts: readonly number[], marked: Uint8Array): Selection | null {
  const pieces: string[] = [];
  for (let k = 0; k < starts.length; k++) {
    if (!(marked[k]! & 1)) continue;
    if (!(marked[k]! & 2)) return null;
    pieces.push(bytes.toString('utf8', starts[k]!, k + 1 < starts.length ? starts[k + 1]! - 1 : close));
  }
  return { records: starts.length, pieces };
}

function startsWith(bytes: Buffer, prefix: string, at: number): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** Index of the last start at or before `at` (binary search). */
function recordAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
