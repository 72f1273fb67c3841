// `--credential-report aws` with the real IAM client, stubbed at the
// transport: no IAM server exists locally, so IAM's XML answers are canned.

import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { fetchCredentialReport } from '../../src/posture/iam-report.js';

const CSV = 'user,arn,password_enabled,mfa_active\nalice,arn:aws:iam::123456789012:user/alice,true,false\n';
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Answer = { status: number; xml: string };

const generated = (state: string): Answer => ({
  status: 200,
  xml: `<GenerateCredentialReportResponse xmlns="${NS}"><GenerateCredentialReportResult><State>${state}</State></GenerateCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GenerateCredentialReportResponse>`,
});
const report: Answer = {
  status: 200,
  xml: `<GetCredentialReportResponse xmlns="${NS}"><GetCredentialReportResult><Content>${Buffer.from(CSV).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-20T10:00:00Z</GeneratedTime></GetCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCredentialReportResponse>`,
};
const denied: Answer = {
  status: 403,
  xml: `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:GenerateCredentialReport</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
};

/** An IAM client whose transport answers each action from a script, and records the actions asked. */
function stubbed(script: Record<string, Answer[]>): { client: IAMClient; actions: string[] } {
  const actions: string[] = [];
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { body?: unknown }) {
        const action = /Action=(\w+)/.exec(String(request.body))![1]!;
        actions.push(action);
        const queue = script[action]!;
        const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
        return {
          response: {
            statusCode: answer.status,
            reason: '',
            headers: { 'content-type': 'text/xml' },
            body: new TextEncoder().encode(answer.xml),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    } as never,
  });
  return { client, actions };
}

describe('fetchCredentialReport', () => {
  it('asks until the report is COMPLETE, then downloads and decodes it', async () => {
    const { client, actions } = stubbed({
      GenerateCredentialReport: [generated('STARTED'), generated('INPROGRESS'), generated('COMPLETE')],
      GetCredentialReport: [report],
    });
    expect(await fetchCredentialReport({}, { client, pollMs: 1 })).toBe(CSV);
    expect(actions).toEqual(['GenerateCredentialReport', 'GenerateCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
  });

  it('gives up after its timeout while IAM is still generating', async () => {
    const { client } = stubbed({ GenerateCredentialReport: [generated('INPROGRESS')], GetCredentialReport: [report] });
    const fetching = fetchCredentialReport({}, { client, pollMs: 5, timeoutMs: 30 });
    await expect(fetching).rejects.toThrow(UsageError);
    await expect(fetching).rejects.toThrow(/still generating the credential report after 0 s; try again in a few minutes/);
  });

  it('names the IAM actions it needs when access is denied', async () => {
    const { client } = stubbed({ GenerateCredentialReport: [denied], GetCredentialReport: [report] });
    await expect(fetchCredentialReport({}, { client })).rejects.toThrow(
      '--credential-report aws: access denied; the credentials need iam:GenerateCredentialReport and iam:GetCredentialReport (pick others with --profile)',
    );
  });
});
