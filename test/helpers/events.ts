// Small hand-made CloudTrail events for tests that need exact control.

import { gzipSync } from 'node:zlib';

let serial = 0;

export function event(fields: Record<string, unknown>): Record<string, unknown> {
  serial++;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' },
    eventTime: '2026-10-05T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-cli/2.15.0',
    eventID: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    recipientAccountId: '111122223333',
    ...fields,
  };
}

export const deactivate = (fields: Record<string, unknown> = {}) =>
  event({ eventName: 'DeactivateMFADevice', requestParameters: { userName: 'bob', serialNumber: 'arn:aws:iam::111122223333:mfa/bob' }, ...fields });

export const mfaFailure = (fields: Record<string, unknown> = {}) =>
  event({
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: 'Failure' },
    additionalEventData: { MFAUsed: 'Yes', LoginTo: 'https://console.aws.amazon.com/' },
    errorMessage: 'Failed authentication',
    ...fields,
  });

export const gz = (records: unknown[]) => gzipSync(JSON.stringify({ Records: records }));
