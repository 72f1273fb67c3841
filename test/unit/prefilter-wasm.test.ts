// The prefilter's record scan runs in WebAssembly (structure.wat, `records`)
// and its JavaScript way remains for what the module does not take (many
// needles, very large objects). Both must cut out exactly the same records,
// or both give up, over text written to trip them: needles in any case and
// at every offset, escapes, the two case pitfalls, brackets in strings, and
// record starts forged inside records.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prefilter } from '../../src/scan/prefilter.js';
import { RecordScan } from '../../src/scan/structure.js';

const needleChars = 'abcdefghijklmnopqrstuvwxyz0123456789_./:-@[]{} ';
const arbNeedle = fc
  .array(fc.constantFrom(...needleChars), { minLength: 4, maxLength: 12 })
  .map((cs) => cs.join(''))
  .filter((n) => n.trim() === n);

/** A needle as it may appear in text: any ASCII case. */
const cased = (needle: string, mask: number): string => [...needle].map((c, i) => ((mask >> i % 31) & 1 ? c.toUpperCase() : c)).join('');

const arbPiece = (needles: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s).slice(1, -1)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...needles), fc.nat()).map(([n, m]) => cased(n, m).replace(/["\\]/g, '')) },
    { weight: 1, arbitrary: fc.constantFrom('\\u0041', '\\/', '\\\\', '\\"', '\\\\u', 'İ', '\u212A', 'é', '{', '}', '[', ']', '\\\\"') },
  );

/** One record: string values built from pieces, some nested in lists and maps, maybe a forged start inside. */
const arbRecord = (needles: string[]) =>
  fc.record({
    values: fc.array(fc.array(arbPiece(needles), { maxLength: 6 }), { maxLength: 5 }),
    nest: fc.constantFrom('', 'list', 'map', 'forged'),
  }).map(({ values, nest }) => {
    const fields = values.map((pieces, i) => `"f${i}":"${pieces.join('')}"`);
    let body = fields.join(',');
    if (nest === 'list') body += `${body ? ',' : ''}"l":[{"a":1},{"b":[${fields.length}]}]`;
    if (nest === 'map') body += `${body ? ',' : ''}"m":{"k":{"x":"}]"}}`;
    if (nest === 'forged') body += `${body ? ',' : ''}"l":[{"a":1},{"eventVersion":"x",${fields[0] ?? '"z":0'}}]`;
    return `{"eventVersion":"1.08"${body ? ',' : ''}${body}}`;
  });

const arbCase = fc.array(arbNeedle, { minLength: 1, maxLength: 16 }).chain((raw) => {
  const needles = [...new Set(raw.map((n) => n.toLowerCase()))];
  return fc.record({ needles: fc.constant(needles), records: fc.array(arbRecord(needles), { maxLength: 12 }), tail: fc.constantFrom('', ',"x":[{"a":1},{"eventVersion":"y"}]') });
});

describe('the record scan in WebAssembly', () => {
  it('cuts out the same records as the JavaScript way', () => {
    fc.assert(
      fc.property(arbCase, ({ needles, records, tail }) => {
        const text = `{"Records":[${records.join(',')}]${tail}}`;
        const bytes = Buffer.from(text);
        const wasm = new Prefilter(needles);
        const js = new Prefilter(needles, { wasm: false });
        expect(wasm.select(bytes)).toEqual(js.select(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a needle that ends the last record, and one at the first byte of a record', () => {
    const needles = ['consolelogin'];
    const wasm = new Prefilter(needles);
    const records = ['{"eventVersion":"1","a":"CONSOLELOGIN"}', '{"eventVersion":"2"}', '{"eventVersion":"3","z":"x","b":"consoleLogin"}'];
    for (let pad = 0; pad < 20; pad++) {
      const padded = [`{"eventVersion":"0","p":"${'p'.repeat(pad)}"}`, ...records];
      const text = `{"Records":[${padded.join(',')}]}`;
      expect(wasm.select(Buffer.from(text))?.pieces).toEqual([padded[1], padded[3]]);
    }
  });

  it('shares its 8 filter buckets among more needle pairs than that', () => {
    const needles = Array.from({ length: 16 }, (_, i) => `needle${String.fromCharCode(97 + i)}${String.fromCharCode(122 - i)}x`);
    expect(RecordScan.for(needles)).toBeDefined();
    expect(new Set(needles.map((n) => n.slice(6, 8))).size).toBeGreaterThan(8);
    const records = needles.map((n, i) => `{"eventVersion":"${i}","v":"${i % 2 ? n.toUpperCase() : n}"}`);
    const noise = '{"eventVersion":"n","v":"needle"}';
    const text = `{"Records":[${[noise, ...records, noise].join(',')}]}`;
    expect(new Prefilter(needles).select(Buffer.from(text))?.pieces).toEqual(records);
  });
});
