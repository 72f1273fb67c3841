// Files and folders on disk. Folders are walked in name order, depth first,
// without recursion (a folder chain thousands deep is fine); symbolic links
// are followed, since evidence stores and annexes are built from them, and a
// folder reached twice through links is walked once. Inside the CloudTrail
// layout, folders and files that cannot hold events of the scope are left
// out without being opened.
//
// Paths are walked as bytes: a name is whatever bytes the file system holds,
// and one that is not valid UTF-8 decoded to a string names another file
// (U+FFFD for each bad byte), which then cannot be opened. Such a file is
// shown with its bad bytes escaped (`log-\xff.json.gz`) and opened by its
// bytes (ObjectRef.pathBytes).

import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { open, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Scope } from '../options.js';
import { fileVerdict, folderVerdict } from './cloudtrail-key.js';
import { tooLarge, type Listed, type ObjectRef, type Opened, type OpenError, type Store, type StoreKind, type StoreSettings } from './store.js';

class LocalStore implements Store {
  readonly key = 'file';
  constructor(readonly reference: string) {}

  async *list(scope: Scope): AsyncIterable<Listed> {
    const info = await stat(this.reference, { bigint: true });
    if (info.isDirectory()) {
      yield* walk(this.reference, scope, info);
    } else if (info.isFile()) {
      // A file named on the command line is always scanned: the user asked for it.
      yield fileEntry(this.reference, info, scope, true);
    } else {
      throw new UsageError(`--source ${this.reference}: not a regular file or folder`);
    }
  }
}

/** A folder being walked: its path and sorted entries, as bytes, and how far the walk is. */
interface Frame {
  dir: Buffer;
  entries: Buffer[];
  next: number;
}

async function* walk(top: string, scope: Scope, topInfo: BigIntStats): AsyncGenerator<Listed> {
  const seen = new Set<string>();
  const topBytes = Buffer.from(path.normalize(top));
  const first = await readFolder(topBytes);
  if (!first.ok) throw new UsageError(`--source ${top}: ${first.message}`);
  seen.add(idOf(topInfo, top));
  const stack: Frame[] = [{ dir: topBytes, entries: first.entries, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.entries.length) {
      stack.pop();
      continue;
    }
    const full = joinBytes(frame.dir, frame.entries[frame.next++]!);
    const shown = shownPath(full);
    let info;
    try {
      info = await stat(full, { bigint: true }); // follows links
    } catch (err) {
      // A dangling link is not a log; anything else that cannot be looked at is said.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') yield { type: 'unlistable', reference: shown, message: describeFsError(err) };
      continue;
    }
    if (info.isDirectory()) {
      const verdict = folderVerdict(segmentsOf(shown), scope);
      if (verdict) {
        yield { type: 'skipped', reference: shown + path.sep, reason: verdict, folder: true };
        continue;
      }
      const real = idOf(info, full);
      if (seen.has(real)) continue; // a link back up, or a second way to the same folder
      seen.add(real);
      const folder = await readFolder(full);
      if (!folder.ok) yield { type: 'unlistable', reference: shown, message: folder.message };
      else stack.push({ dir: full, entries: folder.entries, next: 0 });
    } else if (info.isFile()) {
      yield fileEntry(full, info, scope, false);
    }
    // Sockets and FIFOs are not logs and are passed over.
  }
}

async function readFolder(dir: Buffer): Promise<{ ok: true; entries: Buffer[] } | { ok: false; message: string }> {
  try {
    const names: Buffer[] = [];
    // Node gives Buffer names with encoding 'buffer'; @types/node 20 types only string encodings here.
    for await (const entry of await opendir(dir, { encoding: 'buffer' as BufferEncoding })) names.push(entry.name as unknown as Buffer);
    return { ok: true, entries: names.sort(Buffer.compare) };
  } catch (err) {
    return { ok: false, message: describeFsError(err) };
  }
}

const SEP = Buffer.from(path.sep);

/** path.join for a normalised folder and one entry name (never `.`, `..` or holding a separator). */
function joinBytes(dir: Buffer, name: Buffer): Buffer {
  if (dir.length === 1 && dir[0] === 0x2e) return name; // `.`: path.join('.', name) is name
  return dir[dir.length - 1] === SEP[0] ? Buffer.concat([dir, name]) : Buffer.concat([dir, SEP, name]);
}

/**
 * What identifies a file or folder however it was reached (`--source a
 * --source a/x.json.gz`, links, a link back up): its device and inode, as
 * stat gives them after following links. realpath would say the same at a
 * cost that grows with depth (one lstat per component, so a chain 2,000
 * folders deep took minutes).
 */
