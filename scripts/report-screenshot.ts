// `npm run report:screenshot`: regenerates docs/report.png, the picture of
// the HTML report that the README shows. It hunts the bundled samples with
// the built CLI (`--events --context 1h --report`), unfolds the MFA-fatigue
// hit, and takes a 1280-pixel-wide screenshot of the top of the page in
// headless chromium.
//
//   node dist/scripts/report-screenshot.js [out.png] [--html report.html]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './report/browser.js';
import { ROOT } from './report/samples.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const htmlAt = argv.indexOf('--html');
  const htmlOut = htmlAt >= 0 ? resolve(argv[htmlAt + 1]) : null;
  const positional = argv.filter((a, i) => a !== '--html' && i !== htmlAt + 1);
  // Not in samples/: a hunt over samples/ would list the picture as a skipped file.
  const out = resolve(positional[0] ?? join(ROOT, 'docs/report.png'));

  const dir = mkdtempSync(join(tmpdir(), 'hunt-report-'));
  // Named relative to the checkout, as a user would type it: the report shows its own command line.
  const named = 'hunt-report.html';
  const hunt = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/src/bin.js'), '--source', 'samples', '--events', '--context', '1h', '--report', named, '--format', 'ndjson', '--quiet'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (hunt.status !== 0) throw new Error(`hunt --report exited ${hunt.status} (is it built? npm run build)`);
  const file = htmlOut ?? join(dir, 'report.html');
  renameSync(join(ROOT, named), file);
  const html = readFileSync(file, 'utf8');

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-ready]');
    // Show one hit unfolded, so the picture shows the events and context too.
    await page.locator('tr.hit', { hasText: 'aws-console-login-mfa-failures' }).first().locator('button.fold').click();
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 2050 } });
    console.log(`wrote ${out} (${(html.length / 1024).toFixed(0)} KB of HTML)`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
