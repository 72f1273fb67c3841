// Files and folders on disk. Folders are walked recursively in name order;
// inside the CloudTrail layout, folders and files that cannot hold events of
// the scope are left out without being opened.

import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  isLogFileName,
  isManifestName,
  isNonLogService,
  isOtherServiceFolder,
  mayHoldEvents,
  placeOf,
  type Scope,
} from './cloudtrail-key.js';
import type { Listed, SkipReason, Source } from './source.js';

const CREDENTIAL_REPORT = /credential[-_]?report.*\.csv$/i;

const SKIP_BY_SERVICE: Record<string, SkipReason> = {
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
  'CloudTrail-Aggregated': 'aggregated',
};

export class LocalSource implements Source {
  private constructor(readonly reference: string) {}

  /** Checks that the path exists and can be read, so a typo is a usage error before any work starts. */
  static async open(reference: string): Promise<LocalSource> {
    let info;
    try {
      info = await stat(reference);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`--source ${reference}: no such file or folder; check the path`);
      if (code === 'EACCES') throw new UsageError(`--source ${reference}: permission denied; check its permissions`);
      throw new UsageError(`--source ${reference}: ${(err as Error).message}`);
    }
    if (!info.isFile() && !info.isDirectory()) {
      throw new UsageError(`--source ${reference}: not a regular file or folder`);
    }
    return new LocalSource(reference);
  }

  async *list(scope: Scope): AsyncIterable<Listed> {
    const info = await stat(this.reference);
    if (info.isDirectory()) {
      yield* this.walk(this.reference, scope, true);
    } else if (!info.isFile()) {
      throw new UsageError(`--source ${this.reference}: not a regular file or folder`);
    } else {
      // A file named on the command line is always scanned: the user asked for it.
      yield* this.file(this.reference, info.size, scope, true);
    }
  }

  private async *walk(dir: string, scope: Scope, top: boolean): AsyncGenerator<Listed> {
    let names: { name: string; isDir: boolean; isFile: boolean }[];
    try {
      const handle = await opendir(dir);
      names = [];
      for await (const entry of handle) {
        names.push({ name: entry.name, isDir: entry.isDirectory(), isFile: entry.isFile() });
      }
    } catch (err) {
      if (top) throw new UsageError(`--source ${dir}: ${describeFsError(err)}`);
      yield { type: 'unlistable', reference: dir, message: describeFsError(err) };
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const full = path.join(dir, entry.name);
      if (entry.isDir) {
        const segments = segmentsOf(full);
        const place = placeOf(segments, false);
        if (isOtherServiceFolder(segments)) {
          yield { type: 'skipped', reference: full + path.sep, reason: 'other-service', folder: true };
        } else if (place && isNonLogService(place)) {
          yield { type: 'skipped', reference: full + path.sep, reason: SKIP_BY_SERVICE[place.service]!, folder: true };
        } else if (place && !mayHoldEvents(place, scope)) {
          yield { type: 'skipped', reference: full + path.sep, reason: 'out-of-scope', folder: true };
        } else {
          yield* this.walk(full, scope, false);
        }
      } else if (entry.isFile) {
        let size: number;
        try {
          size = (await stat(full)).size;
        } catch (err) {
          yield { type: 'unlistable', reference: full, message: describeFsError(err) };
          continue;
        }
        yield* this.file(full, size, scope, false);
      }
      // Sockets, FIFOs and dangling links are not logs and are passed over silently.
    }
  }

  private *file(file: string, size: number, scope: Scope, named: boolean): Generator<Listed> {
    const name = path.basename(file);
    if (CREDENTIAL_REPORT.test(name)) {
      yield { type: 'credential-report', reference: file, path: file };
      return;
    }
    const place = placeOf(segmentsOf(file), true);
    if (!named) {
      if (place && isNonLogService(place)) {
        yield { type: 'skipped', reference: file, reason: SKIP_BY_SERVICE[place.service]!, folder: false };
        return;
      }
      if (!isLogFileName(name) || isManifestName(name)) {
        yield { type: 'skipped', reference: file, reason: 'not-a-log', folder: false };
        return;
      }
      if (place && !mayHoldEvents(place, scope)) {
        yield { type: 'skipped', reference: file, reason: 'out-of-scope', folder: false };
        return;
      }
    }
    yield { type: 'object', ref: { kind: 'file', path: file, size } };
  }
}

function segmentsOf(p: string): string[] {
  return path.resolve(p).split(path.sep).filter(Boolean);
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; check its permissions';
  if (code === 'ENOENT') return 'no such file or folder (removed while the hunt ran?)';
  if (code === 'ENOTDIR') return 'not a folder';
  return (err as Error).message;
}