function idOf(info: BigIntStats, where: Buffer | string): string {
  // A file system without inode numbers (0) falls back to the absolute path (latin1 keeps every byte).
  if (info.ino === 0n) return `path:${path.resolve(typeof where === 'string' ? where : where.toString('latin1'))}`;
  return `file:${info.dev}:${info.ino}`;
}

/**
 * A path as people read it: its UTF-8 text, with every byte that is not part
 * of a valid UTF-8 sequence written `\xHH`. Valid names are shown as they
 * are (a name that really holds the four characters `\xff` looks the same,
 * but is still a file of its own: ids are bytes).
 */
export function shownPath(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    // The longest valid sequence (1–4 bytes) starting here, as the platform's validator sees it.
    let n = 0;
    for (let len = 1; len <= 4 && i + len <= bytes.length; len++) {
      if (isUtf8(bytes.subarray(i, i + len))) {
        n = len;
        break;
      }
    }
    if (n === 0) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += bytes.subarray(i, i + n).toString('utf8');
      i += n;
    }
  }
  return out;
}

function fileEntry(file: Buffer | string, info: BigIntStats, scope: Scope, named: boolean): Listed {
  const reference = typeof file === 'string' ? file : shownPath(file);
  const verdict = fileVerdict(segmentsOf(reference), scope, named);
  if (verdict.type === 'skipped') return { type: 'skipped', reference, reason: verdict.reason, folder: false };
  const ref: ObjectRef = {
    store: 'file',
    reference,
    size: Number(info.size),
    ...(verdict.type === 'object' && verdict.account ? { account: verdict.account } : {}),
    // The shown name is not the file's: open it by its bytes.
    ...(typeof file !== 'string' && !isUtf8(file) ? { pathBytes: file.toString('base64') } : {}),
  };
  return { type: verdict.type, ref, id: idOf(info, file) };
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
  if (code === 'ENAMETOOLONG') return 'path too long for the file system; hunt it with --source nearer to it';
  return (err as Error).message;
}

/** The path a reference names (its bytes, when they are not UTF-8). */
function pathOf(ref: ObjectRef): Buffer | string {
  return ref.pathBytes !== undefined ? Buffer.from(ref.pathBytes, 'base64') : ref.reference;
}

/** O_NONBLOCK: a FIFO or device swapped in for a log must not block the worker forever. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** What an opened file must be before it is read: a regular file within the limit. */
function checkOpened(info: { isFile(): boolean; size: number }, maxBytes: number): void {
  if (!info.isFile()) throw { code: 'unreadable', message: 'not a regular file' } satisfies OpenError;
  if (info.size > maxBytes) throw tooLarge(maxBytes);
}

async function openFile(ref: ObjectRef, maxBytes: number): Promise<Opened> {
  let handle;
  try {
    handle = await open(pathOf(ref), OPEN_FLAGS);
  } catch (err) {
    throw fsOpenError(err);
  }
  try {
    checkOpened(await handle.stat(), maxBytes);
    return { bytes: await handle.readFile(), requests: 0 };
  } catch (err) {
    throw fsOpenError(err);
  } finally {
    await handle.close();
  }
}

/**
 * openFile in one synchronous go, for a scan worker. The worker scans
 * synchronously, so each asynchronous step of the next file's read (open,
 * stat, read, close) waited for the scan before it: the read-ahead read
 * nothing ahead, and the worker sat idle for a chain of thread-pool trips
 * before every object. From the page cache the whole read takes less than one.
 */
function readFileNow(ref: ObjectRef, maxBytes: number): Opened {
  let fd;
  try {
    fd = openSync(pathOf(ref), OPEN_FLAGS);
  } catch (err) {
    throw fsOpenError(err);
  }
  try {
    const info = fstatSync(fd);
    checkOpened(info, maxBytes);
    // One byte more than stat said, so reaching the end costs no second buffer; a file that grew meanwhile is read to its end all the same.
    let bytes = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        if (length > maxBytes) throw tooLarge(maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(bytes.length * 2, maxBytes + 1));
        bytes.copy(grown, 0, 0, length);
        bytes = grown;
      }
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { bytes: bytes.subarray(0, length), requests: 0 };
  } catch (err) {
    throw fsOpenError(err);
  } finally {
    closeSync(fd);
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
    if (settings.mayBlock) return async (ref) => readFileNow(ref, settings.maxObjectBytes);
    return (ref) => openFile(ref, settings.maxObjectBytes);
  },
};
