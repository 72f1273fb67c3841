// Shared by the engine tests: the rules under test and a DuckDB engine.
import { fileURLToPath } from 'node:url';
import { bundledRulesDir, loadRules } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/types.js';

export const modifierRulesDir = fileURLToPath(new URL('./rules', import.meta.url));

export async function bundledRules(): Promise<Rule[]> {
  return (await loadRules([bundledRulesDir()])).rules;
}

export async function modifierRules(): Promise<Rule[]> {
  return (await loadRules([modifierRulesDir])).rules;
}
