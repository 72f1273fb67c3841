// Total orders for the merge stage. Workers interleave, so every choice the
// merge makes (which copy of an event represents it, which event comes first)
// must depend on the data only, never on arrival order.
//
// Values here come from logs, and logs are attacker-controlled: a field can
// be an array nested 100,000 levels deep (JSON.parse accepts it). Nothing in
// this file recurses, so no such value can overflow the stack.

import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return serialize(value, false);
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
 * level (object keys are not values and keep their case), and the type stays
 * part of the key, so `"1"` and `1` stay apart. Missing (undefined) and JSON
 * null are the same key.
 */
export function foldedKey(value: unknown): string {
  // A string, the usual group value, is what serialize writes for it, without its stack.
  if (typeof value === 'string') return JSON.stringify(value.toLowerCase());
  return serialize(value ?? null, true);
}

/** sha-256 (hex) of the canonical JSON: equal content, equal digest, whatever the key order. */
export function contentDigest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** A container being written: its remaining entries and what closes it. */
type Frame =
  | { kind: 'array'; items: readonly unknown[]; next: number }
  | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; next: number };

/**
 * JSON.stringify's output for JSON data (undefined, functions and symbols are
 * left out of objects and are null in arrays; non-finite numbers are null),
 * with sorted keys, written with an explicit stack instead of recursion.
 */
function serialize(root: unknown, lower: boolean): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  // Writes a value that is not a container, or opens a container; false when
  // the value has no JSON form (only possible for object members).
  const write = (value: unknown): boolean => {
    switch (typeof value) {
      case 'string':
        out.push(JSON.stringify(lower ? value.toLowerCase() : value));
        return true;
      case 'number':
        out.push(Number.isFinite(value) ? String(value) : 'null');
        return true;
      case 'boolean':
        out.push(value ? 'true' : 'false');
        return true;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object':
        if (value === null) {
          out.push('null');
        } else if (Array.isArray(value)) {
          out.push('[');
          stack.push({ kind: 'array', items: value, next: 0 });
        } else {
          out.push('{');
          const obj = value as Record<string, unknown>;
          stack.push({ kind: 'object', obj, keys: Object.keys(obj).sort(compareText), next: 0 });
        }
        return true;
      default:
        return false; // undefined, function, symbol
    }
  };
  if (!write(root)) return 'null';
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.kind === 'array') {
      if (top.next === top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.next > 0) out.push(',');
      if (!write(top.items[top.next++])) out.push('null');
    } else {
      if (top.next === top.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const key = top.keys[top.next++]!;
      const value = top.obj[key];
      const t = typeof value;
      if (value === undefined || t === 'function' || t === 'symbol') continue;
      // The comma goes before every written member but the first.
      if (out[out.length - 1] !== '{') out.push(',');
      out.push(JSON.stringify(key), ':');
      write(value);
    }
  }
  return out.join('');
}

/** Deeper than this, a field value copied into a candidate is replaced by a marker. */
export const MAX_VALUE_DEPTH = 32;
/** Larger than this (JSON text, in UTF-16 code units), a field value copied into a candidate is replaced by a marker. */
export const MAX_VALUE_BYTES = 64 * 1024;

/**
 * A field value as it may travel in a candidate. Values nested deeper than
 * MAX_VALUE_DEPTH levels or longer than MAX_VALUE_BYTES of JSON are no real
 * CloudTrail field: they are replaced by a string that says so and carries
 * the first 16 hex digits of the value's sha-256, so that two different such
 * values stay two values (two groups, two users):
 *
 *     [hunt: value omitted: nested deeper than 32 levels; sha256 0123456789abcdef]
 *     [hunt: value omitted: over 65536 bytes of JSON; sha256 0123456789abcdef]
 *
 * Other values are returned as they are. The walk is iterative and stops at
 * the first limit it passes, so a value 100,000 levels deep costs only the
 * digest of its text.
 */
export function boundValue(value: unknown, limits: { depth: number; bytes: number } = { depth: MAX_VALUE_DEPTH, bytes: MAX_VALUE_BYTES }): unknown {
  const MAX_VALUE_DEPTH = limits.depth;
  const MAX_VALUE_BYTES = limits.bytes;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length + 2 > MAX_VALUE_BYTES) return omitted(value, `over ${MAX_VALUE_BYTES} bytes of JSON`);
    return value;
  }
  // Depth-first over (value, depth); the size is JSON's text length, estimated
  // from below (strings without their escapes), which is all a bound needs.
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let size = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') size += v.length + 2;
    else if (v === null || typeof v !== 'object') size += String(v).length;
    else {
      if (depth > MAX_VALUE_DEPTH) return omitted(value, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
      // Count the container's own punctuation before queueing its entries, so
      // a list of a million items stops here rather than after a million pushes.
      const keys = Array.isArray(v) ? null : Object.keys(v);
      size += 2 + (keys ? keys.reduce((n, k) => n + k.length + 4, 0) : (v as unknown[]).length);
      if (size > MAX_VALUE_BYTES) return omitted(value, `over ${MAX_VALUE_BYTES} bytes of JSON`);
      if (keys === null) {
        const items = v as unknown[];
        for (let i = items.length - 1; i >= 0; i--) stack.push({ v: items[i], depth: depth + 1 });
      } else {
        for (const k of keys) stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1 });
      }
    }
    if (size > MAX_VALUE_BYTES) return omitted(value, `over ${MAX_VALUE_BYTES} bytes of JSON`);
  }
  return value;
}

function omitted(value: unknown, why: string): string {
  return `[hunt: value omitted: ${why}; sha256 ${contentDigest(value).slice(0, 16)}]`;
}
