// value_count: how many distinct values of `condition.field` a group has in
// the window. Values compare as group values do (case-insensitively: IAM
// user names are unique regardless of case). An event without the field
// holds no value and is left out, as SQL's COUNT(DISTINCT) leaves out NULL.

import { foldedKey } from '../canonical.js';
import type { CorrelationKind, Tracker } from './kind.js';

export const valueCount: CorrelationKind = {
  tracker(rule): Tracker {
    const field = rule.field!;
    const counts = new Map<string, number>();
    return {
      add(o) {
        const k = foldedKey(o.value(field));
        counts.set(k, (counts.get(k) ?? 0) + 1);
      },
      remove(o) {
        const k = foldedKey(o.value(field));
        const n = (counts.get(k) ?? 0) - 1;
        if (n <= 0) counts.delete(k);
        else counts.set(k, n);
      },
      value: () => counts.size,
    };
  },
  reads: (rule) => [rule.field!],
  accepts: (rule, o) => o.value(rule.field!) !== null,
};
