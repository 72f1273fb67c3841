// What a person at a terminal sees: progress on stderr only when it is a
// terminal, and never with --no-progress or --quiet. `script` gives the hunt
// a real pseudo-terminal.

import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { BIN, hunt, ROOT, hasScript } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });

function onTerminal(args: string): string {
  // stdout goes to /dev/null; stderr stays on the pseudo-terminal.
  return execFileSync('script', ['-qec', `node "${BIN}" ${args} > /dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}


describe.runIf(hasScript)('on a terminal', () => {
  it('draws progress on stderr, then clears it before the summary', () => {
    const seen = onTerminal('--source samples');
    expect(seen).toMatch(/\rhunt: scanned \d+\/\d+\+? objects/);
    expect(seen).toMatch(/\r\x1b\[Khunt: scanned \d+ objects \(/);
  });

  it('draws no progress with --no-progress or --quiet', () => {
    expect(onTerminal('--source samples --no-progress')).not.toMatch(/\x1b\[K/);
    const quiet = onTerminal('--source samples --quiet');
    expect(quiet).not.toMatch(/\x1b\[K/);
    expect(quiet).not.toMatch(/hunt: scanned/);
  });
});

describe('off a terminal', () => {
  it('writes no progress and no escape sequence to stderr', async () => {
    const run = await hunt(['--source', 'samples']);
    expect(run.stderr).not.toMatch(/\x1b|\r/);
    expect(run.stderr).toMatch(/^hunt: scanned \d+ objects/);
  });
});
