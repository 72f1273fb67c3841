// The report's one stylesheet. Its sha256 goes into the page's CSP, so the
// script must never set a `style` attribute (that would need 'unsafe-inline');
// it switches classes and SVG presentation attributes instead.

export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --bg2: #f6f8fa; --focus: #fff3b0;
  --critical: #8b1a1a; --high: #d1242f; --medium: #bc4c00; --low: #0969da; --informational: #6e7781; --other: #8c959f; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; padding: 16px 24px 48px; max-width: 1600px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.made, .muted, .hint { color: var(--muted); }
.hint { margin: 0 0 6px; font-size: 12.5px; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 4px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
dl.coverage { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.coverage dt { font-weight: 600; }
dl.coverage dd { margin: 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
details.failed ul { margin: 4px 0; padding-left: 18px; max-height: 240px; overflow: auto; }
.cmd { background: var(--bg2); padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; }
table.rules td, table.rules th { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; }
.num { text-align: right; }
table.rules .num { text-align: right; padding-right: 0; }
.sev { display: inline-block; padding: 0 6px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; background: var(--other); }
.sev[data-sev=critical] { background: var(--critical); } .sev[data-sev=high] { background: var(--high); }
.sev[data-sev=medium] { background: var(--medium); } .sev[data-sev=low] { background: var(--low); }
.sev[data-sev=informational] { background: var(--informational); }
svg { display: block; width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg text { fill: var(--fg); }
svg .axis line, svg .grid { stroke: var(--line); }
svg .axis text, svg text.muted { fill: var(--muted); }
svg .lane-bg { fill: var(--bg2); }
svg .mark { cursor: pointer; fill-opacity: .8; fill: var(--other); }
svg .sev-critical { fill: var(--critical); } svg .sev-high { fill: var(--high); } svg .sev-medium { fill: var(--medium); }
svg .sev-low { fill: var(--low); } svg .sev-informational { fill: var(--informational); }
svg .mark:hover { fill-opacity: 1; stroke: var(--fg); }
svg .mark.dim { fill-opacity: .12; }
svg .mark.current { stroke: var(--fg); stroke-width: 2; fill-opacity: 1; }
svg .bar { cursor: pointer; fill: #54aeff; }
svg .bar:hover, svg .bar.on { fill: #0969da; }
.bars { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-bottom: 8px; position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 2; }
.filters select, .filters input { font: inherit; max-width: 260px; }
#f-count { color: var(--muted); }
/* Fixed layout: the browser sizes columns from this header alone, so a page of
   rows lays out fast and columns do not jump between pages or sorts. */
#hit-table { width: 100%; font-size: 13px; table-layout: fixed; }
#hit-table th:nth-child(2) { width: 11.5em; } #hit-table th:nth-child(3) { width: 18%; }
#hit-table th:nth-child(4) { width: 7.5em; } #hit-table th:nth-child(5) { width: 5em; }
#hit-table th:nth-child(6) { width: 8.5em; } #hit-table th:nth-child(7) { width: 9%; }
#hit-table th:nth-child(9) { width: 8.5em; } #hit-table th:nth-child(10) { width: 12%; }
.pager { margin: 8px 0; color: var(--muted); }
#hit-table th { text-align: left; border-bottom: 2px solid var(--line); white-space: nowrap; position: sticky; top: 40px; background: #fff; z-index: 1; }
#hit-table th button { font: inherit; font-weight: 600; border: 0; background: none; padding: 4px 14px 4px 0; cursor: pointer; color: inherit; }
#hit-table th[aria-sort=ascending] button::after { content: " ▲"; font-size: 10px; }
#hit-table th[aria-sort=descending] button::after { content: " ▼"; font-size: 10px; }
#hit-table td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; vertical-align: top; overflow-wrap: break-word; }
/* Only the actor (an ARN is one long word) may break anywhere; ids and IPs stay whole. */
#hit-table td.actor { overflow-wrap: anywhere; }
#hit-table td.nw { overflow-wrap: anywhere; }
#hit-table tr.hit:hover { background: var(--bg2); }
#hit-table tr.hit.current { background: var(--focus); outline: 2px solid #d4a72c; }
#hit-table td.t { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
#hit-table .rule-title { display: block; }
#hit-table .rule-name { display: block; color: var(--muted); font-size: 11.5px; }
#hit-table th.fold-col { width: 30px; }
button.fold { border: 1px solid var(--line); background: #fff; border-radius: 4px; width: 22px; height: 22px; padding: 0; cursor: pointer; line-height: 1; }
tr.detail > td { background: #fbfcfd; padding: 8px 12px 14px 30px; }
.detail h4 { margin: 10px 0 4px; font-size: 13px; }
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 1px 12px; margin: 0; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; }
dl.kv > dt { color: #6639ba; }
dl.kv > dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
dl.kv dl.kv { border-left: 2px solid var(--line); padding-left: 8px; }
.v-null, .v-empty { color: var(--muted); font-style: italic; }
.v-number, .v-boolean { color: #0550ae; }
details.event { border: 1px solid var(--line); border-radius: 4px; margin: 4px 0; background: #fff; }
details.event > summary { cursor: pointer; padding: 3px 8px; font: 12px ui-monospace, Menlo, Consolas, monospace; }
details.event > dl { padding: 4px 8px 8px; }
table.context { font: 12px ui-monospace, Menlo, Consolas, monospace; width: 100%; }
table.context th, table.context td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
table.context tr.in-hit { background: var(--focus); font-weight: 600; }
@media print { .filters, button.fold { display: none; } #hit-table th { position: static; } }
`;
