// Rule handling from the command line: third-party rules named by their
// titles, `hunt rules`, --skip-unsupported, --min-level, --rule by title or
// id, and usage errors a person can act on.

import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EXAMPLES } from '../../src/cli.js';
import { hunt, lines, ROOT } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 60_000 });

const FIXTURES = path.join(ROOT, 'test/fixtures/sigmahq-like');
const NAMES = path.join(FIXTURES, 'names');
const UNSUPPORTED = path.join(FIXTURES, 'unsupported');
const TRAIL = path.join(FIXTURES, 'trail');
const ROOT_CONSOLE_ID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const ROOT_API_ID = '9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b';

const ndjson = (...args: string[]) => hunt(['--source', TRAIL, '--format', 'ndjson', '--workers', '1', ...args]);
const ruleOf = (stdout: string) => lines(stdout).map((h) => h.rule);

describe('third-party rules without a name', () => {
  it('are reported under a slug of their title in NDJSON and in the summary; colliding titles under their ids', async () => {
    const run = await ndjson('--rules', NAMES);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((h) => [h.rule, h.title, h.eventName])).toEqual([
      ['aws-cloudtrail-important-change', 'AWS CloudTrail Important Change', 'StopLogging'],
      ['aws-iam-mfa-device-deactivated', 'AWS IAM MFA Device Deactivated', 'DeactivateMFADevice'],
      ['aws-console-login-without-mfa', 'AWS Console Login Without MFA', 'ConsoleLogin'],
      [ROOT_CONSOLE_ID, 'AWS Root Account Activity', 'ConsoleLogin'],
      [ROOT_API_ID, 'AWS Root Account Activity', 'ListUsers'],
    ]);
    expect(run.stderr).toMatch(/hits: .*aws-cloudtrail-important-change 1/);
    expect(run.stderr).toMatch(/aws-iam-mfa-device-deactivated 1/);
    expect(run.stderr).toContain(`${ROOT_CONSOLE_ID} 1`);
  });

  it('give a colliding rule the same name whichever order the files come in', async () => {
    const api = path.join(NAMES, 'aws_root_activity_api.yml');
    const console = path.join(NAMES, 'aws_root_activity_console.yml');
    const a = await ndjson('--rules', api, '--rules', console);
    const b = await ndjson('--rules', console, '--rules', api);
    expect(a.stdout).toBe(b.stdout);
    expect(ruleOf(a.stdout)).toEqual([ROOT_CONSOLE_ID, ROOT_API_ID]);
  });
});

describe('--rule by title and by id, --min-level', () => {
  it('--rule takes a title, case-insensitively', async () => {
    const run = await ndjson('--rules', NAMES, '--rule', 'aws iam mfa device deactivated');
    expect(run.code).toBe(0);
    expect(ruleOf(run.stdout)).toEqual(['aws-iam-mfa-device-deactivated']);
  });

  it('--rule takes an id, also of a rule named by its title', async () => {
    const run = await ndjson('--rules', NAMES, '--rule', ROOT_API_ID, '--rule', '4db60cc0-36fb-42b7-9b58-a5b53019fb74');
    expect(ruleOf(run.stdout)).toEqual(['aws-cloudtrail-important-change', ROOT_API_ID]);
  });

  it('--rule still takes a name glob', async () => {
    expect(ruleOf((await ndjson('--rules', NAMES, '--rule', 'aws-c*')).stdout)).toEqual(['aws-cloudtrail-important-change', 'aws-console-login-without-mfa']);
  });

  it('--min-level high keeps high and critical rules only', async () => {
    const run = await ndjson('--rules', NAMES, '--min-level', 'high');
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((h) => [h.rule, h.severity])).toEqual([
      ['aws-iam-mfa-device-deactivated', 'high'],
      [ROOT_CONSOLE_ID, 'critical'],
    ]);
  });

  it('--min-level informational keeps everything; a level no rule reaches is a usage error', async () => {
    expect(lines((await ndjson('--rules', NAMES, '--min-level', 'INFORMATIONAL')).stdout)).toHaveLength(5);
    const none = await ndjson('--rules', path.join(NAMES, 'aws_console_login_without_mfa.yml'), '--min-level', 'medium');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no rules to run/);
  });

  it('--min-level with an unknown level is a usage error naming the levels', async () => {
    const run = await ndjson('--min-level', 'severe');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--min-level "severe": choose informational, low, medium, high, critical/);
  });

  it('--min-level applies to the bundled pack (the informational rule goes)', async () => {
    const all = await hunt(['--source', 'samples', '--format', 'ndjson', '--workers', '1']);
    const high = await hunt(['--source', 'samples', '--format', 'ndjson', '--workers', '1', '--min-level', 'medium']);
    expect(ruleOf(all.stdout)).toContain('aws-iam-mfa-device-enabled');
    expect(ruleOf(high.stdout)).not.toContain('aws-iam-mfa-device-enabled');
    expect(ruleOf(high.stdout)).toEqual(ruleOf(all.stdout).filter((r) => r !== 'aws-iam-mfa-device-enabled'));
  });
});

