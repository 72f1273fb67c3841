// The record-level prefilter never changes what a hunt finds: the same
// candidates with it on and off, over fuzzed events written the way an
// attacker or an odd serialiser could write them.

import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import type { DetectionRule, Rule } from '../../src/rules/types.js';
import { resolveOptions, type Scope as EventFilter } from '../../src/options.js';
import { Prefilter } from '../../src/scan/prefilter.js';
import { Scanner, type ScanResult } from '../../src/scan/scanner.js';
import { deactivate, event, mfaFailure } from '../helpers/events.js';
import { detectionRule } from '../helpers/rules.js';

const ALL: EventFilter = { sinceMs: -Infinity, untilMs: Infinity, accounts: [], regions: [] };

const extra = (key: string, detection: string): DetectionRule => detectionRule(key, detection);

let rules: Rule[];
let on: Scanner;
let off: Scanner;
beforeAll(async () => {
  rules = [
    ...(await loadRules([bundledRulesDir()])).rules,
    extra('mfa-anything', "sel: {eventName|contains: '*MFADevice'}\ncondition: sel"),
    extra('boto', "sel: {userAgent|contains: 'Boto3/'}\nnot_root: {userIdentity.type: Root}\ncondition: sel and not not_root"),
  ];
  on = new Scanner(rules, ALL, { prefilter: true });
  off = new Scanner(rules, ALL, { prefilter: false });
});

/** What a scan found, independent of the stats. */
function found(r: ScanResult): unknown {
  if (!r.ok) return { failed: r.error.code };
  return r.candidates.map((c) => ({ rules: c.rules, id: c.event.eventID, fields: c.event.fields }));
}

// ------------------------------------------------------------ serialiser --

interface Style {
  /** Escape this share of characters in strings as \uXXXX. */
  escape: number;
  slash: boolean;
  spaces: boolean;
}

/** JSON text with optional \u escapes, \/ and whitespace: what JSON.stringify never writes but JSON allows. */
function write(v: unknown, s: Style, rnd: () => number): string {
  const ws = (): string => (s.spaces && rnd() < 0.3 ? [' ', '\n', '\t', '\r\n '][Math.floor(rnd() * 4)]! : '');
  if (typeof v === 'string') {
    let out = '"';
    for (const ch of v) {
      const code = ch.codePointAt(0)!;
      if (code > 0xffff) out += ch;
      else if (rnd() < s.escape) out += `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
      else if (ch === '/' && s.slash) out += '\\/';
      else out += JSON.stringify(ch).slice(1, -1);
    }
    return `${out}"`;
  }
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x, s, rnd)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    const parts = Object.entries(v).map(([k, x]) => `${ws()}${write(k, s, rnd)}${ws()}:${ws()}${write(x, s, rnd)}`);
    return `{${parts.join(',')}${ws()}}`;
  }
  return JSON.stringify(v);
}

const caseOf = (text: string, mask: number): string =>
  [...text].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');

// ---------------------------------------------------------------- events --

const arbValue = fc.oneof(
  fc.string(),
  fc.constantFrom('Yes', 'YES', 'yes', 'No', 'Failure', 'Success', 'ConsoleLogin', 'İd', '\u212Aelvin', 'DeleteUser', 'a/b', 'Boto3/1.34'),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

const arbEvent = fc
  .record({
    kind: fc.constantFrom('failure', 'success', 'deactivate', 'enable', 'createUser', 'noise', 'root'),
    nameCase: fc.integer({ min: 0, max: 2 ** 30 }),
    mfa: fc.constantFrom('Yes', 'YES', 'yes', 'No', undefined),
    errorCode: fc.boolean(),
    nested: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(arbValue, fc.array(arbValue, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), arbValue, { maxKeys: 3 })), { maxKeys: 4 }),
    agent: fc.constantFrom('aws-cli/2.15', 'Boto3/1.34.1 md/Botocore', 'BOTO3/1.0', 'console.amazonaws.com'),
    shuffle: fc.boolean(),
  })
  .map((o) => {
    const name = (n: string) => caseOf(n, o.nameCase);
    let e: Record<string, unknown>;
    switch (o.kind) {
      case 'failure':
        e = mfaFailure({ eventName: name('ConsoleLogin'), additionalEventData: { MFAUsed: o.mfa } });
        break;
      case 'success':
        e = mfaFailure({ eventName: name('ConsoleLogin'), responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: o.mfa } });
        break;
      case 'root':
        e = mfaFailure({ userIdentity: { type: 'Root' }, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: {} });
        break;
      case 'deactivate':
        e = deactivate({ eventName: name('DeactivateMFADevice') });
        break;
      case 'enable':
        e = event({ eventName: name('EnableMFADevice'), requestParameters: { userName: 'bob', serialNumber: 'arn:aws:iam::111122223333:mfa/bob' } });
        break;
      case 'createUser':
        e = event({ eventName: name('CreateUser'), requestParameters: { userName: 'mallory' } });
        break;
      default:
        e = event({ eventName: name('ListMFADevices'), eventSource: 's3.amazonaws.com' });
    }
    if (o.errorCode) e.errorCode = 'AccessDenied';
    e.userAgent = o.agent;
    e.requestParameters = { ...(e.requestParameters as object), ...o.nested };
    if (o.shuffle) {
      // eventVersion not first: the layout check must send the object to the full parse.
      const { eventVersion, ...rest } = e;
      e = { ...rest, eventVersion };
    }
    return e;
  });

