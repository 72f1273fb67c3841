import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { credentialReportHits } from '../../src/posture/credential-report.js';
import { postureRule } from '../fixtures/merge/events.js';

const FILE = 'test/fixtures/posture/credential-report.csv';
const report = readFileSync(new URL('../fixtures/posture/credential-report.csv', import.meta.url), 'utf8');
const rule = postureRule();
const HEADER = report.split('\n')[0]!;
const rowOf = (user: string) => report.split('\n').find((l) => l.startsWith(`${user},`))!;
const usersOf = (csv: string) => credentialReportHits(csv, rule, FILE).map((h) => h.actor);

describe('credential report (aws-iam-user-mfa)', () => {
  // Panther AWS.IAM.User.MFA's four test resources (seed 000) and CloudGuard D9.AWS.IAM.02 (seed 001):
  // only a user with a password and no active MFA fails the policy.
  it('Password Enabled, MFA Disabled: a hit', () => {
    expect(usersOf(`${HEADER}\n${rowOf('bobert-password-enabled-mfa-disabled')}\n`)).toEqual(['bobert-password-enabled-mfa-disabled']);
  });

  it('Password Disabled, MFA Disabled: no hit', () => {
    expect(usersOf(`${HEADER}\n${rowOf('bobert-password-disabled-mfa-disabled')}\n`)).toEqual([]);
  });

  it('Password Disabled, MFA Enabled: no hit', () => {
    expect(usersOf(`${HEADER}\n${rowOf('bobert-password-disabled-mfa-enabled')}\n`)).toEqual([]);
  });

  it('Password Enabled, MFA Enabled: no hit', () => {
    expect(usersOf(`${HEADER}\n${rowOf('bobert-password-enabled-mfa-enabled')}\n`)).toEqual([]);
  });

  it('the root row (password_enabled not_supported) is no hit', () => {
    expect(usersOf(`${HEADER}\n${rowOf('<root_account>')}\n`)).toEqual([]);
  });

  it('the whole report: one hit, shaped as the NDJSON contract says', () => {
    const hits = credentialReportHits(report, rule, FILE);
    expect(hits).toEqual([
      {
        rule: 'aws-iam-user-mfa',
        title: 'IAM user with a console password and MFA not active',
        severity: 'high',
        time: null,
        lastTime: null,
        count: 1,
        group: { user: 'bobert-password-enabled-mfa-disabled', arn: 'arn:aws:iam::123456789012:user/bobert-password-enabled-mfa-disabled' },
        account: '123456789012',
        region: null,
        actor: 'bobert-password-enabled-mfa-disabled',
        sourceIPAddress: null,
        eventName: null,
        eventIDs: [],
        sources: [FILE],
        target: 'bobert-password-enabled-mfa-disabled',
        fields: {},
      },
    ]);
    expect(Object.keys(hits[0]!)).toEqual([
      'rule', 'title', 'severity', 'time', 'lastTime', 'count', 'group',
      'account', 'region', 'actor', 'sourceIPAddress', 'eventName', 'eventIDs', 'sources', 'target', 'fields',
    ]);
  });

  it('TRUE/FALSE compare case-insensitively', () => {
    const row = rowOf('bobert-password-enabled-mfa-disabled').replace(',true,', ',TRUE,').replace(',false,', ',False,');
    expect(usersOf(`${HEADER}\n${row}\n`)).toEqual(['bobert-password-enabled-mfa-disabled']);
  });

  it('a BOM and CRLF line ends are tolerated', () => {
    const crlf = `\uFEFF${report.replace(/\n/g, '\r\n')}`;
    expect(credentialReportHits(crlf, rule, FILE)).toEqual(credentialReportHits(report, rule, FILE));
  });

  it('an ARN in another partition still gives the account; a path in the ARN is fine', () => {
    const row = rowOf('bobert-password-enabled-mfa-disabled').replace('arn:aws:iam::123456789012:user/', 'arn:aws-us-gov:iam::210987654321:user/ops/');
    expect(credentialReportHits(`${HEADER}\n${row}\n`, rule, FILE)[0]!.account).toBe('210987654321');
  });

  it('hits are sorted by group whatever the row order', () => {
    const a = rowOf('bobert-password-enabled-mfa-disabled');
    const b = a.replaceAll('bobert-password-enabled-mfa-disabled', 'alice');
    expect(usersOf(`${HEADER}\n${a}\n${b}\n`)).toEqual(['alice', 'bobert-password-enabled-mfa-disabled']);
  });

  it('a file that is not a credential report is a usage error naming the file and the missing column', () => {
    expect(() => credentialReportHits('{"Records": []}\n', rule, 'logs/x.json')).toThrow(UsageError);
    expect(() => credentialReportHits('{"Records": []}\n', rule, 'logs/x.json')).toThrow(/logs\/x\.json.*"user"/);
    const noMfa = 'user,arn,password_enabled\nbob,arn:aws:iam::1:user/bob,true\n';
    expect(() => credentialReportHits(noMfa, rule, 'r.csv')).toThrow(/r\.csv.*"mfa_active"/);
    expect(() => credentialReportHits('', rule, 'empty.csv')).toThrow(/empty\.csv.*"user"/);
  });

  it('a header-only report gives no hits', () => {
    expect(credentialReportHits(`${HEADER}\n`, rule, FILE)).toEqual([]);
  });
});
