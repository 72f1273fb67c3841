// The install README describes: `npm install -g .` from the checkout puts
// `hunt` on PATH. End to end, into a scratch prefix, offline (npm links a
// folder install to the checkout, whose node_modules and dist/ are already
// there), then run from an unrelated folder so that nothing resolves
// relative to the checkout by accident.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'hunt-install-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm install -g from the checkout', () => {
  it('puts a working hunt in <prefix>/bin, runnable from any folder', () => {
    const prefix = path.join(scratch, 'prefix');
    const elsewhere = mkdtempSync(path.join(scratch, 'elsewhere-'));
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', ROOT], {
      cwd: elsewhere,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // npm's own cache in the scratch folder: the test leaves nothing behind.
      env: { ...process.env, npm_config_cache: path.join(scratch, 'npm-cache'), npm_config_update_notifier: 'false' },
      timeout: 120_000,
    });
    const bin = path.join(prefix, 'bin', 'hunt');
    const run = (...args: string[]) => execFileSync(bin, args, { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });

    const help = run('--help');
    expect(help).toMatch(/Hunt archived AWS CloudTrail logs for MFA abuse/);
    expect(help).toMatch(/--skip-unsupported/);
    // The installed command finds its bundled rules, wherever it is run from.
    expect(run('rules')).toMatch(/^aws-console-login-mfa-failure +high +detection/m);
  }, 180_000);
});
