// Hits as a Timesketch timeline: JSON lines that Timesketch's importer takes
// as they are (upload in the UI, or `timesketch_importer`). Each line carries
// the three fields the importer requires — `message`, `datetime` (ISO 8601;
// written with an explicit `+00:00` offset, the form of Timesketch's own
// examples) and `timestamp_desc` — plus `timestamp` in microseconds since the
// epoch, which older importers required and newer ones derive from `datetime`.
// The file should be named `*.jsonl`: the importer goes by the extension.
//
// One line per timed hit, at its first event, and one per `context` event.
// Every other field is flat (strings, numbers, booleans, lists of strings), so
// the lines of one file never give the index two types for one field name.
//
// Posture hits (credential report rows) have no time: they are not events on
// a timeline, so they are left out, and their number is returned for the
// caller to say so.
//
// Lines go through `jsonLine`: valid JSON, with C1 controls and bidi
// overrides escaped.

import type { ContextEvent, Hit } from '../model.js';
import { jsonLine } from './sanitize.js';

export interface TimesketchOutput {
  /** JSONL, one event per line, each ending in `\n`. */
  text: string;
  /** Events written. */
  lines: number;
  /** Hits left out because they have no time (posture hits). */
  untimed: number;
}

/** `datetime` and `timestamp` for an ISO time, or null when it does not parse. */
function when(iso: string): { datetime: string; timestamp: number } | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const datetime = new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00');
  return { datetime, timestamp: ms * 1000 };
}

function hitMessage(h: Hit): string {
  const who = h.target && h.target !== h.actor ? `${h.actor ?? '?'} on ${h.target}` : (h.actor ?? h.target ?? '?');
  const from = h.sourceIPAddress ? ` from ${h.sourceIPAddress}` : '';
  const events = h.count === 1 ? '1 event' : `${h.count} events`;
  return `[${h.severity}] ${h.title}: ${who}${from} (${events}, rule ${h.rule})`;
}

function contextMessage(e: ContextEvent, h: Hit): string {
  const who = e.target && e.target !== e.actor ? `${e.actor ?? '?'} on ${e.target}` : (e.actor ?? e.target ?? '?');
  const from = e.sourceIPAddress ? ` from ${e.sourceIPAddress}` : '';
  const error = e.errorCode ? ` failed: ${e.errorCode}` : '';
  const role = e.inHit ? `in hit ${h.rule}` : `around hit ${h.rule}`;
  return `${e.eventName ?? '?'} by ${who}${from}${error} (${role})`;
}

/** The timed hits, and their context events, as Timesketch JSONL. */
export function timesketch(hits: readonly Hit[]): TimesketchOutput {
  let text = '';
  let lines = 0;
  let untimed = 0;
  for (const h of hits) {
    const at = h.time === null ? null : when(h.time);
    if (at === null) {
      untimed++;
      continue;
    }
    const hitFields = {
      rule: h.rule,
      title: h.title,
      severity: h.severity,
      account: h.account,
      region: h.region,
      target: h.target ?? null,
      actor: h.actor,
      sourceIPAddress: h.sourceIPAddress,
      eventName: h.eventName,
    };
    text += jsonLine({
      message: hitMessage(h),
      ...at,
      timestamp_desc: 'First event of hunt hit',
      data_type: 'aws:cloudtrail:hunt:hit',
      ...hitFields,
      lastTime: h.lastTime,
      count: h.count,
      eventIDs: h.eventIDs,
      sources: h.sources,
    }) + '\n';
    lines++;
    for (const e of h.context ?? []) {
      const eAt = when(e.time);
      if (eAt === null) continue;
      text += jsonLine({
        message: contextMessage(e, h),
        ...eAt,
        timestamp_desc: 'CloudTrail event time',
        data_type: 'aws:cloudtrail:hunt:context',
        // The hit it belongs to, under names that do not clash with the event's own.
        hitRule: h.rule,
        hitSeverity: h.severity,
        hitTime: h.time,
        account: h.account,
        eventName: e.eventName,
        eventSource: e.eventSource,
        actor: e.actor,
        target: e.target,
        sourceIPAddress: e.sourceIPAddress,
        errorCode: e.errorCode,
        eventID: e.eventID,
        source: e.source,
        inHit: e.inHit,
      }) + '\n';
      lines++;
    }
  }
  return { text, lines, untimed };
}
