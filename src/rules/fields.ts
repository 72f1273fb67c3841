// Reading CloudTrail fields by Sigma's dotted paths. Events are
// attacker-controlled JSON: every lookup is an own-property lookup (never the
// prototype chain, so `__proto__` and `constructor` are plain keys), and every
// walk is bounded in depth so a deeply nested event cannot blow the stack.

/** How deep a path walk or a scalar walk may go into an event. Deeper content is ignored. */
export const MAX_DEPTH = 64;

/** A dotted path split once, at compile time. */
export interface FieldPath {
  readonly path: string;
  readonly parts: readonly string[];
  /** suffixes[i] = parts.slice(i).join('.'): tried as one exact key first (a key that holds dots). */
  readonly suffixes: readonly string[];
}

export function compilePath(path: string): FieldPath {
  const parts = path.split('.');
  const suffixes = parts.map((_, i) => parts.slice(i).join('.'));
  return { path, parts, suffixes };
}

/**
 * Calls `visit` with each value the path leads to, stopping at the first
 * `true`. Arrays met on the way are stepped into element by element; the
 * final value is passed as is (an object or array included). A key that is
 * missing gives no value; a key holding JSON null gives `null`.
 */
export function someFieldValue(
  root: unknown,
  path: FieldPath,
  visit: (value: unknown) => boolean,
): boolean {
  return step(root, path, 0, visit, 0);
}

function step(
  node: unknown,
  path: FieldPath,
  i: number,
  visit: (value: unknown) => boolean,
  depth: number,
): boolean {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (let k = 0; k < node.length; k++) {
      if (step(node[k], path, i, visit, depth + 1)) return true;
    }
    return false;
  }
  const obj = node as Record<string, unknown>;
  const last = path.parts.length - 1;
  if (i < last) {
    const joined = path.suffixes[i]!;
    if (Object.hasOwn(obj, joined)) return visit(obj[joined]);
  }
  const key = path.parts[i]!;
  if (!Object.hasOwn(obj, key)) return false;
  const value = obj[key];
  if (i === last) return visit(value);
  return step(value, path, i + 1, visit, depth + 1);
}

/** Every value a dotted path leads to in an event (see someFieldValue). */
export function fieldValues(event: unknown, path: string | FieldPath): unknown[] {
  const out: unknown[] = [];
  someFieldValue(event, typeof path === 'string' ? compilePath(path) : path, (value) => {
    out.push(value);
    return false;
  });
  return out;
}

/** True when the path leads to at least one key, even one holding null. */
export function fieldExists(event: unknown, path: FieldPath): boolean {
  return someFieldValue(event, path, yes);
}

/** True when the path leads to no value other than JSON null (Sigma's `field: null`). */
export function fieldIsNull(event: unknown, path: FieldPath): boolean {
  return !someFieldValue(event, path, isNotNull);
}

function yes(): boolean {
  return true;
}

function isNotNull(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/**
 * Calls `test` with the text of each scalar in `value`, stopping at the first
 * `true`. Strings are themselves; numbers and booleans are their JSON text
 * (`1`, `false`); nulls have no text. Objects and arrays are searched
 * through their values, never their keys, down to MAX_DEPTH.
 */
export function someScalar(value: unknown, test: (text: string) => boolean, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
      return test(value);
    case 'number':
    case 'boolean':
      return test(String(value));
    case 'object': {
      if (value === null || depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let k = 0; k < value.length; k++) {
          if (someScalar(value[k], test, depth + 1)) return true;
        }
        return false;
      }
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        if (Object.hasOwn(obj, key) && someScalar(obj[key], test, depth + 1)) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

/** The text of every scalar in a value (see someScalar). */
export function scalarsOf(value: unknown): string[] {
  const out: string[] = [];
  someScalar(value, (text) => {
    out.push(text);
    return false;
  });
  return out;
}
