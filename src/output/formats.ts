// The formats hits can be written in, by `--format`: one entry each, each
// loaded only when chosen (a hunt's start-up pays for its own format only).

import type { Hit } from '../model.js';

export interface RenderOptions {
  /** Terminal width for the table (undefined: not a terminal). */
  width?: number;
  color: boolean;
  wide: boolean;
  /** Notes for stderr (e.g. posture hits a timeline cannot place). */
  note(line: string): void;
}

type Formatter = (hits: readonly Hit[], options: RenderOptions) => string;

const FORMATTERS = {
  table: async (): Promise<Formatter> => {
    const { table } = await import('./table.js');
    return (hits, o) => table(hits, { width: o.width, color: o.color, wide: o.wide });
  },
  ndjson: async (): Promise<Formatter> => (await import('./ndjson.js')).ndjson,
  csv: async (): Promise<Formatter> => (await import('./csv.js')).csv,
  timesketch: async (): Promise<Formatter> => {
    const { timesketch } = await import('./timesketch.js');
    return (hits, o) => {
      const out = timesketch(hits);
      if (out.untimed > 0) o.note(`${out.untimed} posture hit(s) have no time and are left out of the Timesketch timeline (see --format ndjson)`);
      return out.text;
    };
  },
} satisfies Record<string, () => Promise<Formatter>>;

export type Format = keyof typeof FORMATTERS;

export const FORMATS = Object.keys(FORMATTERS) as Format[];

/** Writes the hits in a format. */
export async function render(format: Format, hits: readonly Hit[], options: RenderOptions): Promise<string> {
  return (await FORMATTERS[format]())(hits, options);
}
