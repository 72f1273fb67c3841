// Needles of very long selections: built in near-linear time, and without
// spreading long lists into calls (which overflows the stack past ~120,000).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectionNeedles, needlesOf } from '../../src/rules/needles.js';
import type { DetectionRule } from '../../src/rules/types.js';
import { detectionRule } from '../helpers/rules.js';

const rule = (detection: Record<string, unknown>): DetectionRule => detectionRule('long', detection);

describe('needles of long selections', () => {
  it('40,000 values: every value that contains no other is a needle, the rest are dropped', () => {
    const plain = Array.from({ length: 40_000 }, (_, i) => `Call${i}Event`);
    // Values holding a shorter value: the shorter needle finds them too.
    const wider = Array.from({ length: 2_000 }, (_, i) => `Big${plain[i * 7]}`);
    const needles = detectionNeedles({ sel: { eventName: [...wider, ...plain] }, condition: 'sel' });
    const expected = plain.map((v) => v.toLowerCase()).sort();
    expect(needles).toEqual(expected);
  });

  it('a needle equal to another value only once, and a prefix of others, keeps only the prefix', () => {
    const values = ['AssumeRole', 'assumerole', 'AssumeRoleWithSAML', 'GetUser', 'GetUserPolicy', 'ListUsers'];
    expect(detectionNeedles({ sel: { eventName: values }, condition: 'sel' })).toEqual(['assumerole', 'getuser', 'listusers']);
  });

  it('agrees with comparing every pair, on small random sets over a small alphabet', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 4, maxLength: 9 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), (values) => {
        const unique = [...new Set(values)];
        const pairwise = unique.filter((n) => !unique.some((m) => m !== n && n.includes(m))).sort();
        expect(detectionNeedles({ sel: { eventName: values }, condition: 'sel' })).toEqual(pairwise);
      }),
      { numRuns: 300 },
    );
  });

  it('140,000 values in one rule and across rules do not overflow', () => {
    const values = Array.from({ length: 140_000 }, (_, i) => `Name${i}Call`);
    const one = needlesOf([rule({ sel: { eventName: values }, condition: 'sel' })]);
    expect(one?.length).toBe(140_000);
    const many = needlesOf([
      rule({ a: { eventName: values }, b: { eventName: values.map((v) => `${v}Other`) }, condition: '1 of them' }),
    ]);
    expect(many?.length).toBe(140_000);
  }, 60_000); // a few seconds on a loaded 2-core machine: the point is that it does not overflow
});
