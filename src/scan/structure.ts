// The string-aware bracket count of structure.wat, for the prefilter's proof
// that each record start it cuts at is an element of Records (prefilter.ts).
// One instance per thread; the text is copied into its memory once per object.

import { WASM_BASE64 } from './structure-wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  reset(): void;
  run(from: number, to: number): number;
  records(text: number, end: number, starts: number, marks: number): number;
}

let instance: Exports | undefined;

/** The thread's instance, its memory grown to at least `bytes`. */
function exports(bytes: number): Exports {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'))).exports as unknown as Exports;
  const have = instance.memory.buffer.byteLength;
  if (have < bytes) instance.memory.grow(Math.ceil((bytes - have) / 65536));
  return instance;
}

/** Bytes copied into the module's memory at a time: its memory stays this small whatever the object's size. */
const WINDOW = 8 * 1024 * 1024;

/**
 * Does every marked start lie at depth 0 (outside any string) counted from
 * `open`, without the depth going below 0 on the way? `starts` are byte
 * offsets into `bytes`, ascending; only those with `marked[k]` are checked,
 * and the count stops at the last of them. (`window` is for tests.)
 */
export function atTopLevel(bytes: Uint8Array, open: number, starts: readonly number[], marked: Uint8Array, window = WINDOW): boolean {
  const next = (k: number): number => {
    while (k < marked.length && !marked[k]) k++;
    return k;
  };
  let k = next(0);
  if (k === marked.length) return true;
  let last = marked.length - 1;
  while (!marked[last]) last--;
  const end = starts[last]!;
  const wasm = exports(window + 16);
  const memory = new Uint8Array(wasm.memory.buffer);
  wasm.reset();
  // The state carries from window to window; only a marked start must find it at depth 0, outside strings.
  for (let at = open; k <= last; ) {
    const windowEnd = Math.min(at + window, end);
    memory.set(bytes.subarray(at, windowEnd), 0);
    let done = 0;
    for (; k <= last && starts[k]! <= windowEnd; k = next(k + 1)) {
      if (wasm.run(done, starts[k]! - at) !== 0) return false;
      done = starts[k]! - at;
    }
    wasm.run(done, windowEnd - at);
    at = windowEnd;
  }
  return true;
}

/** Lowered bytes of CloudTrail text, most frequent first (measured on generated and sample trails); a needle's filter pair is its rarest. */
const FREQUENT = '"east:rniodc,lm12u-653p04.v7wbyg8fh/9{}zkx qj#+();=&$|%?*';

/** Objects larger than this take the JavaScript way: the module's memory would hold a copy of each. */
export const RECORD_SCAN_LIMIT = 64 * 1024 * 1024;
/** More needles than this take the JavaScript way: 8 buckets of nibble tables then match nearly every byte pair (the --context pass, 60 needles, ran 3× slower), and every candidate is compared with each needle of its buckets. */
const MAX_NEEDLES = 16;
const NEEDLE_LIST = 80;

/**
 * The whole prefilter pass in WebAssembly (`records` in structure.wat): which
 * records hold a needle, an escape or a case pitfall, and which starts are
 * proven to lie at the top level, in one pass over the bytes.
 */
export class RecordScan {
  private readonly layout: Uint8Array;
  private readonly textAt: number;

  private constructor(needles: readonly string[]) {
    const offsets = needles.map(rarestPair);
    // One bucket per distinct pair while there are at most 8; past that, pairs share buckets.
    const distinct = [...new Set(needles.map((n, i) => n.slice(offsets[i]!, offsets[i]! + 2)))];
    const list = NEEDLE_LIST + 4 + 16 * needles.length;
    let size = list;
    for (const n of needles) size += n.length;
    this.textAt = Math.ceil((size + 16) / 16) * 16;
    const layout = new Uint8Array(size);
    const view = new DataView(layout.buffer);
    view.setUint32(NEEDLE_LIST, needles.length, true);
    let bytesAt = list;
    needles.forEach((needle, i) => {
      const at = offsets[i]!;
      const bit = 1 << (distinct.indexOf(needle.slice(at, at + 2)) % 8);
      const a = needle.charCodeAt(at) | 0x20;
      const b = needle.charCodeAt(at + 1) | 0x20;
      layout[a & 15] |= bit;
      layout[16 + (a >> 4)] |= bit;
      layout[32 + (b & 15)] |= bit;
      layout[48 + (b >> 4)] |= bit;
      const entry = NEEDLE_LIST + 4 + 16 * i;
      view.setUint32(entry, bit, true);
      view.setUint32(entry + 4, at, true);
      view.setUint32(entry + 8, needle.length, true);
      view.setUint32(entry + 12, bytesAt, true);
      for (let j = 0; j < needle.length; j++) layout[bytesAt + j] = needle.charCodeAt(j);
      bytesAt += needle.length;
    });
    this.layout = layout;
  }

  /** A scan for these needles, or undefined when they are too many or not plain ASCII. */
  static for(needles: readonly string[]): RecordScan | undefined {
    if (needles.length === 0 || needles.length > MAX_NEEDLES) return undefined;
    if (needles.some((n) => n.length < 2 || !/^[\x20-\x7e]+$/.test(n) || n !== n.toLowerCase())) return undefined;
    return new RecordScan(needles);
  }

  /**
   * The record starts of Records (each `{"eventVersion":`, as byte offsets
   * into `bytes`) and one byte per start: bit 0 when its record (up to the next
   * start, or to `close`) holds a needle, `\u`, `\/`, U+0130 or U+212A; bit 1
   * when the start is proven to be an element of Records. Null when a start
   * does not follow a comma. `bytes[open]` must begin the first record, and
   * `close - open` be at most RECORD_SCAN_LIMIT.
   */
  scan(bytes: Uint8Array, open: number, close: number): { starts: number[]; marks: Uint8Array } | null {
    const length = close - open;
    // A start takes 16 bytes at least: at most length / 16 + 1 of them.
    const capacity = Math.floor(length / 16) + 1;
    const startsAt = this.textAt + Math.ceil((length + 32) / 16) * 16;
    const marksAt = startsAt + 4 * capacity;
    const wasm = exports(marksAt + capacity);
    const memory = new Uint8Array(wasm.memory.buffer);
    memory.set(this.layout, 0);
    memory.set(bytes.subarray(open, close), this.textAt);
    memory.fill(0, this.textAt + length, this.textAt + length + 32);
    memory.fill(0, marksAt, marksAt + capacity);
    const count = wasm.records(this.textAt, this.textAt + length, startsAt, marksAt);
    if (count < 0) return null;
    const addresses = new Uint32Array(wasm.memory.buffer, startsAt, count);
    const starts = new Array<number>(count);
    for (let k = 0; k < count; k++) starts[k] = addresses[k]! - this.textAt + open;
    return { starts, marks: memory.slice(marksAt, marksAt + count) };
  }
}

/** Where the needle's byte pair least frequent in CloudTrail text starts: the filter looks for that pair. */
function rarestPair(needle: string): number {
  const rank = (c: string): number => {
    const i = FREQUENT.indexOf(c);
    return i < 0 ? FREQUENT.length : i;
  };
  let best = 0;
  let score = -1;
  for (let at = 0; at + 1 < needle.length; at++) {
    const s = rank(needle[at]!) + rank(needle[at + 1]!);
    if (s > score) {
      score = s;
      best = at;
    }
  }
  return best;
}
