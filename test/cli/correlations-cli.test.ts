// Correlations, generate, filters and load warnings as a user meets them on
// the command line, over samples/.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from '../helpers/cli.js';

const lines = (s: string): Record<string, unknown>[] => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const dir = mkdtempSync(join(tmpdir(), 'hunt-corr-cli-'));

describe('the correlations of the bundled pack on samples/', () => {
  it('a base rule picked alone produces no hits of its own (generate false), and a note says so', async () => {
    const run = await hunt(['--source', 'samples', '--format', 'ndjson', '--rule', 'aws-console-login-mfa-failure']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([]);
    expect(run.stderr).toMatch(/note: the rules selected are counted by correlations and produce no hits of their own/);
  });
  it('the chain and the MFA bypass fire on maria.garcia', async () => {
    const run = await hunt(['--source', 'samples', '--format', 'ndjson', '--rule', 'aws-mfa-*']);
    expect(lines(run.stdout).map((h) => [h.rule, h.time, h.count, h.group])).toEqual([
      ['aws-mfa-failures-then-login', '2026-10-06T09:12:05Z', 4, { recipientAccountId: '111122223333', 'userIdentity.userName': 'maria.garcia' }],
      ['aws-mfa-removed-then-login-without-mfa', '2026-10-06T10:05:31Z', 2, { recipientAccountId: '111122223333', user: 'maria.garcia' }],
    ]);
  });
  it('a filter in --rules tunes the pack without editing it: the spraying source allowed, the spraying hit is gone', async () => {
    const filter = join(dir, 'mf_allow_spray_source.yml');
    writeFileSync(filter, 'title: Allow the spray source\nlogsource:\n  product: aws\n  category: authentication\nfilter:\n  rules: [aws-console-login-failure]\n  known:\n    sourceIPAddress: 203.0.113.77\n  condition: not known\n');
    const before = await hunt(['--source', 'samples', '--format', 'ndjson', '--rules', 'rules', '--rule', 'aws-console-password-spraying']);
    expect(lines(before.stdout)).toHaveLength(1);
    const after = await hunt(['--source', 'samples', '--format', 'ndjson', '--rules', 'rules', '--rules', filter, '--rule', 'aws-console-password-spraying']);
    expect(after.code).toBe(0);
    expect(lines(after.stdout)).toEqual([]);
  });
  it('a misspelled group-by is exit 2 naming file and line', async () => {
    const rule = join(dir, 'typo.yml');
    writeFileSync(rule, 'title: C\nname: c\ncorrelation:\n  type: event_count\n  rules: [aws-console-login-failure]\n  group_by: [sourceIPAddress]\n  timespan: 1h\n  condition: {gte: 3}\n');
    const run = await hunt(['--source', 'samples', '--rules', 'rules', '--rules', rule]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/typo\.yml:6: unknown key 'group_by'.*did you mean 'group-by'\?/);
  });
  it('a rule on a field CloudTrail never writes loads with a warning naming file and line', async () => {
    const rule = join(dir, 'saml.yml');
    writeFileSync(rule, 'title: SAML provider deleted\nid: 6b1c2d3e-0000-4000-8000-000000000001\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventSource: iam.amazonaws.com\n    eventName: DeleteSAMLProvider\n    status: success\n  condition: selection\nlevel: medium\n');
    const run = await hunt(['--source', 'samples', '--rules', rule]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: .*saml\.yml:10: rule 'saml-provider-deleted' reads field 'status', which CloudTrail records do not have/);
  });
});
