// The S3 client, built the same way on the main thread (listing) and in each
// worker (GetObject): the AWS CLI's credential chain and profile, region
// redirects followed, path-style addressing for --endpoint-url, the SDK's own
// retries with backoff, explicit timeouts and a bounded socket pool.

import { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../errors.js';

/** How to reach S3. Plain data: it is sent to worker threads. */
export interface S3Settings {
  /** `--endpoint-url`, for S3-compatible stores (path-style addressing then). */
  endpointUrl?: string;
  /** `--profile`; otherwise AWS_PROFILE or the default profile. */
  profile?: string;
  /** `--region` for the client; a bucket elsewhere is found by following the region redirect. */
  region?: string;
  /** Sockets per client (default 32). */
  maxSockets?: number;
}

/** Attempts per request, first try included: SlowDown, 5xx and network errors are retried with backoff. */
export const MAX_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** A body that stops flowing this long is abandoned (the socket is idle). */
const SOCKET_IDLE_MS = 60_000;
/** When nothing names a region, any will do: S3 redirects us to the bucket's own. */
const FALLBACK_REGION = 'us-east-1';

export function makeS3Client(settings: S3Settings): S3Client {
  const agent = { keepAlive: true, maxSockets: settings.maxSockets ?? 32 };
  return new S3Client({
    ...(settings.profile ? { profile: settings.profile } : {}),
    region: settings.region ?? regionFromChain(settings.profile),
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl, forcePathStyle: true } : {}),
    followRegionRedirects: true,
    retryMode: 'standard',
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      socketTimeout: SOCKET_IDLE_MS,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
}

/**
 * The region the AWS CLI would use (AWS_REGION, the profile's `region`), or a
 * fallback: unlike the CLI we need none, since the bucket's region is found
 * from the redirect.
 */
export function regionFromChain(profile: string | undefined): () => Promise<string> {
  let region: Promise<string> | undefined;
  return () => {
    region ??= new S3Client(profile ? { profile } : {}).config.region().then(
      (r) => r || FALLBACK_REGION,
      () => FALLBACK_REGION,
    );
    return region;
  };
}

/**
 * `s3://bucket[/prefix]` → bucket and prefix (as written, without the leading
 * slash). Throws a UsageError naming `--source` and the fix.
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(url);
  if (!match) throw new UsageError(`--source ${url}: not an S3 URL; write s3://bucket or s3://bucket/prefix`);
  const bucket = match[1]!;
  const prefix = match[2]!;
  if (!bucket) throw new UsageError(`--source ${url}: no bucket name; write s3://bucket or s3://bucket/prefix`);
  const problem = bucketNameProblem(bucket);
  if (problem) throw new UsageError(`--source ${url}: "${bucket}" is not a bucket name (${problem}); write s3://bucket[/prefix]`);
  if (/[?#]/.test(prefix)) {
    throw new UsageError(`--source ${url}: an S3 prefix has no query or fragment; write s3://bucket/prefix`);
  }
  if (prefix.startsWith('/')) {
    throw new UsageError(`--source ${url}: the prefix starts with "/"; write s3://${bucket}/${prefix.replace(/^\/+/, '')}`);
  }
  return { bucket, prefix };
}

/** S3's bucket naming rules, as a reason when broken. */
function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'it must be 3 to 63 characters long';
  if (/[A-Z]/.test(name)) return 'bucket names are lowercase';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'only lowercase letters, digits, dots and hyphens are allowed';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'it must begin and end with a letter or digit';
  if (name.includes('..')) return 'it has two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'it is formatted like an IP address';
  return undefined;
}

/** What an SDK error says, in words a person understands, without any secret in it. */
export interface S3Failure {
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

export function describeS3Error(err: unknown): S3Failure {
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
