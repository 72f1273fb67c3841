// The report's script, run by the browser that opens the file. renderReport
// inlines this function as its own source text (`(${reportClient})()`), so:
//   * it must not use anything from outside its body (no module constants,
//     no imports but types, which compiling erases): it is compiled and
//     type-checked here, but runs alone;
//   * the page's CSP allows it by hash, and nothing else can run.
//
// Every value in the data block is attacker-controlled (CloudTrail fields,
// S3 keys, third-party rule titles). It reaches the page only as textContent,
// SVG <text>/<title> content, or an attribute whose value we choose (class,
// data-i index, coordinates). Never innerHTML. Counters are Maps, not plain
// objects, so a user called `__proto__` is just a name.
//
// 10,000 hits with events must stay fast. The table shows one page of rows
// at a time (a table of 10,000 rows takes seconds to lay out again after each
// sort or filter); a row is built the first time its page is shown. A hit's
// events and context arrive gzipped in chunks of hits (see renderReport) and
// are inflated and built only when the hit is unfolded, each event's tree only
// when its <details> is opened.

import type { ContextEvent, Hit } from '../../model.js';

export function reportClient(): void {
  interface Details {
    events: Record<string, unknown>[];
    context: ContextEvent[];
  }
  interface Row {
    hit: Hit;
    i: number;
    t: number;
    /** Built when its page is first shown. */
    tr: HTMLTableRowElement | null;
    detail: HTMLTableRowElement | null;
    open: boolean;
    mark: SVGRectElement | null;
    /** Lower-cased text for the free-text filter, built on first use. */
    text: string | null;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];
  const NONE = '(none)';

  const dataEl = document.getElementById('hunt-data');
  const data = JSON.parse(dataEl ? dataEl.textContent || '{}' : '{}') as { hits?: Hit[]; details?: string[]; chunk?: number };
  const hits: Hit[] = Array.isArray(data.hits) ? data.hits : [];
  const chunks: string[] = Array.isArray(data.details) ? data.details : [];
  const CHUNK = Number(data.chunk) || 1;

  // ---- small DOM helpers: text only --------------------------------------

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: unknown): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
    const node = document.createElementNS(SVG, tag);
    // Only attribute names written in this file reach here; values are numbers or our own words.
    for (const k of Object.keys(attrs)) node.setAttribute(k, String(attrs[k]));
    return node;
  }
  function svgText(x: number, y: number, text: string, cls?: string, anchor?: string): SVGTextElement {
    const node = svg('text', { x, y });
    if (cls) node.setAttribute('class', cls);
    if (anchor) node.setAttribute('text-anchor', anchor);
    node.textContent = text;
    return node;
  }
  function str(v: unknown): string {
    return v === null || v === undefined ? '' : String(v);
  }
  function short(s: string, n: number): string {
    return s.length > n ? `${s.slice(0, n - 1)}…` : s;
  }
  function sevWord(s: unknown): string {
    const l = str(s).toLowerCase();
    return SEVERITIES.indexOf(l) >= 0 ? l : 'other';
  }
  function sevRank(s: unknown): number {
    const i = SEVERITIES.indexOf(str(s).toLowerCase());
    return i < 0 ? SEVERITIES.length : i;
  }
  function userOf(h: Hit): string {
    return h.target === null || h.target === undefined || h.target === '' ? NONE : String(h.target);
  }
  function count<T>(items: T[], key: (x: T) => string): [string, number][] {
    const m = new Map<string, number>();
    for (const x of items) m.set(key(x), (m.get(key(x)) || 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  // ---- rows ----------------------------------------------------------------

  const tbody = document.querySelector('#hit-table tbody') as HTMLTableSectionElement;
  const COLS = 10;
  const PAGE = 500;
  const rows: Row[] = hits.map((hit, i) => ({ hit, i, t: hit.time === null ? NaN : Date.parse(hit.time), tr: null, detail: null, open: false, mark: null, text: null }));

  function rowEl(r: Row): HTMLTableRowElement {
    if (r.tr) return r.tr;
    const hit = r.hit;
    const tr = el('tr', 'hit');
    tr.dataset.i = String(r.i);
    tr.tabIndex = -1;
    const foldCell = el('td');
    const fold = el('button', 'fold', '▸');
    fold.type = 'button';
    fold.setAttribute('aria-expanded', 'false');
    fold.setAttribute('aria-label', 'Unfold this hit');
    foldCell.appendChild(fold);
    tr.appendChild(foldCell);
    tr.appendChild(el('td', 't', hit.time === null ? 'no time' : hit.time));
    const ruleCell = el('td');
    ruleCell.appendChild(el('span', 'rule-title', hit.title));
    ruleCell.appendChild(el('span', 'rule-name', hit.rule));
    tr.appendChild(ruleCell);
    const sevCell = el('td');
    const sev = el('span', 'sev', hit.severity);
    sev.dataset.sev = sevWord(hit.severity);
    sevCell.appendChild(sev);
    tr.appendChild(sevCell);
    tr.appendChild(el('td', 'num', hit.count));
    tr.appendChild(el('td', 'nw', hit.account));
    tr.appendChild(el('td', '', hit.target));
    tr.appendChild(el('td', 'actor', hit.actor));
    tr.appendChild(el('td', 'nw', hit.sourceIPAddress));
    tr.appendChild(el('td', '', hit.eventName));
    r.tr = tr;
    return tr;
  }

  // The table's state: every row in sort order, the rows the filters keep, and the page shown.
  let order: Row[] = rows.slice();
  let kept: Row[] = rows.slice();
  let page = 0;
  const pagePrev = document.getElementById('p-prev') as HTMLButtonElement;
  const pageNext = document.getElementById('p-next') as HTMLButtonElement;
  const pageInfo = document.getElementById('p-info') as HTMLElement;
  const fCount = document.getElementById('f-count') as HTMLElement;

  function showPage(): void {
    const pages = Math.max(1, Math.ceil(kept.length / PAGE));
    page = Math.min(Math.max(page, 0), pages - 1);
    const f = document.createDocumentFragment();
    for (const r of kept.slice(page * PAGE, (page + 1) * PAGE)) {
      f.appendChild(rowEl(r));
      if (r.detail && r.open) f.appendChild(r.detail);
    }
    tbody.replaceChildren(f);
    const first = kept.length === 0 ? 0 : page * PAGE + 1;
    const last = Math.min(kept.length, (page + 1) * PAGE);
    fCount.textContent = kept.length === rows.length ? `${rows.length} hits` : `${kept.length} of ${rows.length} hits`;
    pageInfo.textContent = pages > 1 ? `rows ${first}–${last} of ${kept.length} (page ${page + 1} of ${pages})` : '';
    pagePrev.hidden = pageNext.hidden = pages <= 1;
    pagePrev.disabled = page === 0;
    pageNext.disabled = page >= pages - 1;
  }
  pagePrev.addEventListener('click', () => {
    page--;
    showPage();
  });
  pageNext.addEventListener('click', () => {
    page++;
    showPage();
  });

  // ---- unfolding: built on first open ------------------------------------

  function tree(value: unknown): HTMLElement {
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 0) return el('span', 'v-empty', Array.isArray(value) ? '[]' : '{}');
      const dl = el('dl', 'kv');
      for (const k of keys) {
        dl.appendChild(el('dt', '', Array.isArray(value) ? `[${k}]` : k));
        const dd = el('dd');
        dd.appendChild(tree((value as Record<string, unknown>)[k]));
        dl.appendChild(dd);
      }
      return dl;
    }
    if (value === null || value === undefined) return el('span', 'v-null', 'null');
    return el('span', `v-${typeof value}`, value);
  }

  // Each chunk is base64 of gzipped JSON: one {events, context} per hit of the chunk.
  const inflated = new Map<number, Promise<Details[]>>();
  function detailsOf(i: number): Promise<Details> {
    const c = Math.floor(i / CHUNK);
    let p = inflated.get(c);
    if (!p) {
      const bin = atob(chunks[c] || '');
      const bytes = new Uint8Array(bin.length);
      for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      p = new Response(stream).text().then((text) => JSON.parse(text) as Details[]);
      inflated.set(c, p);
    }
    return p.then((all) => all[i % CHUNK] || { events: [], context: [] });
  }

  function buildDetail(r: Row, d: Details, td: HTMLTableCellElement): void {
    const h = r.hit;
    td.appendChild(el('h4', '', 'Hit'));
    td.appendChild(
      tree({
        rule: h.rule,
        title: h.title,
        severity: h.severity,
        time: h.time,
        lastTime: h.lastTime,
        count: h.count,
        account: h.account,
        region: h.region,
        target: h.target === undefined ? null : h.target,
        actor: h.actor,
        sourceIPAddress: h.sourceIPAddress,
        eventName: h.eventName,
        group: h.group,
        fields: h.fields === undefined ? {} : h.fields,
        eventIDs: h.eventIDs,
        sources: h.sources,
      }),
    );
    const events = Array.isArray(d.events) ? d.events : [];
    if (events.length > 0) {
      td.appendChild(el('h4', '', `Events (${events.length})`));
      events.forEach((ev, n) => {
        const d = el('details', 'event');
        const e = ev && typeof ev === 'object' ? ev : { value: ev };
        d.appendChild(el('summary', '', [e.eventTime, e.eventName, e.eventSource, e.eventID].map(str).filter((s) => s).join(' · ') || `event ${n + 1}`));
        let built = false;
        const build = () => {
          if (!built && d.open) {
            built = true;
            d.appendChild(tree(e));
          }
        };
        d.addEventListener('toggle', build);
        if (events.length <= 3) d.open = true;
        build();
        td.appendChild(d);
      });
    }
    const context = Array.isArray(d.context) ? d.context : [];
    if (context.length > 0) {
      td.appendChild(el('h4', '', `Context (${context.length} events around the hit; its own are marked)`));
      const table = el('table', 'context');
      const head = el('tr');
      for (const name of ['', 'time', 'eventName', 'eventSource', 'actor', 'target', 'sourceIPAddress', 'errorCode', 'eventID', 'source']) {
        head.appendChild(el('th', '', name));
      }
      const thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      const body = el('tbody');
      for (const c of context) {
        const row = el('tr', c && c.inHit ? 'in-hit' : '');
        row.appendChild(el('td', '', c && c.inHit ? '●' : ''));
        for (const k of ['time', 'eventName', 'eventSource', 'actor', 'target', 'sourceIPAddress', 'errorCode', 'eventID', 'source'] as const) {
          row.appendChild(el('td', '', c ? c[k] : ''));
        }
        body.appendChild(row);
      }
      table.appendChild(body);
      td.appendChild(table);
    }
    if (events.length === 0 && context.length === 0) {
      td.appendChild(el('p', 'muted', 'No events or context in this report (run hunt with --events and --context to include them).'));
    }
  }

  function toggle(r: Row, open?: boolean): void {
    const want = open === undefined ? !r.open : open;
    if (want === r.open || !r.tr) return;
    r.open = want;
    if (want && r.detail === null) {
      const tr = el('tr', 'detail');
      const td = el('td', '', 'Loading…');
      td.colSpan = COLS;
      tr.appendChild(td);
      r.detail = tr;
      detailsOf(r.i).then(
        (d) => {
          td.textContent = '';
          buildDetail(r, d, td);
          tr.classList.add('loaded');
        },
        (err) => {
          td.textContent = `Could not read this hit's events: ${String(err)}`;
          tr.classList.add('loaded');
        },
      );
    }
    if (r.detail) {
      if (want) r.tr.after(r.detail);
      else r.detail.remove();
    }
    const btn = r.tr.querySelector('button.fold') as HTMLButtonElement;
    btn.textContent = want ? '▾' : '▸';
    btn.setAttribute('aria-expanded', String(want));
  }

  tbody.addEventListener('click', (ev) => {
    const target = ev.target as Element;
    const tr = target.closest('tr.hit') as HTMLTableRowElement | null;
    if (!tr) return;
    // Let a reader select text in a row without folding it.
    if (!target.closest('button.fold') && String(window.getSelection() || '') !== '') return;
    toggle(rows[Number(tr.dataset.i)]);
  });

  // ---- sorting -------------------------------------------------------------

  type Key = 'time' | 'rule' | 'severity' | 'count' | 'account' | 'target' | 'actor' | 'sourceIPAddress' | 'eventName';
  let sortKey: Key | null = null;
  let sortDir = 1;
  function cmp(a: Row, b: Row, key: Key): number {
    if (key === 'time') {
      // Hits without a time (posture) go last, as in the NDJSON order.
      const at = isNaN(a.t) ? Infinity : a.t;
      const bt = isNaN(b.t) ? Infinity : b.t;
      return at < bt ? -1 : at > bt ? 1 : 0;
    }
    if (key === 'severity') return sevRank(a.hit.severity) - sevRank(b.hit.severity);
    if (key === 'count') return Number(a.hit.count) - Number(b.hit.count);
    const x = str(a.hit[key]).toLowerCase();
    const y = str(b.hit[key]).toLowerCase();
    if (x === y) return 0;
    if (x === '') return 1;
    if (y === '') return -1;
    return x < y ? -1 : 1;
  }
  const headers = Array.from(document.querySelectorAll('#hit-table th[data-key]')) as HTMLTableCellElement[];
  for (const th of headers) {
    th.querySelector('button')!.addEventListener('click', () => {
      const key = th.dataset.key as Key;
      sortDir = sortKey === key ? -sortDir : 1;
      sortKey = key;
      for (const other of headers) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
      order = rows.slice().sort((a, b) => cmp(a, b, key) * sortDir || a.i - b.i);
      applyFilters();
    });
  }

  // ---- filters ---------------------------------------------------------------

  const fRule = document.getElementById('f-rule') as HTMLSelectElement;
  const fSev = document.getElementById('f-severity') as HTMLSelectElement;
  const fAccount = document.getElementById('f-account') as HTMLSelectElement;
  const fUser = document.getElementById('f-user') as HTMLSelectElement;
  const fText = document.getElementById('f-text') as HTMLInputElement;
  function options(select: HTMLSelectElement, entries: [string, number][]): void {
    for (const [value, n] of entries) {
      const o = el('option', '', `${short(value, 60)} (${n})`);
      o.value = value;
      select.appendChild(o);
    }
  }
  options(fRule, count(hits, (h) => str(h.rule)));
  options(
    fSev,
    count(hits, (h) => str(h.severity)).sort((a, b) => sevRank(a[0]) - sevRank(b[0])),
  );
  options(fAccount, count(hits, (h) => str(h.account) || NONE));
  options(fUser, count(hits, userOf));

  function searchText(r: Row): string {
    if (r.text === null) {
      const h = r.hit;
      r.text = [h.rule, h.title, h.severity, h.time, h.lastTime, h.account, h.region, h.actor, h.target, h.sourceIPAddress, h.eventName]
        .map(str)
        .concat(h.eventIDs || [], h.sources || [], JSON.stringify(h.group || {}), JSON.stringify(h.fields || {}))
        .join('\n')
        .toLowerCase();
    }
    return r.text;
  }

  function applyFilters(): void {
    const rule = fRule.value;
    const sev = fSev.value;
    const account = fAccount.value;
    const user = fUser.value;
    const text = fText.value.trim().toLowerCase();
    kept = [];
    for (const r of order) {
      const h = r.hit;
      const ok =
        (rule === '' || str(h.rule) === rule) &&
        (sev === '' || str(h.severity) === sev) &&
        (account === '' || (str(h.account) || NONE) === account) &&
        (user === '' || userOf(h) === user) &&
        (text === '' || searchText(r).indexOf(text) >= 0);
      if (ok) kept.push(r);
      if (r.mark) r.mark.classList.toggle('dim', !ok);
    }
    page = 0;
    showPage();
    for (const b of Array.from(document.querySelectorAll('#who .bar'))) {
      const on = (b.getAttribute('data-kind') === 'account' ? account : user) === (barValues.get(b) ?? null);
      b.classList.toggle('on', on);
    }
  }
  let typing = 0;
  fText.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(applyFilters, 150);
  });
  for (const s of [fRule, fSev, fAccount, fUser]) s.addEventListener('change', applyFilters);
  function clearFilters(): void {
    fRule.value = fSev.value = fAccount.value = fUser.value = fText.value = '';
    applyFilters();
  }
  document.getElementById('f-clear')!.addEventListener('click', clearFilters);

  // ---- going to a hit ------------------------------------------------------

  let current: Row | null = null;
  function goTo(r: Row): void {
    if (kept.indexOf(r) < 0) clearFilters();
    const at = kept.indexOf(r);
    if (Math.floor(at / PAGE) !== page) {
      page = Math.floor(at / PAGE);
      showPage();
    }
    if (current) {
      if (current.tr) current.tr.classList.remove('current');
      if (current.mark) current.mark.classList.remove('current');
    }
    current = r;
    const tr = rowEl(r);
    tr.classList.add('current');
    if (r.mark) r.mark.classList.add('current');
    tr.scrollIntoView({ block: 'center' });
    tr.focus({ preventScroll: true });
  }

  // ---- the timeline: one lane per rule -----------------------------------

  const W = 1200;
  const LABEL = 250;
  const LANE = 24;
  const timed = rows.filter((r) => !isNaN(r.t));
  const chart = document.getElementById('timeline-chart') as HTMLElement;
  if (timed.length === 0) {
    chart.appendChild(el('p', 'muted', 'No timed hits to draw.'));
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of timed) {
      const last = r.hit.lastTime === null ? NaN : Date.parse(r.hit.lastTime);
      lo = Math.min(lo, r.t);
      hi = Math.max(hi, isNaN(last) ? r.t : last);
    }
    // A single instant still needs a visible span around it.
    if (hi - lo < 60_000) {
      lo -= 30 * 60_000;
      hi += 30 * 60_000;
    }
    const pad = (hi - lo) * 0.02;
    lo -= pad;
    hi += pad;
    const x = (t: number) => LABEL + ((t - lo) / (hi - lo)) * (W - LABEL - 10);

    // Lanes: most severe rule first, then by name.
    const lanes = new Map<string, { sev: number; rows: Row[] }>();
    for (const r of timed) {
      const lane = lanes.get(r.hit.rule) || { sev: SEVERITIES.length, rows: [] };
      lane.sev = Math.min(lane.sev, sevRank(r.hit.severity));
      lane.rows.push(r);
      lanes.set(r.hit.rule, lane);
    }
    const order = [...lanes.entries()].sort((a, b) => a[1].sev - b[1].sev || (a[0] < b[0] ? -1 : 1));
    const top = 8;
    const H = top + order.length * LANE + 34;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Hits over time, one lane per rule' });

    // Axis: a tick step from a fixed ladder, so labels never crowd.
    const steps = [60e3, 5 * 60e3, 15 * 60e3, 3600e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 864e5, 2 * 864e5, 7 * 864e5, 30 * 864e5, 91 * 864e5, 365 * 864e5];
    const step = steps.find((s) => (hi - lo) / s <= 10) || steps[steps.length - 1];
    const axis = svg('g', { class: 'axis' });
    const axisY = top + order.length * LANE;
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const iso = new Date(t).toISOString();
      const label = step >= 864e5 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
      axis.appendChild(svg('line', { x1: x(t), x2: x(t), y1: top, y2: axisY + 4, class: 'grid' }));
      axis.appendChild(svgText(x(t), axisY + 16, label, undefined, 'middle'));
    }
    axis.appendChild(svgText(W - 10, axisY + 30, 'UTC', 'muted', 'end'));

    const marks = svg('g', { class: 'marks' });
    order.forEach(([rule, lane], n) => {
      const y = top + n * LANE;
      if (n % 2 === 0) root.appendChild(svg('rect', { x: 0, y, width: W, height: LANE, class: 'lane-bg' }));
      const label = svgText(4, y + LANE / 2 + 4, `${short(rule, 38)} (${lane.rows.length})`);
      const full = svg('title', {});
      full.textContent = rule;
      label.appendChild(full);
      root.appendChild(label);
      for (const r of lane.rows) {
        const last = r.hit.lastTime === null ? NaN : Date.parse(r.hit.lastTime);
        const x0 = x(r.t);
        const x1 = isNaN(last) ? x0 : x(last);
        const mark = svg('rect', {
          x: (x0 - 3).toFixed(1),
          y: y + 5,
          width: Math.max(6, x1 - x0 + 6).toFixed(1),
          height: LANE - 10,
          rx: 3,
          class: `mark sev-${sevWord(r.hit.severity)}`,
          'data-i': r.i,
        });
        r.mark = mark;
        marks.appendChild(mark);
      }
    });
    root.appendChild(axis);
    root.appendChild(marks);
    // Tooltips are built on first hover: 10,000 <title>s up front cost time for nothing.
    marks.addEventListener('mouseover', (ev) => {
      const m = (ev.target as Element).closest('.mark');
      if (!m || m.firstChild) return;
      const h = rows[Number(m.getAttribute('data-i'))].hit;
      const tip = svg('title', {});
      tip.textContent = `${h.time}${h.lastTime && h.lastTime !== h.time ? ` to ${h.lastTime}` : ''}\n${h.title}\nuser ${str(h.target) || NONE}, account ${str(h.account)}`;
      m.appendChild(tip);
    });
    marks.addEventListener('click', (ev) => {
      const m = (ev.target as Element).closest('.mark');
      if (m) goTo(rows[Number(m.getAttribute('data-i'))]);
    });
    chart.appendChild(root);
  }
  const untimed = rows.length - timed.length;
  if (untimed > 0) {
    chart.appendChild(el('p', 'hint', `${untimed} hit${untimed === 1 ? '' : 's'} without a time (credential report posture) not drawn.`));
  }

  // ---- who: hits per account and per target user ---------------------------

  const barValues = new Map<Element, string>();
  function bars(host: HTMLElement, title: string, kind: 'account' | 'user', entries: [string, number][]): void {
    host.appendChild(el('h3', '', title));
    if (entries.length === 0) {
      host.appendChild(el('p', 'muted', 'No hits.'));
      return;
    }
    const TOP = 12;
    const shown = entries.slice(0, TOP);
    const max = shown[0][1];
    const BW = 600;
    const BL = 190;
    const BH = 20;
    const root = svg('svg', { viewBox: `0 0 ${BW} ${shown.length * BH + 4}`, role: 'img', 'aria-label': title });
    shown.forEach(([value, n], k) => {
      const y = k * BH + 2;
      const label = svgText(BL - 6, y + 14, short(value, 28), value === NONE ? 'muted' : undefined, 'end');
      const full = svg('title', {});
      full.textContent = value;
      label.appendChild(full);
      root.appendChild(label);
      const bar = svg('rect', { x: BL, y: y + 2, width: Math.max(2, ((BW - BL - 50) * n) / max).toFixed(1), height: BH - 5, class: 'bar', 'data-kind': kind });
      const tip = svg('title', {});
      tip.textContent = `${value}: ${n} hit${n === 1 ? '' : 's'} (click to filter)`;
      bar.appendChild(tip);
      barValues.set(bar, value);
      root.appendChild(bar);
      root.appendChild(svgText(BL + Math.max(2, ((BW - BL - 50) * n) / max) + 5, y + 14, String(n)));
    });
    root.addEventListener('click', (ev) => {
      const b = (ev.target as Element).closest('.bar');
      if (!b) return;
      const select = kind === 'account' ? fAccount : fUser;
      const value = barValues.get(b) || '';
      select.value = select.value === value ? '' : value;
      applyFilters();
    });
    host.appendChild(root);
    if (entries.length > TOP) host.appendChild(el('p', 'hint', `and ${entries.length - TOP} more (see the filters)`));
  }
  bars(document.getElementById('per-account')!, 'Hits per account', 'account', count(hits, (h) => str(h.account) || NONE));
  bars(document.getElementById('per-user')!, 'Hits per target user', 'user', count(hits, userOf));

  applyFilters();
  // Tests and the timing script (scripts/report-measure.ts) wait for these.
  performance.mark('hunt-report-ready');
  document.documentElement.dataset.ready = 'true';
}
