import { describe, expect, it } from 'vitest';
import { forTerminal, jsonLine } from '../../src/output/sanitize.js';

const hostile = 'bob\x1b]0;pwned\x07\x1b[2J\rroot\u009b31m\u202egnp.exe\n';

describe('forTerminal', () => {
  it('leaves no raw control, C1 or bidi character', () => {
    const out = forTerminal(hostile);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toBe('bob\\x1b]0;pwned\\x07\\x1b[2J\\x0droot\\x9b31m\\u202egnp.exe\\x0a');
  });

  it('keeps ordinary unicode', () => {
    expect(forTerminal('José 東京 🚀')).toBe('José 東京 🚀');
  });
});

describe('jsonLine', () => {
  it('stays the same JSON value with every dangerous character escaped', () => {
    const line = jsonLine({ userName: hostile });
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(line)).toEqual({ userName: hostile });
  });
});
