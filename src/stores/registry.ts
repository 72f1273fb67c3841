// The stores hunt knows, by URL scheme. Adding a store is one file that
// implements StoreKind and one line here. Each is loaded only when a source
// or a reference names it, so a local hunt never loads the AWS SDK.

import type { AwsSettings } from '../aws.js';
import { UsageError } from '../errors.js';
import { MAX_OBJECT_BYTES, type Store, type StoreKind, type StoreSettings } from './store.js';

const STORES: Record<string, () => Promise<StoreKind>> = {
  file: async () => (await import('./local.js')).localStore,
  s3: async () => (await import('./s3.js')).s3Store,
  mem: async () => (await import('./memory.js')).memoryStore,
};

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The registry key of a source: its URL scheme, or `file` for a path. */
export function storeKeyOf(source: string): string {
  const m = SCHEME.exec(source);
  return m ? m[1]!.toLowerCase() : 'file';
}

export async function storeKind(key: string): Promise<StoreKind> {
  const load = Object.hasOwn(STORES, key) ? STORES[key] : undefined;
  if (!load) {
    const known = Object.keys(STORES).filter((k) => k !== 'file').map((k) => `${k}://`);
    throw new UsageError(`--source ${key}://…: hunt cannot read ${key}:// sources; give a folder, a file or one of ${known.join(', ')}`);
  }
  return load();
}

/** Connects every source (in parallel), so a typo or a missing permission stops the hunt before any work. */
export async function connectStores(sources: readonly string[], aws: AwsSettings): Promise<Store[]> {
  const settings: StoreSettings = { aws, maxObjectBytes: MAX_OBJECT_BYTES };
  return Promise.all(sources.map(async (source) => (await storeKind(storeKeyOf(source))).connect(source, settings)));
}

/** What the workers need to open objects of these stores. */
export async function storeSettings(aws: AwsSettings, stores: readonly Store[]): Promise<StoreSettings> {
  const extra: Record<string, unknown> = {};
  for (const key of new Set(stores.map((s) => s.key))) {
    const data = (await storeKind(key)).workerData?.();
    if (data !== undefined) extra[key] = data;
  }
  return { aws, maxObjectBytes: MAX_OBJECT_BYTES, extra };
}
