// One way to start the browser for the report's tests and scripts: Debian's
// chromium driven by playwright-core, which downloads no browser of its own.
// HUNT_CHROMIUM names another binary.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  return process.env.HUNT_CHROMIUM || '/usr/bin/chromium';
}

export function haveChromium(): boolean {
  return existsSync(chromiumPath());
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    // The rest keep the browser itself from reaching the network, so that the
    // only requests a test can see are the page's own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
