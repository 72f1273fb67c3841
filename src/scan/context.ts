// What the `--context` pass looks for in each record: events of the hits'
// accounts whose caller or target user is one of the hits' principals, or
// whose source address is one of the hits' addresses. Plain data, sent to the
// workers; the exact per-hit choice (which hit, which time range) is made on
// the main thread (src/readers/context.ts), which also adds the hits' own
// events from the merge (a correlation's events may involve other principals).

import { isIP } from 'node:net';
import type { CloudTrailEvent } from '../model.js';
import { actorOf, targetOf } from './identity.js';

export interface ContextSpec {
  /** recipientAccountId values of the hits. */
  accounts: string[];
  /** Principals (callers as `actor` reads them, target users), lowercased: names compare case-insensitively. */
  names: string[];
  /** Source IP addresses of the hits (never service names such as iam.amazonaws.com). */
  addresses: string[];
  /** The hits' time ranges widened by the context duration, joined where they overlap (epoch ms, inclusive). */
  ranges: { fromMs: number; toMs: number }[];
}

/** A hit's address counts only when it is an IP address: `AWS Internal` or a service name links unrelated events. */
export function isAddress(value: string | null): value is string {
  return value !== null && isIP(value) !== 0;
}

/** The predicate the workers run on each record of the context pass. */
export function contextMatcher(spec: ContextSpec): (event: CloudTrailEvent) => boolean {
  const accounts = new Set(spec.accounts);
  const names = new Set(spec.names);
  const addresses = new Set(spec.addresses);
  const ranges = spec.ranges;
  return (event) => {
    if (typeof event.recipientAccountId !== 'string' || !accounts.has(event.recipientAccountId)) return false;
    // Only events some hit's range can take come back: the main thread picks per hit.
    const t = Date.parse(String(event.eventTime));
    if (!ranges.some((r) => t >= r.fromMs && t <= r.toMs)) return false;
    const actor = actorOf(event.userIdentity);
    if (actor !== null && names.has(actor.toLowerCase())) return true;
    const target = targetOf(event);
    if (target !== null && names.has(target.toLowerCase())) return true;
    return typeof event.sourceIPAddress === 'string' && addresses.has(event.sourceIPAddress);
  };
}

/**
 * The literals a record of the context pass must hold, for the prefilter: the
 * names and addresses. Null (parse every record) when one is not plain ASCII,
 * which the prefilter's exactness argument needs.
 */
export function contextNeedles(spec: ContextSpec): string[] | null {
  const all = [...spec.names, ...spec.addresses];
  if (all.length === 0 || all.some((n) => n === '' || !/^[\x20-\x7e]+$/.test(n))) return null;
  return [...new Set(all.map((n) => n.toLowerCase()))].sort();
}
