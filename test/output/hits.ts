// Hits made by hand for the output tests.

import type { ContextEvent, Hit } from '../../src/model.js';

export function hit(fields: Partial<Hit> = {}): Hit {
  return {
    rule: 'aws-console-login-mfa-failures',
    title: 'Unsuccessful console sign-ins with MFA',
    severity: 'high',
    time: '2026-10-06T09:12:05Z',
    lastTime: '2026-10-06T09:20:41Z',
    count: 3,
    group: { recipientAccountId: '111122223333', 'userIdentity.userName': 'maria.garcia' },
    account: '111122223333',
    region: 'us-east-1',
    actor: 'maria.garcia',
    sourceIPAddress: '198.51.100.23',
    eventName: 'ConsoleLogin',
    eventIDs: ['e1', 'e2', 'e3'],
    sources: ['samples/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/06/a.json.gz'],
    target: null,
    fields: {},
    ...fields,
  };
}

export function contextEvent(fields: Partial<ContextEvent> = {}): ContextEvent {
  return {
    time: '2026-10-06T09:10:00Z',
    eventName: 'GetCallerIdentity',
    eventSource: 'sts.amazonaws.com',
    actor: 'maria.garcia',
    target: null,
    sourceIPAddress: '198.51.100.23',
    errorCode: null,
    eventID: 'c1',
    source: 'samples/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/06/a.json.gz',
    inHit: false,
    ...fields,
  };
}

/** A 113-character assumed-role ARN, as IAM Identity Center writes them. */
export const LONG_ROLE_ARN = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe12@example.com';

/** The hits a person would meet, with the awkward ones among them. */
export function variedHits(): Hit[] {
  return [
    hit(),
    hit({
      rule: 'aws-iam-user-password-without-mfa',
      severity: 'medium',
      actor: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/ops.kim',
      target: 'arn:aws:iam::111122223333:user/maria.garcia',
      eventName: 'CreateLoginProfile',
      count: 2,
    }),
    hit({ rule: 'aws-iam-mfa-device-deactivated', severity: 'critical', actor: LONG_ROLE_ARN, target: 'bob', sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' }),
    hit({ rule: 'aws-iam-mfa-device-enabled', severity: 'informational', actor: '東京'.repeat(40), region: 'ap-northeast-1' }),
    hit({ rule: 'x\u001b[2J\u001b[32mhunt: 0 hits, all clear', severity: 'low', title: 'evil\u009b31m', actor: 'bob\r\u202eevil' }),
    hit({
      rule: 'aws-iam-user-mfa',
      severity: 'medium',
      time: null,
      lastTime: null,
      count: 1,
      eventIDs: [],
      actor: null,
      target: 'deploy-bot',
      sourceIPAddress: null,
      eventName: null,
      region: null,
    }),
  ];
}
