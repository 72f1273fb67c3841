// The formats hits can be written in, by `--format`: one entry each.

import type { Hit } from '../model.js';
import { csv } from './csv.js';
import { ndjson } from './ndjson.js';
import { table } from './table.js';
import { timesketch } from './timesketch.js';

export interface RenderOptions {
  /** Terminal width for the table (undefined: not a terminal). */
  width?: number;
  color: boolean;
  wide: boolean;
  /** Notes for stderr (e.g. posture hits a timeline cannot place). */
  note(line: string): void;
}

export type Format = 'table' | 'ndjson' | 'csv' | 'timesketch';

export const FORMATTERS: Record<Format, (hits: readonly Hit[], options: RenderOptions) => string> = {
  table: (hits, o) => table(hits, { width: o.width, color: o.color, wide: o.wide }),
  ndjson: (hits) => ndjson(hits),
  csv: (hits) => csv(hits),
  timesketch: (hits, o) => {
    const out = timesketch(hits);
    if (out.untimed > 0) o.note(`${out.untimed} posture hit(s) have no time and are left out of the Timesketch timeline (see --format ndjson)`);
    return out.text;
  },
};

export const FORMATS = Object.keys(FORMATTERS) as Format[];
