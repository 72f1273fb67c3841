import Table from 'cli-table3';
import type { Hit } from '../model.js';
import { forTerminal } from './sanitize.js';

const HEAD = ['time', 'rule', 'severity', 'account', 'actor', 'source IP', 'count', 'title'];

/** A table for people. Every log-derived cell is neutralised for the terminal. */
export function table(hits: readonly Hit[], color: boolean): string {
  if (hits.length === 0) return 'No hits.\n';
  const t = new Table({
    head: HEAD,
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    wordWrap: true,
    // One line per hit, no rules between rows: denser, and greps cleanly.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const h of hits) {
    t.push(
      [h.time ?? '(posture)', h.rule, h.severity, h.account ?? '', h.actor ?? '', h.sourceIPAddress ?? '', String(h.count), h.title].map(
        (cell) => forTerminal(cell),
      ),
    );
  }
  return t.toString() + '\n';
}
