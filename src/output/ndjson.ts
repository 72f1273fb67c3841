import type { Hit } from '../model.js';
import { jsonLine } from './sanitize.js';

/** One hit per line, fields in the contract's order, nothing else. */
export function ndjson(hits: readonly Hit[]): string {
  let out = '';
  for (const hit of hits) out += jsonLine(hit) + '\n';
  return out;
}
