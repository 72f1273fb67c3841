import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../src/output/sanitize.js';
import { displayWidth, fitEnd, fitStart, fitsIn } from '../../src/output/width.js';

describe('displayWidth', () => {
  it('counts terminal columns: CJK and emoji two, combining marks none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('counts the escapes forTerminal writes as the columns they print', () => {
    expect(displayWidth(forTerminal('\u001b'))).toBe(4);
    expect(displayWidth(forTerminal('\u202e'))).toBe(6);
  });
});

describe('fitEnd', () => {
  it('keeps text that fits, and cuts the rest to the width with …', () => {
    expect(fitEnd('maria.garcia', 12)).toBe('maria.garcia');
    expect(fitEnd('maria.garcia', 8)).toBe('maria.g…');
    expect(fitEnd('東京東京', 5)).toBe('東京…');
    expect(displayWidth(fitEnd('東京東京', 4))).toBe(3); // a wide character never half-shown
    expect(fitEnd('東京東京', 4)).toBe('東…');
    expect(fitEnd('abc', 0)).toBe('');
  });

  it('never splits a grapheme cluster', () => {
    expect(fitEnd('👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 3)).toBe('👩‍👩‍👧‍👦…');
  });
});

describe('fitStart', () => {
  it('keeps the end of text that does not fit', () => {
    expect(fitStart('assumed-role/PlatformAdmin/ops.kim', 10)).toBe('…n/ops.kim');
    expect(fitStart('東京都', 5)).toBe('…京都');
    expect(fitStart('short', 10)).toBe('short');
  });
});

describe('cost', () => {
  it('fits 20,000 CJK characters without reading past the columns kept', () => {
    const huge = '漢'.repeat(20_000);
    for (let i = 0; i < 1000; i++) {
      expect(fitEnd(huge, 40)).toHaveLength(20);
      expect(fitsIn(huge, 40)).toBe(false);
      expect(fitStart(huge, 40)).toHaveLength(20);
    }
  });
});
