// `--output FILE` must never leave half a file where a complete one is
// expected (a hunt interrupted mid-write, a full disk): the text goes to a
// temporary file in the same folder — same file system, so the rename is
// atomic — and only a complete, flushed file takes the name.

import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Writes `text` (UTF-8) to `file` all at once or not at all; on error no temporary file is left. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // `wx`: never follow or reuse something already at the temporary name.
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