const arbObject = fc.record({
  events: fc.array(arbEvent, { minLength: 0, maxLength: 12 }),
  escape: fc.constantFrom(0, 0, 0, 0.02, 0.3),
  slash: fc.boolean(),
  spaces: fc.constantFrom(false, false, false, true),
  seed: fc.integer(),
  gzip: fc.constantFrom(true, true, true, false),
});

describe('the prefilter never changes the candidates', () => {
  it('over fuzzed objects (escapes, case variants, nested values, odd whitespace)', () => {
    fc.assert(
      fc.property(arbObject, (o) => {
        let x = o.seed >>> 0;
        const rnd = (): number => {
          x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
          return x / 4294967296;
        };
        const text = write({ Records: o.events }, { escape: o.escape, slash: o.slash, spaces: o.spaces }, rnd);
        const bytes = o.gzip ? gzipSync(text) : Buffer.from(text);
        expect(found(on.scan(bytes, 'x'))).toEqual(found(off.scan(bytes, 'x')));
      }),
      { numRuns: 800 },
    );
  });

  it('over compact CloudTrail-style objects, where the fast path runs', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 20 }), (events) => {
        const bytes = gzipSync(`{"Records":[${events.map((e) => JSON.stringify(e)).join(',')}]}`);
        expect(found(on.scan(bytes, 'x'))).toEqual(found(off.scan(bytes, 'x')));
      }),
      { numRuns: 800 },
    );
  });
});

