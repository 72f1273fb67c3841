import { mkdtemp, readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/output/atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hunt-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeAtomically', () => {
  it('writes the whole text and leaves nothing else in the folder', async () => {
    const file = path.join(dir, 'hits.csv');
    await writeAtomically(file, 'a,b\r\n東京\r\n');
    expect(await readFile(file, 'utf8')).toBe('a,b\r\n東京\r\n');
    expect(await readdir(dir)).toEqual(['hits.csv']);
  });

  it('replaces an existing file whole', async () => {
    const file = path.join(dir, 'hits.jsonl');
    await writeFile(file, 'old and much longer content\n');
    await writeAtomically(file, 'new\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
  });

  it('fails without leaving a temporary file, and leaves what was there', async () => {
    // A folder where the file should go: the rename fails after the write.
    const file = path.join(dir, 'taken');
    await mkdir(file);
    await writeFile(path.join(file, 'inside'), 'keep');
    await expect(writeAtomically(file, 'text')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readFile(path.join(file, 'inside'), 'utf8')).toBe('keep');
  });

  it('fails when the folder does not exist', async () => {
    await expect(writeAtomically(path.join(dir, 'no', 'such', 'hits.csv'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
