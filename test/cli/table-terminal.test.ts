// The table as a person meets it: the built binary on a pseudo-terminal of a
// given width (`script`), over the bundled samples. Every hit is one line and
// no line is wider than the terminal.

import { execFileSync } from 'node:child_process';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { BIN, hunt, lines, ROOT, hasScript } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });


function withoutColorVars(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') out[k] = v;
  return out;
}

const tables = new Map<string, string[]>();

/**
 * What the table puts on a terminal `cols` wide (stderr left out), line by
 * line. Each width and environment is run once: the tests that look at the
 * same terminal share its run.
 */
function tableAt(cols: number, env: Record<string, string> = { NO_COLOR: '1' }): string[] {
  const key = JSON.stringify([cols, env]);
  let shown = tables.get(key);
  if (!shown) {
    const out = execFileSync('script', ['-qec', `stty cols ${cols}; node "${BIN}" --source samples 2>/dev/null`, '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      // FORCE_COLOR, even empty, forces colour (Node's convention): the test's own runner may set it.
      env: { ...withoutColorVars(process.env), ...env },
    });
    shown = out.split(/\r?\n/).filter((l) => l !== '');
    tables.set(key, shown);
  }
  return shown;
}

/** The samples' hits as NDJSON, hunted in-process once. */
let ndjson: Promise<Record<string, unknown>[]> | undefined;
const samplesHits = () => (ndjson ??= hunt(['--source', 'samples', '--format', 'ndjson']).then((r) => lines(r.stdout)));

describe.runIf(hasScript)('the table on a terminal', () => {
  for (const cols of [80, 120, 200]) {
    it(`at ${cols} columns: one line per hit, none wider than the terminal`, async () => {
      const hits = await samplesHits();
      expect(hits.length).toBeGreaterThan(5);
      const shown = tableAt(cols);
      expect(shown[0]).toMatch(/^time\s+rule\s/);
      expect(shown).toHaveLength(hits.length + 1);
      for (const line of shown) expect(stringWidth(line)).toBeLessThanOrEqual(cols);
      // Each row starts with its hit's time, in order.
      expect(shown.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(hits.map((h) => (h.time as string | null) ?? '(posture)'));
    });
  }

  it('shows more columns when there is room', () => {
    expect(tableAt(80)[0]).not.toMatch(/\baccount\b/);
    expect(tableAt(200)[0]).toMatch(/\baccount\b/);
  });

  it('colours severity on a terminal, and not with NO_COLOR', () => {
    expect(tableAt(120, {}).join('\n')).toMatch(/\x1b\[(31|33|2)m/);
    expect(tableAt(120, { NO_COLOR: '1' }).join('\n')).not.toContain('\x1b');
  });
});
