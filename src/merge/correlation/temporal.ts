// temporal: how many of the named rules a group has an occurrence of in the
// window, in any order. Without a condition every rule must occur.

import type { CorrelationKind, Tracker } from './kind.js';

export const temporal: CorrelationKind = {
  tracker(rule): Tracker {
    const counts = new Map<string, number>();
    const step = (rules: string[], by: number): void => {
      for (const r of rules) {
        const n = (counts.get(r) ?? 0) + by;
        if (n <= 0) counts.delete(r);
        else counts.set(r, n);
      }
    };
    return {
      add: (o) => step(o.rules, 1),
      remove: (o) => step(o.rules, -1),
      value: () => rule.rules.filter((r) => counts.has(r)).length,
    };
  },
  reads: () => [],
};
