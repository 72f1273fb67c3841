// What every AWS client of hunt shares (S3 stores, IAM's credential report,
// Athena): the AWS CLI's credential chain and profile, an endpoint override,
// the SDK's own retries with backoff, explicit timeouts, and error
// descriptions a person understands, without secrets in them.

/** How to reach AWS. Plain data: it is sent to worker threads. */
export interface AwsSettings {
  /** `--endpoint-url`, for S3-compatible stores (path-style addressing then). */
  endpointUrl?: string;
  /** `--profile`; otherwise AWS_PROFILE or the default profile. */
  profile?: string;
  /** `--region` for the client; a bucket elsewhere is found by following the region redirect. */
  region?: string;
  /** Sockets per client (default 32). */
  maxSockets?: number;
}

/** The AWS settings of a hunt's options. */
export function awsSettings(opts: { profile?: string; endpointUrl?: string }): AwsSettings {
  return { ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}) };
}

/** Attempts per request, first try included: SlowDown, 5xx and network errors are retried with backoff. */
export const MAX_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** A body that stops flowing this long is abandoned (the socket is idle). */
const SOCKET_IDLE_MS = 60_000;
/** When nothing names a region, any will do: S3 redirects us to the bucket's own. */
const FALLBACK_REGION = 'us-east-1';

/**
 * The settings every SDK client of hunt is built with: profile, region,
 * standard retries, timeouts and a bounded socket pool.
 */
export function clientConfig(settings: AwsSettings) {
  const agent = { keepAlive: true, maxSockets: settings.maxSockets ?? 32 };
  return {
    ...(settings.profile ? { profile: settings.profile } : {}),
    region: settings.region ?? regionFromChain(settings.profile),
    retryMode: 'standard' as const,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      socketTimeout: SOCKET_IDLE_MS,
      httpAgent: agent,
      httpsAgent: agent,
    },
  };
}

/**
 * The region the AWS CLI would use (AWS_REGION, the profile's `region`), or a
 * fallback: unlike the CLI we need none, since the bucket's region is found
 * from the redirect.
 */
export function regionFromChain(profile: string | undefined): () => Promise<string> {
  let region: Promise<string> | undefined;
  return () => {
    // Any client resolves the chain; S3's is the one every AWS hunt loads anyway.
    region ??= import('@aws-sdk/client-s3')
      .then(({ S3Client }) => new S3Client(profile ? { profile } : {}).config.region())
      .then(
        (r) => r || FALLBACK_REGION,
        () => FALLBACK_REGION,
      );
    return region;
  };
}

/** What an SDK error says, in words a person understands, without any secret in it. */
export interface AwsFailure {
  /** The S3 error code (`AccessDenied`, `NoSuchKey`, `SlowDown`) or the network error code. */
  code: string;
  /** HTTP status when there was a response. */
  status?: number;
  /** Requests sent, retries included. */
  attempts: number;
  reason: string;
}

const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
]);

export function describeAwsError(err: unknown): AwsFailure {
  const e = (err ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts ?? 1;
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Error';
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  let reason: string;
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'InvalidToken') {
    reason = 'the credentials were rejected (unknown access key or wrong secret)';
  } else if (code === 'ExpiredToken' || code === 'ExpiredTokenException' || code === 'TokenRefreshRequired') {
    reason = 'the credentials have expired (aws sso login, or refresh the session)';
  } else if (code === 'AccessDenied' || code === 'AllAccessDisabled' || status === 403) {
    reason = 'access denied';
  } else if (code === 'NoSuchKey') {
    reason = 'no longer exists (deleted after it was listed?)';
  } else if (code === 'NoSuchBucket') {
    reason = 'no such bucket';
  } else if (code === 'InvalidObjectState') {
    reason = 'archived (S3 Glacier / Deep Archive): restore it before hunting it';
  } else if (code === 'SlowDown' || code === 'ThrottlingException' || code === 'Throttling' || status === 503) {
    reason = `S3 kept throttling (503 SlowDown)${after}`;
  } else if (code === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) {
    reason = 'no AWS credentials found (set --profile or AWS_PROFILE, or run aws sso login)';
  } else if (NETWORK.has(code) || (e.code !== undefined && NETWORK.has(e.code))) {
    reason = `network error (${e.code ?? code})${after}`;
  } else if (status !== undefined && status >= 500) {
    reason = `S3 answered ${status} ${code}${after}`;
  } else {
    reason = `${code}: ${e.message ?? 'unknown error'}${after}`;
  }
  return { code, ...(status !== undefined ? { status } : {}), attempts, reason: redactSecrets(reason) };
}

/**
 * Removes anything shaped like an access key id, a secret key or a session
 * token. SDK messages do not carry secrets today; this keeps it so if one
 * ever quotes a header or a profile.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b/g, '<access-key-id>')
    .replace(/[A-Za-z0-9/+=]{100,}/g, '<token>')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '<secret>');
}