describe('the fast path', () => {
  const compact = (records: unknown[]) => gzipSync(`{"Records":[${records.map((r) => JSON.stringify(r)).join(',')}]}`);
  const noise = () => event({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' });

  it('parses only the records that hold a needle, and counts every record', () => {
    const r = on.scan(compact([noise(), mfaFailure(), noise(), noise()]), 'x');
    expect(r.ok && r.stats).toMatchObject({ records: 4, events: 1 });
    const full = off.scan(compact([noise(), mfaFailure(), noise(), noise()]), 'x');
    expect(full.ok && full.stats).toMatchObject({ records: 4, events: 4 });
  });

  it('parses a record whose needle hides behind a \\u escape', () => {
    const text = `{"Records":[${JSON.stringify(noise())},${JSON.stringify(mfaFailure()).replace('"ConsoleLogin"', '"\\u0043onsoleLogin"')}]}`;
    const r = on.scan(gzipSync(text), 'x');
    expect(r.ok && r.candidates.map((c) => c.event.eventName)).toEqual(['ConsoleLogin']);
  });

  it('does not take an event forged inside a record (a list of maps) for a record of its own', () => {
    // A caller-chosen list of maps in requestParameters can carry `,{"eventVersion":` inside a real record.
    const forged = mfaFailure({ eventID: 'forged' });
    const carrier = noise();
    carrier.requestParameters = { items: [{ a: 1 }, forged, { eventVersion: 'tail' }] };
    for (const records of [[noise(), carrier, noise()], [carrier], [noise(), carrier]]) {
      const bytes = compact(records);
      const fast = on.scan(bytes, 'x');
      const slow = off.scan(bytes, 'x');
      expect(fast.ok && fast.candidates).toEqual([]);
      expect(found(fast)).toEqual(found(slow));
    }
  });

  it('does not take an event in a list after Records for a record, at any 16-byte alignment', () => {
    // `{"Records":[…],"x":[{…},{"eventVersion":…}]}` is valid JSON: the forged map
    // sits at depth 0 again, but only after the depth went below 0 (Records closed).
    for (let pad = 0; pad < 20; pad++) {
      const carrier = event({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userAgent: 'a'.repeat(pad) });
      const text = `{"Records":[${JSON.stringify(carrier)}],"x":[{"a":1},${JSON.stringify(mfaFailure({ eventID: 'forged' }))}]}`;
      const fast = on.scan(gzipSync(text), 'x');
      expect(fast.ok && fast.candidates).toEqual([]);
      expect(found(fast)).toEqual(found(off.scan(gzipSync(text), 'x')));
    }
  });

  it('a plain (not gzip) object is always parsed whole', () => {
    const r = on.scan(Buffer.from(`{"Records":[${JSON.stringify(noise())},${JSON.stringify(noise())}]}`), 'x');
    expect(r.ok && r.stats).toMatchObject({ records: 2, events: 2 });
  });

  it('a gzip of invalid JSON still fails when a cut-out record does not parse', () => {
    const text = `{"Records":[${JSON.stringify(noise())},${JSON.stringify(mfaFailure()).slice(0, -1)}]}`;
    const r = on.scan(gzipSync(text), 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('not-json');
  });

  it('an empty Records list is fine', () => {
    const r = on.scan(gzipSync('{"Records":[]}'), 'x');
    expect(r.ok && r.stats).toMatchObject({ records: 0, events: 0 });
  });

  it('HUNT_PREFILTER=off turns it off, through the options', () => {
    const env = { stdoutIsTTY: false, stderrIsTTY: false, noColor: true, nowMs: 0 };
    const off = resolveOptions({ source: ['x'] }, { ...env, prefilter: 'off' });
    expect(off.prefilter).toBe(false);
    expect(new Scanner(rules, ALL, { prefilter: off.prefilter }).prefilter).toBeUndefined();
    expect(resolveOptions({ source: ['x'] }, env).prefilter).toBe(true);
    expect(new Scanner(rules, ALL, { prefilter: true }).prefilter).toBeDefined();
  });

  it('a rule without a usable literal turns it off', () => {
    const s = new Scanner([...rules, extra('re', "sel: {userAgent|re: '^curl/'}\ncondition: sel")], ALL, { prefilter: true });
    expect(s.prefilter).toBeUndefined();
  });
});

describe('Prefilter.select', () => {
  const pf = new Prefilter(['consolelogin']);
  const p = { select: (text: string) => pf.select(Buffer.from(text)) };
  const rec = (body: string) => `{"eventVersion":"1.08",${body}}`;
  it('cuts out each record holding a needle once, ignoring ASCII case', () => {
    const text = `{"Records":[${rec('"a":"x"')},${rec('"eventName":"CONSOLELOGIN","b":"consolelogin"')},${rec('"a":"y"')}]}`;
    expect(p.select(text)).toEqual({ records: 3, pieces: [rec('"eventName":"CONSOLELOGIN","b":"consolelogin"')] });
  });
  it('takes every record with \\u, \\/, İ or the Kelvin sign', () => {
    const odd = [rec('"a":"\\u0041"'), rec('"a":"x\\/y"'), rec('"a":"İ"'), rec('"a":"\u212A"')];
    const text = `{"Records":[${rec('"a":"x"')},${odd.join(',')}]}`;
    expect(p.select(text)?.pieces).toEqual(odd);
  });
  it('gives up (null) on any other layout', () => {
    expect(p.select('{"Records": []}')).toBeNull();
    expect(p.select(`{"Records":[{"eventTime":"x"}]}`)).toBeNull();
    expect(p.select(`{"Records":[${rec('"a":1')}, ${rec('"a":2')}]}`)).toBeNull();
    expect(p.select(`{"Records":[${rec('"a":[{"eventVersion":1}]')}]}`)).toBeNull();
    expect(p.select(`{"Records":[${rec('"a":1')}]`)).toBeNull();
    expect(p.select(`[${rec('"a":1')}]`)).toBeNull();
  });
  it('allows whitespace around the object', () => {
    expect(p.select(` \n{"Records":[${rec('"a":"ConsoleLogin"')}]}\n`)?.records).toBe(1);
  });
});