describe('hunt rules', () => {
  it('lists the bundled pack, one rule per line (name, level, kind, title), and exits 0', async () => {
    const run = await hunt(['rules']);
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split('\n').map((l) => l.split(/ {2,}/));
    expect(rows).toContainEqual(['aws-console-login-mfa-failures', 'high', 'correlation', 'Repeated failed console sign-ins with MFA']);
    expect(rows).toContainEqual(['aws-iam-mfa-device-enabled', 'informational', 'detection', 'IAM MFA device enabled']);
    expect(rows).toContainEqual(['aws-iam-user-mfa', 'medium', 'posture', 'IAM user with a console password and MFA not active']);
    expect(rows).toHaveLength(20);
    expect(run.stderr).toBe('hunt: 20 rule(s) load\n');
  });

  it('lists third-party rules under the names a hunt gives them', async () => {
    const run = await hunt(['rules', '--rules', NAMES]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(/ {2,}/)[0])).toEqual([
      'aws-cloudtrail-important-change',
      'aws-console-login-without-mfa',
      'aws-iam-mfa-device-deactivated',
      ROOT_API_ID,
      ROOT_CONSOLE_ID,
    ]);
  });

  it('names both bad rules with file and line, lists the good ones, and exits 2 without hunting', async () => {
    const run = await hunt(['rules', '--rules', UNSUPPORTED]);
    expect(run.code).toBe(2);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(/ {2,}/)[0])).toEqual(['aws-cloudtrail-trail-stopped', 'aws-iam-access-key-created']);
    expect(run.stderr).toMatch(/error: .*aws_console_login_brute_force\.yml:14: 'timeframe' belongs to old-style aggregations/);
    expect(run.stderr).toMatch(/error: .*aws_keyword_stoplogging\.yml:11: selection 'keywords' is a keyword search/);
    expect(run.stderr).not.toMatch(/scanned/);
  });

  it('with --skip-unsupported, reports them as warnings and exits 0', async () => {
    const run = await hunt(['rules', '--rules', UNSUPPORTED, '--skip-unsupported']);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/warning: .*\.yml:\d+: /g)).toHaveLength(2);
  });

  it('filters the listing with --rule and --min-level', async () => {
    // aws-console-login-failure (low) and aws-console-password-spraying (medium) fall below the level.
    const run = await hunt(['rules', '--min-level', 'high', '--rule', 'aws-console-*']);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(/ {2,}/)[0])).toEqual(['aws-console-login-mfa-failure', 'aws-console-login-mfa-failures', 'aws-console-login-without-mfa']);
  });

  it('escapes control characters of a hostile rule file in the listing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'hunt-rules-cmd-'));
    writeFileSync(path.join(dir, 'evil.yml'), 'title: "Evil \\e[2J title"\nname: "evil\\e]0;pwned\\a"\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: x\n  condition: s\n');
    const run = await hunt(['rules', '--rules', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(run.stdout).toContain('evil\\x1b]0;pwned\\x07');
  });
});

describe('--skip-unsupported', () => {
  it('hunts with the good rules and warns about each rule left out, with file, line and reason', async () => {
    const run = await ndjson('--rules', UNSUPPORTED, '--skip-unsupported');
    expect(run.code).toBe(0);
    expect(ruleOf(run.stdout)).toEqual(['aws-cloudtrail-trail-stopped', 'aws-iam-access-key-created']);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('hunt: warning:'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/aws_console_login_brute_force\.yml:14: .*old-style aggregations.*left out/);
    expect(warnings[1]).toMatch(/aws_keyword_stoplogging\.yml:11: .*keyword search.*left out/);
  });

  it('without it, the hunt stops with exit 2, naming both and suggesting --skip-unsupported and hunt rules', async () => {
    const run = await ndjson('--rules', UNSUPPORTED);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error: .*aws_console_login_brute_force\.yml:14/);
    expect(run.stderr).toMatch(/error: .*aws_keyword_stoplogging\.yml:11/);
    const last = run.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/--skip-unsupported/);
    expect(last).toContain(`hunt rules --rules ${UNSUPPORTED}`);
  });

  it('does not skip a rule that is wrong rather than unsupported', async () => {
    const { mkdtempSync, writeFileSync, cpSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(path.join(tmpdir(), 'hunt-skip-'));
    cpSync(UNSUPPORTED, dir, { recursive: true });
    writeFileSync(path.join(dir, 'broken.yml'), 'title: [unclosed\n');
    const run = await ndjson('--rules', dir, '--skip-unsupported');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error: .*broken\.yml:2: invalid YAML/);
    expect(run.stderr).toMatch(/fix the rule file\(s\) named above/);
  });
});

