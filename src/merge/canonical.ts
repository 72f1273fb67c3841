// Total orders for the merge stage. Workers interleave, so every choice the
// merge makes (which copy of an event represents it, which event comes first)
// must depend on the data only, never on arrival order.

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareText)) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

/** Code-unit order: the same on every machine and locale (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Null first, then strings in code-unit order. */
export function compareNullableText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareText(a, b);
}

/**
 * The key two values share when they compare equal case-insensitively (as
 * Sigma compares, and as IAM names compare): strings are lower-cased at every
 * level, and the type stays part of the key, so `"1"` and `1` stay apart.
 * Missing (undefined) and JSON null are the same key.
 */
export function foldedKey(value: unknown): string {
  return canonicalJson(fold(value ?? null));
}

function fold(value: unknown): unknown {
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return value.map(fold);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fold(v);
    return out;
  }
  return value;
}
