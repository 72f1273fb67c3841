// `npm run wasm`: assembles src/scan/structure.wat into src/scan/structure-wasm.ts,
// the module's bytes as base64, so the scan loads it the same way from src/
// (tests) and from dist/ (the bin), with no file to copy. The generated file is
// committed; test/unit/structure-wasm.test.ts fails when it no longer matches
// the .wat.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, wasmModuleSource } from './wasm/assemble.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WAT = join(ROOT, 'src/scan/structure.wat');
const OUT = join(ROOT, 'src/scan/structure-wasm.ts');

const bytes = await assemble(readFileSync(WAT, 'utf8'), 'structure.wat');
writeFileSync(OUT, wasmModuleSource(bytes, 'structure.wat'));
console.log(`wrote ${OUT} (${bytes.length} bytes of wasm)`);
