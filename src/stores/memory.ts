// `mem://<name>/` sources: objects held in memory, put there by whoever embeds
// hunt (the tests do). A store in one file: it lists with the shared key
// classifier, and its objects travel to the workers with the store settings.

import { UsageError } from '../errors.js';
import type { Scope } from '../options.js';
import { fileVerdict, folderVerdict } from './cloudtrail-key.js';
import { tooLarge, type Listed, type ObjectRef, type Opened, type Store, type StoreKind, type StoreSettings } from './store.js';

type Bucket = Map<string, Uint8Array>;
const buckets = new Map<string, Bucket>();

/** Puts objects (key → bytes) under `mem://<name>/`, replacing what was there. */
export function putMemoryObjects(name: string, objects: Record<string, Uint8Array>): void {
  buckets.set(name, new Map(Object.entries(objects)));
}

function parse(reference: string): { name: string; prefix: string } {
  const rest = reference.slice('mem://'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { name: rest, prefix: '' } : { name: rest.slice(0, slash), prefix: rest.slice(slash + 1) };
}

class MemoryStore implements Store {
  readonly key = 'mem';
  constructor(
    readonly reference: string,
    private readonly name: string,
    private readonly prefix: string,
    private readonly bucket: Bucket,
  ) {}

  async *list(scope: Scope): AsyncIterable<Listed> {
    const skippedFolders = new Set<string>();
    for (const key of [...this.bucket.keys()].filter((k) => k.startsWith(this.prefix)).sort()) {
      const segments = key.split('/');
      let skipped = false;
      for (let n = 1; n < segments.length && !skipped; n++) {
        const folder = `${segments.slice(0, n).join('/')}/`;
        const verdict = folderVerdict(segments.slice(0, n), scope);
        if (!verdict) continue;
        skipped = true;
        if (!skippedFolders.has(folder)) {
          skippedFolders.add(folder);
          yield { type: 'skipped', reference: `mem://${this.name}/${folder}`, reason: verdict, folder: true };
        }
      }
      if (skipped) continue;
      const reference = `mem://${this.name}/${key}`;
      const verdict = fileVerdict(segments, scope, key === this.prefix);
      if (verdict.type === 'skipped') {
        yield { type: 'skipped', reference, reason: verdict.reason, folder: false };
        continue;
      }
      const ref: ObjectRef = { store: 'mem', reference, size: this.bucket.get(key)!.length };
      if (verdict.type === 'object' && verdict.account) ref.account = verdict.account;
      yield { type: verdict.type, ref, id: reference };
    }
  }
}

export const memoryStore: StoreKind = {
  key: 'mem',
  async connect(reference: string): Promise<Store> {
    const { name, prefix } = parse(reference);
    const bucket = buckets.get(name);
    if (!bucket) throw new UsageError(`--source ${reference}: no in-memory store named ${JSON.stringify(name)}`);
    return new MemoryStore(reference, name, prefix, bucket);
  },
  workerData(): unknown {
    return Object.fromEntries([...buckets].map(([name, bucket]) => [name, Object.fromEntries(bucket)]));
  },
  opener(settings: StoreSettings) {
    const all = (settings.extra?.mem ?? {}) as Record<string, Record<string, Uint8Array>>;
    return async (ref: ObjectRef): Promise<Opened> => {
      const rest = ref.reference.slice('mem://'.length);
      const slash = rest.indexOf('/');
      const bytes = all[rest.slice(0, slash)]?.[rest.slice(slash + 1)];
      if (!bytes) throw { code: 'unreadable', message: 'cannot read: no longer exists' };
      if (bytes.length > settings.maxObjectBytes) throw tooLarge(settings.maxObjectBytes);
      return { bytes, requests: 0 };
    };
  },
};
