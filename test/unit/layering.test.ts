// The layering the code keeps, read from its import lines (static, type-only
// and dynamic imports alike): no import circles; nothing in src/ imports a
// worker entry; only the pool starts threads; output/ imports only the model,
// the tally and itself; only the S3 store and the registry name 's3'.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const SOURCES = [...files('src'), ...files('workers')];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** The project files a file imports, as paths from the checkout. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (!spec.startsWith('.')) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const graph = new Map(SOURCES.map((f) => [f, importsOf(f)]));

describe('layering', () => {
  it('reads a real graph', () => {
    expect(graph.get('src/hunt.ts')).toContain('src/merge/index.ts');
    for (const targets of graph.values()) for (const t of targets) expect(graph.has(t), t).toBe(true);
  });

  it('has no import circles', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(circles).toEqual([]);
  });

  it('nothing in src/ imports a worker entry', () => {
    for (const [f, targets] of graph) if (f.startsWith('src/')) expect(targets.filter((t) => t.startsWith('workers/')), f).toEqual([]);
  });

  it('only the pool imports worker_threads (and the worker itself)', () => {
    const users = SOURCES.filter((f) => /from 'node:worker_threads'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(users.filter((f) => !f.startsWith('src/pool/') && !f.startsWith('workers/'))).toEqual([]);
  });

  it('output/ imports only the model, the tally and itself', () => {
    for (const [f, targets] of graph) {
      if (!f.startsWith('src/output/')) continue;
      expect(targets.filter((t) => !t.startsWith('src/output/') && t !== 'src/model.ts'), f).toEqual([]);
    }
  });

  it("the string 's3' appears only in the S3 store and the registry", () => {
    // Quoted, or as the registry's key (`s3: async () => …`).
    const naming = SOURCES.filter((f) => /['"]s3['"]|^\s*s3\s*:/m.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(naming.sort()).toEqual(['src/stores/registry.ts', 'src/stores/s3.ts']);
  });
});
