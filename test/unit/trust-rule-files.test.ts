// A bad rule file is an exit-2 error naming file and line (RuleError), never
// a stack trace or a hang; and a file ending in '---' is not a bad file.

import { describe, expect, it } from 'vitest';
import { RuleError } from '../../src/errors.js';
import { loadFailure, loadFiles, ruleText } from '../helpers/rule-files.js';

describe('rule files that are hostile or odd', () => {
  it('a YAML alias bomb (billion laughs) is refused with file:line', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `${ruleText('bomb', '  sel:\n    eventName: x\n  condition: sel\n')}laughs:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const err = await loadFailure({ 'bomb.yml': text });
    expect(err).toBeInstanceOf(RuleError);
    expect(err.message).toMatch(/^[^\n]*bomb\.yml:\d+: .*alias/);
  });

  it('a condition nested in 3,000 parentheses is refused with file:line', async () => {
    const condition = `${'('.repeat(3000)}sel${')'.repeat(3000)}`;
    const err = await loadFailure({ 'parens.yml': ruleText('parens', `  sel:\n    eventName: x\n  condition: '${condition}'\n`) });
    expect(err.message).toMatch(/parens\.yml:9: .*nest/);
  });

  it('a condition of 20,000 chained not is refused with file:line', async () => {
    const condition = `${'not '.repeat(20_000)}sel`;
    const err = await loadFailure({ 'nots.yml': ruleText('nots', `  sel:\n    eventName: x\n  condition: '${condition}'\n`) });
    expect(err.message).toMatch(/nots\.yml:9: .*nest/);
  });

  it('a condition nested a few levels still loads', async () => {
    const { rules } = await loadFiles({
      'ok.yml': ruleText('ok', `  sel:\n    eventName: x\n  other:\n    eventName: y\n  condition: not not ((sel) or (not (other)))\n`),
    });
    expect(rules.map((r) => r.key)).toEqual(['ok']);
  });

  it("a rule file ending in '---' (an empty last document) loads", async () => {
    const { rules } = await loadFiles({
      'trailing.yml': `${ruleText('first', '  sel:\n    eventName: x\n  condition: sel\n')}---\n${ruleText('second', '  sel:\n    eventName: y\n  condition: sel\n')}---\n`,
    });
    expect(rules.map((r) => r.key)).toEqual(['first', 'second']);
  });
});
