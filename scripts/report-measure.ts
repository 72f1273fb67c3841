// `npm run report:measure`: how long a big report takes to open in headless
// chromium. It renders a synthetic report of 10,000 hits (each with 3 whole
// events and a 10-event context), opens it from file:// three times, and
// prints the time from navigation start until the page is interactive (the
// script has drawn the table and charts and marked `hunt-report-ready`), then
// the cost of a few interactions on it. A measurement, not a test: the number
// depends on the machine.
//
//   node dist/scripts/report-measure.js [hits]      (default: 10000)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReport, type ReportHit, type ReportInput } from '../src/output/report.js';
import { launchChromium } from './report/browser.js';

const RULES: [string, string, string][] = [
  ['aws-console-login-mfa-failures', 'Repeated failed console sign-ins with MFA', 'high'],
  ['aws-iam-mfa-device-deactivated', 'IAM MFA device deactivated or deleted', 'medium'],
  ['aws-iam-mfa-device-enabled', 'IAM MFA device enabled', 'informational'],
  ['aws-console-login-without-mfa', 'Console sign-in without MFA', 'medium'],
  ['aws-iam-user-password-without-mfa', 'IAM user with a console password and no MFA device', 'high'],
];

/** A deterministic pseudo-random sequence, so every run measures the same file. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function syntheticInput(n: number): ReportInput {
  const rand = rng(42);
  const start = Date.parse('2026-09-01T00:00:00Z');
  const hits: ReportHit[] = [];
  for (let i = 0; i < n; i++) {
    const [rule, title, severity] = RULES[i % RULES.length];
    const account = String(100000000000 + Math.floor(rand() * 20) * 1111111);
    const user = `user.${Math.floor(rand() * 300)}`;
    const ip = `198.51.100.${Math.floor(rand() * 250)}`;
    const t0 = start + Math.floor(rand() * 30 * 864e5);
    const events = [0, 1, 2].map((k) => {
      const time = new Date(t0 + k * 60_000).toISOString().replace('.000Z', 'Z');
      return {
        eventVersion: '1.09',
        userIdentity: { type: 'IAMUser', principalId: `AIDA${i}X${k}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, userName: user },
        eventTime: time,
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        awsRegion: 'us-east-1',
        sourceIPAddress: ip,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:131.0) Gecko/20100101 Firefox/131.0',
        requestParameters: null,
        responseElements: { ConsoleLogin: 'Failure' },
        additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'Yes' },
        eventID: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-00000000000${k}`,
        readOnly: false,
        eventType: 'AwsConsoleSignIn',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
        tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'signin.aws.amazon.com' },
      };
    });
    const source = `s3://org-trail/AWSLogs/${account}/CloudTrail/us-east-1/2026/09/01/${account}_CloudTrail_us-east-1_20260901T0000Z_x${i}.json.gz`;
    hits.push({
      rule,
      title,
      severity,
      time: events[0].eventTime,
      lastTime: events[2].eventTime,
      count: 3,
      group: { recipientAccountId: account, 'userIdentity.userName': user },
      account,
      region: 'us-east-1',
      actor: user,
      sourceIPAddress: ip,
      eventName: 'ConsoleLogin',
      eventIDs: events.map((e) => e.eventID),
      sources: [source],
      target: user,
      fields: { 'additionalEventData.MFAUsed': 'Yes' },
      events,
      context: Array.from({ length: 10 }, (_, k) => ({
        time: new Date(t0 + (k - 4) * 60_000).toISOString().replace('.000Z', 'Z'),
        eventName: k >= 4 && k < 7 ? 'ConsoleLogin' : 'GetCallerIdentity',
        eventSource: k >= 4 && k < 7 ? 'signin.amazonaws.com' : 'sts.amazonaws.com',
        actor: user,
        target: user,
        sourceIPAddress: ip,
        errorCode: null,
        eventID: `${i.toString(16).padStart(8, '0')}-1111-4000-8000-0000000000${String(k).padStart(2, '0')}`,
        source,
        inHit: k >= 4 && k < 7,
      })),
    });
  }
  hits.sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : 0));
  return {
    hits,
    coverage: {
      sources: ['s3://org-trail'],
      window: { since: '2026-09-01T00:00:00Z', until: '2026-10-01T00:00:00Z' },
      eventRange: { first: hits[0]?.time ?? null, last: hits[hits.length - 1]?.lastTime ?? null },
      objects: { scanned: 250_000, skipped: [{ reason: 'CloudTrail-Digest folders', count: 30 }], failed: [] },
      rules: RULES.map(([name, title, level]) => ({ name, title, level })),
      commandLine: ['--source', 's3://org-trail', '--since', '2026-09-01', '--until', '2026-10-01', '--report', 'big.html'],
      version: 'measure',
      generatedAt: new Date().toISOString(),
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const input = syntheticInput(n);
  let t = performance.now();
  const html = renderReport(input);
  const renderMs = performance.now() - t;
  const dir = mkdtempSync(join(tmpdir(), 'hunt-report-measure-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const details = /"details":\[[^\]]*\]/.exec(html)?.[0].length ?? 0;
  console.log(
    `${n} hits: ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB of HTML (${(details / 1e6).toFixed(1)} MB of it gzipped events and context), ` +
      `rendered by renderReport in ${renderMs.toFixed(0)} ms`,
  );

  const browser = await launchChromium();
  try {
    const ready: number[] = [];
    const wall: number[] = [];
    const painted: number[] = [];
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      t = performance.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
      wall.push(performance.now() - t);
      // Milliseconds from navigation start, measured by the page itself.
      ready.push(await page.evaluate(() => performance.getEntriesByName('hunt-report-ready')[0].startTime));
      // The first frame after that (an upper bound: it also holds this round trip).
      painted.push(await page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()))))));
      if (run < 2) await page.close();
      else {
        const timings: Record<string, number> = await page.evaluate(() => {
          const time = (f: () => void) => {
            const t0 = performance.now();
            f();
            void document.body.offsetHeight; // include style and layout
            return Math.round(performance.now() - t0);
          };
          const click = (sel: string) => (document.querySelector(sel) as HTMLElement | SVGElement).dispatchEvent(new MouseEvent('click', { bubbles: true }));
          const user = document.getElementById('f-user') as HTMLSelectElement;
          return {
            'click the last timeline mark': time(() => click('#timeline-chart .mark:last-of-type')),
            'sort by rule': time(() => click('#hit-table th[data-key="rule"] button')),
            'filter by one user': time(() => {
              user.value = user.options[1].value;
              user.dispatchEvent(new Event('change'));
            }),
            'clear the filters': time(() => click('#f-clear')),
          };
        });
        // Unfolding inflates a chunk asynchronously: time it until the events are on the page.
        timings['unfold a hit, its chunk inflated (3 events, 10 context)'] = await page.evaluate(async () => {
          const t0 = performance.now();
          (document.querySelector('#hit-table tr.hit button.fold') as HTMLElement).click();
          while (!document.querySelector('tr.detail.loaded')) await new Promise((r) => setTimeout(r, 1));
          void document.body.offsetHeight;
          return Math.round(performance.now() - t0);
        });
        for (const [what, ms] of Object.entries(timings)) console.log(`  ${what}: ${ms} ms`);
        await page.close();
      }
    }
    console.log(`interactive after ${ready.map((x) => x.toFixed(0)).join(', ')} ms from navigation start (median ${median(ready).toFixed(0)} ms)`);
    console.log(`first frame after that: ${painted.map((x) => x.toFixed(0)).join(', ')} ms from navigation start`);
    console.log(`goto → ready seen by playwright: ${wall.map((x) => x.toFixed(0)).join(', ')} ms`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
