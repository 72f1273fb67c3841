// Files and folders on disk. Folders are walked in name order, depth first,
// without recursion (a folder chain thousands deep is fine); symbolic links
// are followed, since evidence stores and annexes are built from them, and a
// folder reached twice through links is walked once. Inside the CloudTrail
// layout, folders and files that cannot hold events of the scope are left
// out without being opened.

import { constants } from 'node:fs';
import { open, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Scope } from '../options.js';
import { fileVerdict, folderVerdict } from './cloudtrail-key.js';
import { tooLarge, type Listed, type ObjectRef, type Opened, type OpenError, type Store, type StoreKind, type StoreSettings } from './store.js';

class LocalStore implements Store {
  readonly key = 'file';
  constructor(readonly reference: string) {}

  async *list(scope: Scope): AsyncIterable<Listed> {
    const info = await stat(this.reference);
    if (info.isDirectory()) {
      yield* walk(this.reference, scope);
    } else if (info.isFile()) {
      // A file named on the command line is always scanned: the user asked for it.
      yield await fileEntry(this.reference, info.size, scope, true);
    } else {
      throw new UsageError(`--source ${this.reference}: not a regular file or folder`);
    }
  }
}

/** A folder being walked: its sorted entries and how far the walk is. */
interface Frame {
  dir: string;
  entries: string[];
  next: number;
}

async function* walk(top: string, scope: Scope): AsyncGenerator<Listed> {
  const seen = new Set<string>();
  const first = await readFolder(top);
  if (!first.ok) throw new UsageError(`--source ${top}: ${first.message}`);
  seen.add(await realpath(top));
  const stack: Frame[] = [{ dir: top, entries: first.entries, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.entries.length) {
      stack.pop();
      continue;
    }
    const full = path.join(frame.dir, frame.entries[frame.next++]!);
    let info;
    try {
      info = await stat(full); // follows links
    } catch (err) {
      // A dangling link is not a log; anything else that cannot be looked at is said.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') yield { type: 'unlistable', reference: full, message: describeFsError(err) };
      continue;
    }
    if (info.isDirectory()) {
      const verdict = folderVerdict(segmentsOf(full), scope);
      if (verdict) {
        yield { type: 'skipped', reference: full + path.sep, reason: verdict, folder: true };
        continue;
      }
      let real: string;
      try {
        real = await realpath(full);
      } catch (err) {
        yield { type: 'unlistable', reference: full, message: describeFsError(err) };
        continue;
      }
      if (seen.has(real)) continue; // a link back up, or a second way to the same folder
      seen.add(real);
      const folder = await readFolder(full);
      if (!folder.ok) yield { type: 'unlistable', reference: full, message: folder.message };
      else stack.push({ dir: full, entries: folder.entries, next: 0 });
    } else if (info.isFile()) {
      yield await fileEntry(full, info.size, scope, false);
    }
    // Sockets and FIFOs are not logs and are passed over.
  }
}

async function readFolder(dir: string): Promise<{ ok: true; entries: string[] } | { ok: false; message: string }> {
  try {
    const names: string[] = [];
    for await (const entry of await opendir(dir)) names.push(entry.name);
    return { ok: true, entries: names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  } catch (err) {
    return { ok: false, message: describeFsError(err) };
  }
}

async function fileEntry(file: string, size: number, scope: Scope, named: boolean): Promise<Listed> {
  const verdict = fileVerdict(segmentsOf(file), scope, named);
  if (verdict.type === 'skipped') return { type: 'skipped', reference: file, reason: verdict.reason, folder: false };
  const ref: ObjectRef = { store: 'file', reference: file, size, ...(verdict.type === 'object' && verdict.account ? { account: verdict.account } : {}) };
  // The real path identifies the file however it was reached (`--source a --source a/x.json.gz`, links).
  const id = await realpath(file).catch(() => path.resolve(file));
  return { type: verdict.type, ref, id };
}

function segmentsOf(p: string): string[] {
  return path.resolve(p).split(path.sep).filter(Boolean);
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; check its permissions';
  if (code === 'ENOENT') return 'no such file or folder (removed while the hunt ran?)';
  if (code === 'ENOTDIR') return 'not a folder';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (err as Error).message;
}

async function openFile(ref: ObjectRef, maxBytes: number): Promise<Opened> {
  let handle;
  try {
    // O_NONBLOCK: a FIFO or device swapped in for a log must not block the worker forever.
    handle = await open(ref.reference, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fsOpenError(err);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw { code: 'unreadable', message: 'not a regular file' } satisfies OpenError;
    if (info.size > maxBytes) throw tooLarge(maxBytes);
    return { bytes: await handle.readFile(), requests: 0 };
  } catch (err) {
    throw fsOpenError(err);
  } finally {
    await handle.close();
  }
}

function fsOpenError(err: unknown): OpenError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err && !(err instanceof Error)) return err as OpenError;
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'no longer exists'
        : code === 'EISDIR'
          ? 'is a folder'
          : (err as Error).message;
  return { code: 'unreadable', message: `cannot read: ${why}` };
}

export const localStore: StoreKind = {
  key: 'file',
  async connect(reference: string): Promise<Store> {
    let info;
    try {
      info = await stat(reference);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`--source ${reference}: no such file or folder; check the path`);
      if (code === 'EACCES') throw new UsageError(`--source ${reference}: permission denied; check its permissions`);
      throw new UsageError(`--source ${reference}: ${(err as Error).message}`);
    }
    if (!info.isFile() && !info.isDirectory()) throw new UsageError(`--source ${reference}: not a regular file or folder`);
    return new LocalStore(reference);
  },
  opener(settings: StoreSettings) {
    return (ref) => openFile(ref, settings.maxObjectBytes);
  },
};