describe('usage errors', () => {
  const usage = async (args: string[]) => {
    const run = await hunt(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const stderr = run.stderr.split('\n').filter(Boolean);
    expect(stderr).toHaveLength(1); // one clean line
    return stderr[0]!;
  };

  it('a misspelled flag names the nearest one', async () => {
    expect(await usage(['--sourc', 'samples'])).toBe('hunt: unknown flag --sourc — did you mean --source?');
    expect(await usage(['--source', 'samples', '--min-levle', 'high'])).toMatch(/unknown flag --min-levle — did you mean --min-level\?/);
    expect(await usage(['--source', 'samples', '--no-progres'])).toMatch(/did you mean --no-progress\?/);
    expect(await usage(['--source', 'samples', '--skip-unsuported'])).toMatch(/did you mean --skip-unsupported\?/);
  });

  it('a long flag with one dash says so', async () => {
    expect(await usage(['-source', 'samples'])).toMatch(/unknown flag -source: long flags take two dashes — did you mean --source\?/);
  });

  it('a flag nothing is near points at --help rather than guessing', async () => {
    expect(await usage(['--source', 'samples', '--zzzzzzzz'])).toMatch(/unknown flag --zzzzzzzz — hunt --help lists the flags/);
  });

  it('a stray word is named as such', async () => {
    expect(await usage(['samples'])).toMatch(/unexpected argument "samples"/);
  });

  it('--rule without a value is an error, not a silent no-op, wherever it stands', async () => {
    expect(await usage(['--source', 'samples', '--rule'])).toMatch(/--rule needs a value/);
    expect(await usage(['--rule', '--source', 'samples'])).toMatch(/--rule needs a value/);
    expect(await usage(['--source', 'samples', '--rule='])).toMatch(/--rule needs a value/);
    expect(await usage(['--source', 'samples', '--rule', ' '])).toMatch(/--rule needs a rule name \(glob\), title or id/);
  });

  it('other string and number flags without a value too', async () => {
    expect(await usage(['--source', 'samples', '--since'])).toMatch(/--since needs a value/);
    expect(await usage(['--source', 'samples', '--workers'])).toMatch(/--workers needs a value/);
    expect(await usage(['--source'])).toMatch(/--source needs a value/);
  });

  it('the subcommands suggest too', async () => {
    expect(await usage(['rules', '--rule-s', 'x'])).toMatch(/unknown flag --rule-s — did you mean --rules\?/);
    expect(await usage(['rules', '--rules'])).toMatch(/--rules needs a value — hunt rules --help/);
  });
});

describe('the --help jq recipe', () => {
  const hasJq = spawnSync('jq', ['--version']).status === 0;

  it.skipIf(!hasJq)('prints attacker-controlled fields without any control character reaching the terminal', async () => {
    // yargs wraps the example on --help: read it from the examples the help is made of.
    const recipe = EXAMPLES.map(([command]) => /\| jq -r '([^']+)'/.exec(command)).find((m) => m !== null);
    expect(recipe).toBeDefined();
    const hostile = JSON.stringify({
      rule: 'aws-console-login-mfa-failures',
      time: '2026-10-06T09:12:05Z',
      actor: 'maria\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil\r\x7f',
      count: 3,
    });
    const out = execFileSync('jq', ['-r', recipe![1]!], { input: `${hostile}\n`, encoding: 'utf8' });
    expect(out).toMatch(/^2026-10-06T09:12:05Z\tmaria/);
    expect(out.trimEnd()).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out.trimEnd().split('\t')).toHaveLength(3);
    expect((await hunt(['--help'])).stdout).toContain('gsub("\\\\p{C}"; "?"))');
  });
});
