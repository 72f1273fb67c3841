// temporal_ordered: how many of the named rules occur in the window in the
// order they are listed — the length of the longest prefix of `rules` found
// as a subsequence of the window, in (eventTime, eventID) order. Without a
// condition every rule must occur, in order. The hit starts at the first
// occurrence of the first rule: what came before it is no part of the story.

import type { CorrelationKind, Occurrence, Tracker } from './kind.js';

function orderedPrefix(rules: string[], window: readonly Occurrence[], from: number): number {
  let next = 0;
  for (let i = from; i < window.length && next < rules.length; i++) {
    if (window[i]!.rules.includes(rules[next]!)) next++;
  }
  return next;
}

export const temporalOrdered: CorrelationKind = {
  tracker(rule): Tracker {
    let window: Occurrence[] = [];
    let head = 0;
    return {
      add: (o) => void window.push(o),
      remove: () => {
        // Drop what left the window once it is most of the list, so memory stays bounded by the window.
        if (++head > 1024 && head * 2 > window.length) {
          window = window.slice(head);
          head = 0;
        }
      },
      value: () => orderedPrefix(rule.rules, window, head),
    };
  },
  reads: () => [],
  trim(rule, window) {
    const first = window.findIndex((o) => o.rules.includes(rule.rules[0]!));
    return first <= 0 ? window : window.slice(first);
  },
};
