// Sigma `re` runs on a linear-time engine (RE2): no pattern, however written,
// can make one attacker-controlled field hang the hunt; patterns RE2 cannot
// run (backreferences, lookaround) are refused at load with file:line.

import { describe, expect, it } from 'vitest';
import { compileEventRules } from '../../src/rules/compile.js';
import { loadFailure, loadFiles, ruleText } from '../helpers/rule-files.js';

async function matcher(pattern: string, modifiers = 're') {
  const { rules } = await loadFiles({
    'r.yml': ruleText('r', `  sel:\n    userAgent|${modifiers}: '${pattern}'\n  condition: sel\n`),
  });
  const [compiled] = compileEventRules(rules);
  return (userAgent: string) => compiled!.match({ userAgent });
}

describe('re on a linear-time engine', () => {
  const hostile41 = '1'.repeat(40) + '!';
  const hostile10k = 'a'.repeat(10 * 1024 - 1) + '!';
  for (const pattern of ['^(\\w|\\d)+/\\d', '(a|aa)*b', '.*.*.*x']) {
    it(`${pattern} finishes on a 41-character and a 10 KB hostile userAgent`, async () => {
      const m = await matcher(pattern);
      expect(m(hostile41)).toBe(false);
      expect(m('a'.repeat(40) + '!')).toBe(false);
      expect(m(hostile10k)).toBe(false);
      expect(m('y'.repeat(10 * 1024))).toBe(false);
    });
  }

  it("'^aws-cli(/.+)?$' loads and matches aws-cli/2.15.0, not a longer agent", async () => {
    const m = await matcher('^aws-cli(/.+)?$');
    expect(m('aws-cli/2.15.0')).toBe(true);
    expect(m('aws-cli')).toBe(true);
    expect(m('xaws-cli/2.15.0')).toBe(false);
  });

  it('keeps the reading: unanchored, case-sensitive unless re|i; m and s as in Sigma', async () => {
    expect((await matcher('cli/2'))('aws-cli/2.15.0')).toBe(true);
    expect((await matcher('CLI'))('aws-cli/2.15.0')).toBe(false);
    expect((await matcher('CLI', 're|i'))('aws-cli/2.15.0')).toBe(true);
    expect((await matcher('^two$', 're|m'))('one\ntwo')).toBe(true);
    expect((await matcher('^two$'))('one\ntwo')).toBe(false);
    expect((await matcher('one.two', 're|s'))('one\ntwo')).toBe(true);
    expect((await matcher('one.two'))('one\ntwo')).toBe(false);
  });

  it('matches past the first 64 KB and past a lone surrogate (no padding hides a match)', async () => {
    const m = await matcher('needle');
    expect(m('x'.repeat(100_000) + 'needle')).toBe(true);
    expect(m('\ud800 needle')).toBe(true);
    expect(m('needle \udc00')).toBe(true);
  });

  it('a backreference is refused with file:line', async () => {
    const err = await loadFailure({ 'back.yml': ruleText('back', `  sel:\n    userAgent|re: '(a)\\1'\n  condition: sel\n`) });
    expect(err.message).toMatch(/back\.yml:8: /);
    expect(err.message).toMatch(/RE2/);
  });

  it('lookaround is refused with file:line', async () => {
    const err = await loadFailure({ 'look.yml': ruleText('look', `  sel:\n    userAgent|re: 'a(?=b)'\n  condition: sel\n`) });
    expect(err.message).toMatch(/look\.yml:8: /);
  });

  it("an 'x of' pattern with many wildcards matches selection names in linear time", async () => {
    const name = `a${'x'.repeat(60)}`;
    const { rules } = await loadFiles({
      'of.yml': ruleText('of', `  ${name}b:\n    userAgent: x\n  condition: 1 of a${'*'.repeat(40)}b\n`),
    });
    expect(rules.map((r) => r.key)).toEqual(['of']);
    const err = await loadFailure({
      'none.yml': ruleText('none', `  ${name}:\n    userAgent: x\n  condition: 1 of a${'*'.repeat(40)}b\n`),
    });
    expect(err.message).toMatch(/none\.yml:\d+: .*names no selection/);
  });
});

describe('re answers remembered per test', () => {
  // Whatever the order of the values, each answer must be RE2's: for values
  // repeated, for more distinct values than are remembered (1,024, then it
  // starts again), and for values too long to be remembered (over 512
  // characters). Values sharing a long prefix catch answers kept under the
  // wrong text.
  it('gives the same answer as a fresh test for every value, in any order, however many', async () => {
    const m = await matcher('^(python-requests|curl)/[0-9.]+$');
    const fresh = /^(python-requests|curl)\/[0-9.]+$/u;
    const values: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      values.push(i % 3 === 0 ? `curl/${i}` : i % 3 === 1 ? `aws-cli/${i}` : `python-requests/${i % 50}`);
      values.push(i % 7 === 0 ? `curl/${'9'.repeat(600 + i)}` : `curl/${i}x`);
    }
    for (let round = 0; round < 2; round++) {
      for (const v of values) expect(m(v), v.slice(0, 40)).toBe(fresh.test(v));
      values.reverse();
    }
    // A value remembered as a miss stays one; a long one is answered afresh each time.
    expect(m('curl/1x')).toBe(false);
    expect(m('curl/1')).toBe(true);
    expect(m(`curl/${'9'.repeat(1000)}`)).toBe(true);
    expect(m(`curl/${'9'.repeat(1000)}!`)).toBe(false);
  });
});
