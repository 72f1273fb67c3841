// The string-aware bracket count of structure.wat, for the prefilter's proof
// that each record start it cuts at is an element of Records (prefilter.ts).
// One instance per thread; the text is copied into its memory once per object.

import { WASM_BASE64 } from './structure-wasm.js';

interface Exports {
  memory: WebAssembly.Memory;
  reset(): void;
  run(from: number, to: number): number;
}

let instance: Exports | undefined;

function exports(): Exports {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'))).exports as unknown as Exports;
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
  const wasm = exports();
  if (wasm.memory.buffer.byteLength < window + 16) wasm.memory.grow(Math.ceil((window + 16 - wasm.memory.buffer.byteLength) / 65536));
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
