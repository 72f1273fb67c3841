// `--credential-report aws`: the IAM credential report, live. IAM builds it on
// request (at most every 4 hours) and takes a few seconds to minutes for a
// large account, so we ask for it until it is COMPLETE, then download it.

import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { UsageError } from '../errors.js';
import { describeAwsError, MAX_ATTEMPTS, regionFromChain, type AwsSettings } from '../aws.js';

export interface CredentialReportOptions {
  /** A ready client (tests stub its transport); otherwise one is made from the settings. */
  client?: IAMClient;
  /** First wait between polls; doubles up to 8 s. */
  pollMs?: number;
  /** Give up after this long. */
  timeoutMs?: number;
}

const REFERENCE = '--credential-report aws';
const NEEDED = 'iam:GenerateCredentialReport and iam:GetCredentialReport';

/** The credential report as CSV text, as `aws iam get-credential-report` gives it base64-decoded. */
export async function fetchCredentialReport(settings: AwsSettings, options: CredentialReportOptions = {}): Promise<string> {
  // IAM is global: --endpoint-url names an S3 store, not IAM, and is not used here.
  const client =
    options.client ??
    new IAMClient({
      ...(settings.profile ? { profile: settings.profile } : {}),
      region: settings.region ?? regionFromChain(settings.profile),
      retryMode: 'standard',
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000, throwOnRequestTimeout: true },
    });
  const timeoutMs = options.timeoutMs ?? 300_000;
  let waitMs = options.pollMs ?? 1_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const generated = await client.send(new GenerateCredentialReportCommand({}));
      if (generated.State === 'COMPLETE') {
        try {
          const report = await client.send(new GetCredentialReportCommand({}));
          if (!report.Content) throw new UsageError(`${REFERENCE}: IAM returned an empty credential report; try again`);
          return new TextDecoder().decode(report.Content);
        } catch (err) {
          // Regenerated between our two calls (or expired): ask again.
          if (!isNotReady(err)) throw err;
        }
      }
      if (Date.now() + waitMs > deadline) {
        throw new UsageError(
          `${REFERENCE}: IAM was still generating the credential report after ${Math.round(timeoutMs / 1000)} s; try again in a few minutes, or pass the CSV of aws iam get-credential-report as a file`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      waitMs = Math.min(waitMs * 2, 8_000);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const failure = describeAwsError(err);
    if (failure.reason === 'access denied') {
      throw new UsageError(`${REFERENCE}: access denied; the credentials need ${NEEDED} (pick others with --profile)`);
    }
    throw new UsageError(`${REFERENCE}: cannot get the IAM credential report: ${failure.reason}; check --profile and the network`);
  } finally {
    if (!options.client) client.destroy();
  }
}

function isNotReady(err: unknown): boolean {
  const name = (err as { name?: string }).name ?? '';
  return /ReportInProgress|ReportNotPresent|ReportExpired|CredentialReport(NotReady|NotPresent|Expired)/.test(name);
}
