import { describe, expect, it } from 'vitest';
import { compilePath, fieldValues, scalarsOf, someFieldValue, MAX_DEPTH } from '../../src/rules/fields.js';

describe('fieldValues', () => {
  const event = {
    eventName: 'ConsoleLogin',
    additionalEventData: { MFAUsed: 'Yes' },
    userIdentity: { sessionContext: { sessionIssuer: { userName: 'AdminRole' } } },
    requestParameters: { layers: [{ name: 'a' }, { name: 'b' }, { other: 1 }], tags: [[{ k: 'x' }], { k: 'y' }] },
    responseElements: null,
    'dotted.key': 'exact',
  };
  it('reads top-level and nested dotted paths', () => {
    expect(fieldValues(event, 'eventName')).toEqual(['ConsoleLogin']);
    expect(fieldValues(event, 'additionalEventData.MFAUsed')).toEqual(['Yes']);
    expect(fieldValues(event, 'userIdentity.sessionContext.sessionIssuer.userName')).toEqual(['AdminRole']);
  });
  it('steps into arrays element by element, nested arrays included', () => {
    expect(fieldValues(event, 'requestParameters.layers.name')).toEqual(['a', 'b']);
    expect(fieldValues(event, 'requestParameters.tags.k')).toEqual(['x', 'y']);
  });
  it('gives no value for a missing key and null for a JSON null', () => {
    expect(fieldValues(event, 'errorCode')).toEqual([]);
    expect(fieldValues(event, 'responseElements')).toEqual([null]);
    expect(fieldValues(event, 'responseElements.ConsoleLogin')).toEqual([]);
  });
  it('looks up a key that contains dots exactly, before splitting', () => {
    expect(fieldValues(event, 'dotted.key')).toEqual(['exact']);
    expect(fieldValues({ a: { 'b.c': 1, b: { c: 2 } } }, 'a.b.c')).toEqual([1]);
  });
  it('never reads the prototype chain', () => {
    expect(fieldValues({}, 'constructor')).toEqual([]);
    expect(fieldValues({}, 'toString')).toEqual([]);
    expect(fieldValues({}, '__proto__')).toEqual([]);
    expect(fieldValues({ a: {} }, 'a.__proto__.constructor')).toEqual([]);
  });
  it('reads an own __proto__ key as a plain key (as JSON.parse makes it)', () => {
    const parsed = JSON.parse('{"__proto__": {"x": "evil"}}') as Record<string, unknown>;
    expect(fieldValues(parsed, '__proto__.x')).toEqual(['evil']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
  it('stops at MAX_DEPTH instead of overflowing the stack on deep nesting', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(fieldValues({ a: deep }, 'a.b')).toEqual([]);
    const path = Array.from({ length: MAX_DEPTH + 10 }, () => 'a').join('.');
    let nested: unknown = 'v';
    for (let i = 0; i < MAX_DEPTH + 10; i++) nested = { a: nested };
    expect(fieldValues(nested, path)).toEqual([]);
  });
  it('stops at the first value the visitor accepts', () => {
    const seen: unknown[] = [];
    someFieldValue(event, compilePath('requestParameters.layers.name'), (v) => {
      seen.push(v);
      return true;
    });
    expect(seen).toEqual(['a']);
  });
});

describe('scalarsOf', () => {
  it('gives strings as themselves, numbers and booleans as JSON text, and skips nulls', () => {
    expect(scalarsOf('x')).toEqual(['x']);
    expect(scalarsOf(1)).toEqual(['1']);
    expect(scalarsOf(1.5)).toEqual(['1.5']);
    expect(scalarsOf(false)).toEqual(['false']);
    expect(scalarsOf(null)).toEqual([]);
  });
  it('collects the values of objects and arrays, never their keys', () => {
    expect(scalarsOf({ key: 'value', n: [1, { deep: true }] })).toEqual(['value', '1', 'true']);
    expect(scalarsOf({})).toEqual([]);
    expect(scalarsOf([])).toEqual([]);
  });
  it('ignores content deeper than MAX_DEPTH', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { k: deep };
    expect(scalarsOf(deep)).toEqual([]);
  });
});
