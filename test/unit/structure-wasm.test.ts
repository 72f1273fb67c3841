// The prefilter's top-level proof runs in WebAssembly (src/scan/structure.wat):
// the committed module must be the assembly of the .wat, and it must count
// exactly as a plain byte-by-byte reading does, at every block boundary.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble, wasmModuleSource } from '../../scripts/wasm/assemble.js';
import { atTopLevel } from '../../src/scan/structure.js';

/** The proof read one byte at a time: every marked start at depth 0, outside strings, and the depth never below 0 on the way. */
function reference(bytes: Uint8Array, open: number, starts: readonly number[], marked: Uint8Array): boolean {
  let last = -1;
  for (let k = 0; k < marked.length; k++) if (marked[k]) last = k;
  if (last < 0) return true;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let k = 0;
  for (let i = open; i <= starts[last]!; i++) {
    while (k <= last && (!marked[k] || starts[k]! < i)) k++;
    if (k <= last && starts[k] === i && (depth !== 0 || inString)) return false;
    if (i === starts[last]) break;
    const c = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth < 0) return false;
    }
  }
  return true;
}

describe('the bracket count in WebAssembly', () => {
  it('is the assembly of structure.wat (run `npm run wasm` after editing it)', async () => {
    const wat = readFileSync(new URL('../../src/scan/structure.wat', import.meta.url), 'utf8');
    const generated = readFileSync(new URL('../../src/scan/structure-wasm.ts', import.meta.url), 'utf8');
    expect(generated).toBe(wasmModuleSource(await assemble(wat, 'structure.wat'), 'structure.wat'));
  });

  it('agrees with a byte-by-byte reading on random text', () => {
    // Quotes are rarer than brackets here, or most of the text would lie inside strings.
    const alphabet = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('{', '}', '[', ']', 'a', 'aaaaaaa', ',', ':', '{"e":') },
      { weight: 1, arbitrary: fc.constantFrom('"', '\\', '"x"', '\\"', '\\\\') },
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 160 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.integer({ min: 0, max: 3 }),
        (parts, marks, open) => {
          const bytes = Buffer.from(' '.repeat(open) + parts.join(''));
          const starts: number[] = [];
          let at = open;
          for (const p of parts) {
            if (starts.length < marks.length && (p === '{' || p === '{"e":')) starts.push(at);
            at += Buffer.byteLength(p);
          }
          const marked = Uint8Array.from(starts.map((_, i) => (marks[i] ? 1 : 0)));
          const expected = reference(bytes, open, starts, marked);
          expect(atTopLevel(bytes, open, starts, marked)).toBe(expected);
          // Copied into the module's memory a few bytes at a time, as a large object is.
          expect(atTopLevel(bytes, open, starts, marked, 1 + (parts.length % 37))).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees on long records, where the 16-byte blocks run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ body: fc.string({ maxLength: 60 }), nest: fc.integer({ min: 0, max: 3 }), raw: fc.constantFrom('', '}', ']', '"', '\\', '{[') }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (records, marks) => {
          const texts = records.map((r) => {
            const value = JSON.stringify({ v: r.body });
            return `{"eventVersion":"1",${'"n":['.repeat(r.nest)}${value}${']'.repeat(r.nest)}${r.raw},"x":${value}}`;
          });
          const text = `{"Records":[${texts.join(',')}]}`;
          const open = 12;
          const starts: number[] = [];
          for (let at = text.indexOf('{"eventVersion":'); at !== -1; at = text.indexOf('{"eventVersion":', at + 1)) starts.push(at);
          const bytes = Buffer.from(text, 'latin1');
          const marked = Uint8Array.from(starts.map((_, i) => (marks[i] ? 1 : 0)));
          expect(atTopLevel(bytes, open, starts, marked)).toBe(reference(bytes, open, starts, marked));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
