// The HTML report in a real browser (Debian's chromium through playwright-core):
// the report of a real hunt over samples/ opens from file:// without a request
// or a console error and works; and a report whose every field is hostile runs
// none of it. Without chromium these tests skip locally and fail under CI=true.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumPath, haveChromium, launchChromium } from '../../scripts/report/browser.js';
import { samplesReportInput } from '../../scripts/report/samples.js';
import { renderReport, type ReportHit, type ReportInput } from '../../src/output/report.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const inCI = !!process.env.CI && process.env.CI !== 'false';
const skip = !haveChromium() && !inCI;
if (skip) {
  console.warn(
    `test/browser skipped: no chromium at ${chromiumPath()}. Install it (apt-get install -y chromium) or set HUNT_CHROMIUM; with CI=true these tests fail instead.`,
  );
}

let browser: Browser;
/** One context for every page: the report keeps no storage or cookies, and each test opens its own page. */
let context: BrowserContext;
let dir: string;
let files = 0;

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Writes the report to a file, opens it from file:// and waits until the script has drawn everything. */
async function open(html: string): Promise<Opened> {
  const file = join(dir, `report-${files++}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 10_000 });
  return { page, errors, requests };
}

/** Indices of the rows the filters leave visible, in table order. */
function visibleRows(page: Page): Promise<number[]> {
  return page.$$eval('#hit-table tr.hit', (trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).map((tr) => Number((tr as HTMLElement).dataset.i)));
}

async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
  });
}

describe.skipIf(skip)('the HTML report in a real browser', () => {
  beforeAll(async () => {
    if (!haveChromium()) throw new Error(`CI=true and no chromium at ${chromiumPath()}: .ci/run installs it with apt-get`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    dir = mkdtempSync(join(tmpdir(), 'hunt-report-test-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('of a hunt over samples/', () => {
    let input: ReportInput;
    let hits: ReportHit[];
    let html: string;
    beforeAll(async () => {
      input = await samplesReportInput('2026-10-09T12:00:00.000Z');
      hits = input.hits;
      html = renderReport(input);
      // The sample hunt must give this test something to look at.
      expect(hits.length).toBeGreaterThan(5);
      expect(hits.some((h) => h.time === null)).toBe(true);
      expect(hits.some((h) => (h.events?.length ?? 0) > 1 && (h.context?.length ?? 0) > 1)).toBe(true);
    });

    it('locks the page down with a CSP that admits only its own script and style', () => {
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
      expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
      expect(csp).not.toMatch(/unsafe|connect-src|https?:/);
      expect(html.match(/<script\b/g)).toHaveLength(2);
      expect(html).not.toMatch(/\b(src|href)=/);
    });

    it('opens from file:// with no console error and no request, even after unfolding and hovering', async () => {
      const { page, errors, requests } = await open(html);
      await page.locator('tr.hit button.fold').first().click();
      await page.locator('tr.detail.loaded').waitFor();
      await page.locator('#timeline-chart .mark').first().hover();
      await page.locator('#hit-table th[data-key="rule"] button').click();
      // The objects scanned, as counted from the samples on disk.
      expect(await page.locator('#coverage').innerText()).toContain(String(input.coverage.objects.scanned));
      expect(input.coverage.objects.scanned).toBeGreaterThan(200);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });

    it('draws one timeline mark per timed hit, in one lane per rule', async () => {
      const { page } = await open(html);
      const timed = hits.map((h, i) => [h, i] as const).filter(([h]) => h.time !== null);
      const marks = await page.$$eval('#timeline-chart .mark', (ms) => ms.map((m) => Number(m.getAttribute('data-i'))));
      expect(marks.sort((a, b) => a - b)).toEqual(timed.map(([, i]) => i));
      const lanes = await page.$$eval('#timeline-chart svg > text', (ts) => ts.map((t) => t.firstChild!.textContent));
      expect(lanes.length).toBe(new Set(timed.map(([h]) => h.rule)).size);
      await page.close();
    });

    it('brings a hit’s row into view and highlights it when its mark is clicked', async () => {
      const { page } = await open(html);
      // The latest hit: its row is far below the fold when the page opens.
      const i = hits.reduce((best, h, k) => (h.time !== null && h.time > (hits[best].time ?? '') ? k : best), 0);
      const row = `#hit-table tr.hit[data-i="${i}"]`;
      expect(await inViewport(page, row)).toBe(false);
      await page.locator(`#timeline-chart .mark[data-i="${i}"]`).click();
      expect(await inViewport(page, row)).toBe(true);
      expect(await page.$eval(row, (tr) => tr.classList.contains('current'))).toBe(true);
      expect(await page.$$eval('#hit-table tr.current', (trs) => trs.length)).toBe(1);
      await page.close();
    });

    it('sorts by a column when its header is clicked, and back the other way', async () => {
      const { page } = await open(html);
      const counts = () => page.$$eval('#hit-table tr.hit td.num', (tds) => tds.map((td) => Number(td.textContent)));
      await page.locator('#hit-table th[data-key="count"] button').click();
      const up = await counts();
      expect(up).toEqual([...up].sort((a, b) => a - b));
      expect(up[0]).toBeLessThan(up[up.length - 1]);
      await page.locator('#hit-table th[data-key="count"] button').click();
      expect(await counts()).toEqual([...up].sort((a, b) => b - a));
      await page.close();
    });

    it('filtering by a user leaves only that user’s hits, and the timeline dims the others', async () => {
      const { page } = await open(html);
      const user = 'maria.garcia';
      const want = hits.flatMap((h, i) => (h.target === user ? [i] : []));
      expect(want.length).toBeGreaterThan(1);
      expect(want.length).toBeLessThan(hits.length);
      await page.selectOption('#f-user', user);
      expect(await visibleRows(page)).toEqual(want);
      expect(await page.locator('#f-count').innerText()).toBe(`${want.length} of ${hits.length} hits`);
      const bright = await page.$$eval('#timeline-chart .mark:not(.dim)', (ms) => ms.map((m) => Number(m.getAttribute('data-i'))));
      expect(bright.sort((a, b) => a - b)).toEqual(want.filter((i) => hits[i].time !== null));

      // Free text narrows further: the one address the fatigue attack came from.
      await page.fill('#f-text', '198.51.100.23');
      await page.waitForFunction((n) => document.getElementById('f-count')!.textContent!.startsWith(`${n} of`), want.filter((i) => hits[i].sourceIPAddress === '198.51.100.23').length);
      expect((await visibleRows(page)).every((i) => hits[i].target === user && hits[i].sourceIPAddress === '198.51.100.23')).toBe(true);

      await page.click('#f-clear');
      expect((await visibleRows(page)).length).toBe(hits.length);
      await page.close();
    });

    it('builds a hit’s events and context only when it is unfolded, as key/value trees', async () => {
      const { page } = await open(html);
      expect(await page.locator('tr.detail').count()).toBe(0);
      const i = hits.findIndex((h) => h.rule === 'aws-console-login-mfa-failures');
      const hit = hits[i];
      await page.locator(`#hit-table tr.hit[data-i="${i}"] button.fold`).click();
      const detail = page.locator(`#hit-table tr.hit[data-i="${i}"] + tr.detail.loaded`);
      await detail.waitFor();
      expect(await detail.locator('details.event').count()).toBe(hit.events!.length);
      expect(await detail.locator('table.context tbody tr').count()).toBe(hit.context!.length);
      expect(await detail.locator('table.context tr.in-hit').count()).toBe(hit.context!.filter((c) => c.inHit).length);
      // The first event's userAgent, as a key and its value, not a JSON blob.
      const ua = String(hit.events![0].userAgent);
      const pair = await detail.locator('details.event').first().locator('dl.kv > dt', { hasText: /^userAgent$/ }).evaluate((dt) => dt.nextElementSibling!.textContent);
      expect(pair).toBe(ua);
      expect(await detail.innerText()).not.toContain('{"');
      // Folding and unfolding reuses what was built.
      await page.locator(`#hit-table tr.hit[data-i="${i}"] button.fold`).click();
      expect(await page.locator('tr.detail').count()).toBe(0);
      await page.locator(`#hit-table tr.hit[data-i="${i}"] button.fold`).click();
      expect(await detail.locator('details.event').count()).toBe(hit.events!.length);
      await page.close();
    });
  });

  it('pages a long table, and a mark still brings its row into view', async () => {
    const hits: ReportHit[] = Array.from({ length: 1200 }, (_, k) => ({
      rule: `rule-${k % 3}`,
      title: `Rule ${k % 3}`,
      severity: 'medium',
      time: new Date(Date.parse('2026-10-01T00:00:00Z') + k * 60_000).toISOString(),
      lastTime: new Date(Date.parse('2026-10-01T00:00:00Z') + k * 60_000).toISOString(),
      count: 1,
      group: {},
      account: '111122223333',
      region: 'us-east-1',
      actor: `user-${k}`,
      sourceIPAddress: '192.0.2.1',
      eventName: 'ConsoleLogin',
      eventIDs: [`id-${k}`],
      sources: ['s3://b/k'],
      target: `user-${k}`,
      fields: {},
    }));
    const { page, errors } = await open(
      renderReport({
        hits,
        coverage: {
          sources: ['s3://b'],
          window: { since: null, until: null },
          eventRange: { first: null, last: null },
          objects: { scanned: 1, skipped: [], failed: [] },
          rules: [],
          commandLine: [],
          version: 'test',
          generatedAt: '2026-10-09T00:00:00Z',
        },
      }),
    );
    expect(await page.locator('#hit-table tr.hit').count()).toBe(500);
    expect(await page.locator('#p-info').innerText()).toBe('rows 1–500 of 1200 (page 1 of 3)');
    await page.locator('#timeline-chart .mark[data-i="1100"]').dispatchEvent('click');
    expect(await page.locator('#p-info').innerText()).toBe('rows 1001–1200 of 1200 (page 3 of 3)');
    expect(await inViewport(page, '#hit-table tr.hit[data-i="1100"]')).toBe(true);
    await page.click('#p-prev');
    expect(await page.$eval('#hit-table tr.hit', (tr) => (tr as HTMLElement).dataset.i)).toBe('500');
    expect(errors).toEqual([]);
    await page.close();
  });

  describe('with hostile logs', () => {
    // Each payload would set window.__pwned if the page ever treated it as markup or code.
    const PAYLOADS = [
      '<img src=x onerror="window.__pwned=1">',
      '</script><script>window.__pwned=2</script>',
      '"><svg onload="window.__pwned=3">',
      '<!--<script>window.__pwned=4</script>-->',
      "'><iframe srcdoc='<script>parent.__pwned=5</script>'>",
      '<style>*{display:none}</style><a href="javascript:window.__pwned=6">',
    ];
    let n = 0;
    /** A payload tagged with where it was put, so the test can find each one on the page. */
    const bad = (where: string) => `${where}:${PAYLOADS[n++ % PAYLOADS.length]}`;
    const seen: string[] = [];
    const shown = (where: string) => {
      const s = bad(where);
      seen.push(s);
      return s;
    };

    function hostileInput(): ReportInput {
      n = 0;
      seen.length = 0;
      // The command line is shown shell-quoted, so its payload must not hold a quote to be found verbatim.
      const argv = `argv:${PAYLOADS[0]}`;
      seen.push(argv);
      const hit = (k: number, time: string | null): ReportHit => ({
        rule: shown(`rule${k}`),
        title: shown(`title${k}`),
        severity: shown(`severity${k}`),
        time,
        lastTime: time,
        count: 1,
        group: { [shown(`groupKey${k}`)]: shown(`groupValue${k}`) },
        account: shown(`account${k}`),
        region: shown(`region${k}`),
        actor: shown(`actor${k}`),
        sourceIPAddress: shown(`ip${k}`),
        eventName: shown(`eventName${k}`),
        eventIDs: [shown(`eventID${k}`)],
        sources: [shown(`source${k}`)],
        target: shown(`target${k}`),
        fields: { [shown(`fieldKey${k}`)]: shown(`fieldValue${k}`) },
        events: [
          {
            eventTime: shown(`eventTime${k}`),
            eventName: shown(`eventsName${k}`),
            userAgent: shown(`userAgent${k}`),
            userIdentity: { type: 'IAMUser', userName: shown(`userName${k}`) },
            [shown(`eventKey${k}`)]: { [shown(`nestedKey${k}`)]: [shown(`arrayValue${k}`), 1, null, true] },
            ['__proto__']: shown(`proto${k}`),
          },
        ],
        context: [
          {
            time: shown(`ctxTime${k}`),
            eventName: shown(`ctxEventName${k}`),
            eventSource: shown(`ctxEventSource${k}`),
            actor: shown(`ctxActor${k}`),
            target: shown(`ctxTarget${k}`),
            sourceIPAddress: shown(`ctxIP${k}`),
            errorCode: shown(`ctxError${k}`),
            eventID: shown(`ctxEventID${k}`),
            source: shown(`ctxSource${k}`),
            inHit: true,
          },
        ],
      });
      // One hit on the timeline, one whose time is itself a payload (so it is not drawn, only shown).
      const hits = [hit(0, '2026-10-06T09:12:05Z'), hit(1, shown('time1'))];
      return {
        hits,
        coverage: {
          sources: [shown('coverageSource')],
          window: { since: shown('since'), until: null },
          eventRange: { first: shown('first'), last: shown('last') },
          objects: {
            scanned: 3,
            skipped: [{ reason: shown('skipReason'), count: 1 }],
            failed: [{ ref: shown('failedRef'), reason: shown('failedReason') }],
          },
          rules: [{ name: shown('ruleName'), title: shown('ruleTitle'), level: shown('ruleLevel') }],
          warnings: [shown('warning')],
          commandLine: ['--source', argv],
          version: shown('version'),
          generatedAt: shown('generatedAt'),
        },
      };
    }

    async function check(html: string): Promise<void> {
      const { page, errors, requests } = await open(html);
      // Unfold everything, open every event, hover every mark: all lazy parts get built.
      for (const b of await page.locator('button.fold').all()) await b.click();
      await page.waitForFunction(() => document.querySelectorAll('tr.detail:not(.loaded)').length === 0);
      for (const d of await page.locator('details').all()) await d.evaluate((e) => ((e as HTMLDetailsElement).open = true));
      for (const m of await page.locator('.mark').all()) await m.hover();
      await page.locator('#hit-table th[data-key="rule"] button').click();
      // Filter by text, and wait until the (debounced) filter has redrawn the count.
      const filtered = page.evaluate(
        () => new Promise<void>((resolve) => new MutationObserver(() => resolve()).observe(document.getElementById('f-count')!, { childList: true, characterData: true, subtree: true })),
      );
      await page.fill('#f-text', 'script');
      await filtered;
      await page.click('#f-clear');

      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(2);
      expect(await page.locator('img, iframe, a, style, svg[onload]').count()).toBe(1); // the one <style> in <head>
      const handlers = await page.$$eval('*', (all) => all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)));
      expect(handlers).toEqual([]);
      const text = await page.evaluate(() => document.body.innerText);
      const missing = seen.filter((s) => !text.includes(s));
      expect(missing).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    }

    it('runs none of the payloads and shows every one as text', async () => {
      await check(renderReport(hostileInput()));
    });

    it('still runs none of them with the CSP taken out: the escaping holds on its own', async () => {
      const html = renderReport(hostileInput());
      const open = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n/, '');
      expect(open).not.toContain('Content-Security-Policy');
      await check(open);
    });

    it('keeps </script>, <!-- and U+2028 inside the data block', () => {
      const html = renderReport(hostileInput());
      const data = /<script type="application\/json" id="hunt-data">([\s\S]*?)<\/script>/.exec(html)![1];
      expect(data).not.toMatch(/[<>&\u2028\u2029]/);
      expect((JSON.parse(data) as { hits: unknown[] }).hits).toHaveLength(2);
      const line = renderReport({ ...hostileInput(), hits: [{ ...hostileInput().hits[0], title: 'a\u2028b\u2029c' }] });
      expect(line).toContain('a\\u2028b\\u2029c');
    });
  });
});
