// `--report <file.html>`: one self-contained HTML file that a responder can
// hand to an incident lead, an account owner or an auditor. It opens offline
// and makes no request of any kind: style, script and charts are inline, and
// a Content-Security-Policy (`default-src 'none'`) admits only the one style
// and the one script of this file, by their sha256 hashes.
//
// Every log field is attacker-controlled, so the page keeps data and code
// apart. What this module writes as HTML (the header and the coverage) goes
// through escapeHtml; the hits travel as JSON inside a
// <script type="application/json"> element, escaped so that no `</script>` or
// `<!--` can end it early (jsonForScript), and the client script
// (report/client.ts) builds the table, the charts and the unfolded events
// with createElement/createElementNS and textContent only.

import { createHash } from 'node:crypto';
import type { ContextEvent, Hit } from '../model.js';
import { gzipSync } from 'node:zlib';
import { reportClient } from './report/client.js';
import { REPORT_CSS } from './report/style.js';

/** One entry of a hit's context timeline (DESIGN.md, `context`). */
export type ReportContextEvent = ContextEvent;

/**
 * One hit as in the NDJSON contract of DESIGN.md (src/model.ts). `target`
 * and `fields` are always written by hunt; optional here so that NDJSON of
 * older versions still renders.
 */
export type ReportHit = Omit<Hit, 'target' | 'fields'> & Partial<Pick<Hit, 'target' | 'fields'>>;

/** What the hunt looked at, so a reader can tell "no hits" from "not looked". */
export interface ReportCoverage {
  /** The `--source` values as given (paths, `s3://bucket/prefix`). */
  sources: string[];
  /** The window as resolved, ISO 8601 UTC; null where it is open. `since <= eventTime < until`. */
  window: { since: string | null; until: string | null };
  /** Oldest and newest `eventTime` of the records read (null when none was read). */
  eventRange: { first: string | null; last: string | null };
  objects: {
    scanned: number;
    /** Objects and folders left unopened, by reason in words ("CloudTrail digest folders"). */
    skipped: { reason: string; count: number }[];
    /** Every object that could not be read, by its reference, with the reason. */
    failed: { ref: string; reason: string }[];
  };
  /** Records read and events examined, when known. */
  records?: number;
  events?: number;
  /** Every rule that ran, with its Sigma level. */
  rules: { name: string; title?: string; level: string }[];
  /** Lines of the summary a reader must not miss (interrupted run, conflicting eventIDs…). */
  warnings?: string[];
  /** The command line as typed: `process.argv.slice(2)` (hunt's own arguments). */
  commandLine: string[];
  /** hunt's version (package.json). */
  version: string;
  /** When the report was made, ISO 8601 UTC. Passed in so that output is reproducible. */
  generatedAt: string;
}

export interface ReportInput {
  /** In the contract's order (by time, posture hits last); the table starts in this order. */
  hits: ReportHit[];
  coverage: ReportCoverage;
}

