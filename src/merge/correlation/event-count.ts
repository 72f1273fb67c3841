// event_count: how many events of the named rules a group has in the window.

import type { CorrelationKind, Tracker } from './kind.js';

export const eventCount: CorrelationKind = {
  tracker(): Tracker {
    let n = 0;
    return {
      add: () => void n++,
      remove: () => void n--,
      value: () => n,
    };
  },
  reads: () => [],
};