/** Renders the whole report. Pure: the same input gives the same bytes. */
export function renderReport(input: ReportInput): string {
  const { hits, coverage } = input;
  // The client is a function compiled with this module; it is inlined as its
  // own source text, so it must not reach anything outside its body.
  const script = `(${reportClient.toString()})();`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(REPORT_CSS)}'`,
    // default-src does not cover these two; a stray <base> or <form> in the
    // page could otherwise point somewhere.
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; "); // our own words and base64 hashes: nothing to escape
  const data = jsonForScript(pageData(hits));
  const title = `hunt report: ${hits.length} ${hits.length === 1 ? 'hit' : 'hits'}, ${coverage.generatedAt}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>CloudTrail MFA hunt: ${hits.length.toLocaleString('en-US')} ${hits.length === 1 ? 'hit' : 'hits'}</h1>
<p class="made">Made by hunt ${escapeHtml(coverage.version)} at ${escapeHtml(coverage.generatedAt)}</p>
</header>
<noscript><p class="warn">The charts and the hit table need JavaScript. The coverage below is complete without it, and every hit is in the JSON block near the end of this file.</p></noscript>
${coverageHtml(coverage, hits)}
<section id="timeline">
<h2>Timeline</h2>
<p class="hint">One lane per rule; a mark spans a hit from its first to its last event. Click a mark to go to its row.</p>
<div id="timeline-chart"></div>
</section>
<section id="who">
<h2>Who</h2>
<div class="bars"><div id="per-account"></div><div id="per-user"></div></div>
</section>
<section id="hits">
<h2>Hits</h2>
<div class="filters">
<label>Rule <select id="f-rule"><option value="">all</option></select></label>
<label>Severity <select id="f-severity"><option value="">all</option></select></label>
<label>Account <select id="f-account"><option value="">all</option></select></label>
<label>User <select id="f-user"><option value="">all</option></select></label>
<label>Text <input id="f-text" type="search" placeholder="any field" autocomplete="off"></label>
<button id="f-clear" type="button">Clear</button>
<span id="f-count" role="status"></span>
</div>
<table id="hit-table">
<thead><tr>
<th class="fold-col"><span class="sr">Unfold</span></th>
<th data-key="time"><button type="button">Time (UTC)</button></th>
<th data-key="rule"><button type="button">Rule</button></th>
<th data-key="severity"><button type="button">Severity</button></th>
<th data-key="count" class="num"><button type="button">Events</button></th>
<th data-key="account"><button type="button">Account</button></th>
<th data-key="target"><button type="button">User</button></th>
<th data-key="actor"><button type="button">Actor</button></th>
<th data-key="sourceIPAddress"><button type="button">Source IP</button></th>
<th data-key="eventName"><button type="button">Event</button></th>
</tr></thead>
<tbody></tbody>
</table>
<div class="pager"><button id="p-prev" type="button" hidden>‹ Previous</button> <span id="p-info"></span> <button id="p-next" type="button" hidden>Next ›</button></div>
</section>
<script type="application/json" id="hunt-data">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** Hits per chunk of events and context: one chunk is inflated when one of its hits is unfolded. */
const DETAIL_CHUNK = 64;

/**
 * The data block. The hits' own fields are plain JSON (small, and all of
 * them are needed to draw the page). Their events and context are most of
 * the bytes and are needed only when a hit is unfolded, so they go gzipped,
 * in base64, a chunk of DETAIL_CHUNK hits per string: a 10,000-hit report
 * with events is then about a tenth of the size and opens in a fraction of
 * the time. The browser inflates a chunk with its own DecompressionStream.
 * The report is written once, after the hunt, so gzipSync here holds up
 * nothing else.
 */
function pageData(hits: ReportHit[]): { hits: Omit<ReportHit, 'events' | 'context'>[]; details: string[]; chunk: number } {
  const summaries = hits.map(({ events: _events, context: _context, ...rest }) => rest);
  const details: string[] = [];
  for (let i = 0; i < hits.length; i += DETAIL_CHUNK) {
    const chunk = hits.slice(i, i + DETAIL_CHUNK).map((h) => ({ events: h.events ?? [], context: h.context ?? [] }));
    details.push(gzipSync(JSON.stringify(chunk)).toString('base64'));
  }
  return { hits: summaries, details, chunk: DETAIL_CHUNK };
}

function coverageHtml(c: ReportCoverage, hits: ReportHit[]): string {
  const rows: [string, string][] = [];
  rows.push(['Sources', c.sources.length ? list(c.sources) : '<span class="muted">none (credential report only)</span>']);
  rows.push([
    'Window',
    `${c.window.since ? code(c.window.since) : '<span class="muted">open (no lower bound)</span>'} ≤ eventTime &lt; ` +
      `${c.window.until ? code(c.window.until) : '<span class="muted">open (no upper bound)</span>'}`,
  ]);
  rows.push([
    'Events read',
    c.eventRange.first && c.eventRange.last
      ? `from ${code(c.eventRange.first)} to ${code(c.eventRange.last)}`
      : '<span class="muted">no event was read</span>',
  ]);
  const counts: string[] = [];
  if (c.records !== undefined) counts.push(`${num(c.records)} records`);
  if (c.events !== undefined) counts.push(`${num(c.events)} events examined`);
  rows.push(['Objects scanned', `${num(c.objects.scanned)}${counts.length ? ` (${counts.join(', ')})` : ''}`]);
  const skipped = c.objects.skipped.reduce((n, s) => n + s.count, 0);
  rows.push([
    'Skipped',
    skipped === 0
      ? '0'
      : `${num(skipped)}: ${c.objects.skipped.map((s) => `${num(s.count)} ${escapeHtml(s.reason)}`).join(', ')}`,
  ]);
  const failed = c.objects.failed;
  rows.push([
    'Failed',
    failed.length === 0
      ? '0'
      : `<details${failed.length <= 20 ? ' open' : ''} class="failed"><summary>${num(failed.length)} objects contributed no events</summary>` +
        `<ul>${failed.map((f) => `<li><code>${escapeHtml(f.ref)}</code>: ${escapeHtml(f.reason)}</li>`).join('')}</ul></details>`,
  ]);
  rows.push(['Command line', `<code class="cmd">${escapeHtml(shellLine(['hunt', ...c.commandLine]))}</code>`]);
  rows.push(['hunt version', escapeHtml(c.version)]);
  rows.push(['Report made', code(c.generatedAt)]);

  const perRule = new Map<string, number>();
  for (const h of hits) perRule.set(h.rule, (perRule.get(h.rule) ?? 0) + 1);
  const ruleRows = c.rules
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.name)}</code></td><td>${escapeHtml(r.title ?? '')}</td>` +
        `<td><span class="sev" data-sev="${escapeHtml(sevClass(r.level))}">${escapeHtml(r.level)}</span></td>` +
        `<td class="num">${num(perRule.get(r.name) ?? 0)}</td></tr>`,
    )
    .join('\n');
  const warnings = (c.warnings ?? []).map((w) => `<p class="warn">${escapeHtml(w)}</p>`).join('\n');

  return `<section id="coverage">
<h2>What was covered</h2>
${warnings}
<dl class="coverage">
${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}
</dl>
<h3>Rules run (${num(c.rules.length)})</h3>
<table class="rules"><thead><tr><th>Rule</th><th>Title</th><th>Level</th><th class="num">Hits</th></tr></thead>
<tbody>
${ruleRows}
</tbody></table>
</section>`;
}

/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside a <script> element: `<`, `>` and `&` become \u
 * escapes so no `</script>`, `<!--` or `<script` can appear, and U+2028/U+2029
 * too (older parsers treat them as line ends). Inside JSON strings the escapes
 * read back as the same characters; outside strings JSON never has them.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The CSP source expression for an inline element whose text is `text`. */
function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** Severity words the stylesheet knows; anything else from a third-party rule is drawn grey. */
function sevClass(level: string): string {
  const l = level.toLowerCase();
  return ['informational', 'low', 'medium', 'high', 'critical'].includes(l) ? l : 'other';
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function num(n: number): string {
  return escapeHtml(Number(n).toLocaleString('en-US'));
}

function list(items: string[]): string {
  return `<ul class="plain">${items.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>`;
}

/** The command line as a reader could paste it into a POSIX shell. */
function shellLine(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
