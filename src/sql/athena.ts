// Amazon Athena: start the hunt query, poll until it ends, page through the
// results one page at a time. The client is the AWS SDK's (its own retries
// and credential chain); tests hand in a client whose transport is stubbed.
//
// A query bills while it runs, so it is stopped (StopQueryExecution) on every
// way out that leaves it running or unread: an error, a throttled poll that
// gives up, Ctrl-C. Every failure Athena or the SDK can raise becomes a
// UsageError (exit 2) with one line of advice; Ctrl-C is an Interrupted the
// reader turns into exit 130 with the partial summary.

import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { MAX_ATTEMPTS, redactSecrets } from '../aws.js';
import { UsageError } from '../errors.js';
import type { AthenaOptions } from '../options.js';
import type { Row } from './rows.js';

export function athenaClient(settings: { profile?: string }): AthenaClient {
  // The SDK's own chain: env, shared config and credentials files, SSO, instance roles.
  // Athena has no region redirect: the region is the chain's, or an error with advice.
  return new AthenaClient({ ...(settings.profile ? { profile: settings.profile } : {}), retryMode: 'standard', maxAttempts: MAX_ATTEMPTS });
}

/** Ctrl-C while the query ran or its results were read: the query has been stopped. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

export interface PollOptions {
  /** First wait between polls; doubles up to maxDelayMs. */
  delayMs?: number;
  maxDelayMs?: number;
  /** Throttled calls in a row before giving up (each waits longer). */
  maxThrottled?: number;
  signal?: AbortSignal;
  /** Called once the query is started, with its id (for the summary). */
  started?: (queryId: string) => void;
}

export interface AthenaStats {
  queryId?: string;
  /** Bytes Athena scanned (what a query costs). */
  bytesScanned: number;
}

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded', 'SlowDown']);

function isThrottled(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLED.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/** Waits `ms`, or less when the signal fires. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * What went wrong in words a responder can act on: one line, the fix at its
 * end, no secret in it. `what` names the call ("starting the query").
 */
export function athenaError(err: unknown, athena: AthenaOptions, what: string): UsageError {
  if (err instanceof UsageError) return err;
  const e = (err ?? {}) as { name?: string; message?: string; Code?: string };
  const name = e.name ?? 'Error';
  const message = redactSecrets(String(e.message ?? err).split('\n')[0]!);
  let advice: string;
  if (/region is missing/i.test(message)) {
    return new UsageError(`Athena: no AWS region (${what}); set AWS_REGION or the region of --profile to the region of the Athena table`);
  } else if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new UsageError(`Athena: no AWS credentials found (${what}); use --profile, AWS_PROFILE or aws sso login`);
  } else if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || /security token included in the request is (invalid|expired)/i.test(message)) {
    advice = 'the credentials were rejected; use --profile, AWS_PROFILE or aws sso login';
  } else if (name === 'ExpiredTokenException' || /expired/i.test(name)) {
    advice = 'the credentials have expired; aws sso login, or refresh the session';
  } else if (/no output location/i.test(message)) {
    return new UsageError(
      `Athena: no place for query results (${what}); give --athena-output s3://<bucket>/<prefix>/ or a --athena-workgroup that sets a query result location`,
    );
  } else if (name === 'AccessDeniedException' || /not authorized|access denied/i.test(message)) {
    advice = `the credentials need athena:StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution and GetTableMetadata on workgroup ${athena.workgroup ?? 'primary'}, glue:GetTable on ${athena.database}.${athena.table}, s3:GetObject on the trail and s3:PutObject on the result location`;
  } else if (isThrottled(err)) {
    advice = 'Athena kept throttling the calls; wait a minute and run the hunt again';
  } else if (/workgroup/i.test(message)) {
    advice = 'check --athena-workgroup';
  } else {
    advice = 'check --athena-database, --athena-table (create the table with hunt athena-ddl), --athena-workgroup and --profile';
  }
  return new UsageError(`Athena: ${what} failed: ${name}: ${message}; ${advice}`);
}

/**
 * Runs one query and yields its result pages, each as rows keyed by
 * lowercase column name (the header row is left out). The query is stopped
 * unless it ended by itself and every page was read. A failed or cancelled
 * query is a UsageError with Athena's reason; Ctrl-C is an Interrupted.
 */
export async function* athenaPages(
  client: AthenaClient,
  query: string,
  athena: AthenaOptions,
  stats: AthenaStats,
  poll: PollOptions = {},
): AsyncGenerator<Row[]> {
  const signal = poll.signal;
  if (signal?.aborted) throw new Interrupted('interrupted before the query started');
  let queryId: string | undefined;
  let finished = false;
  let throttled = 0;
  const maxThrottled = poll.maxThrottled ?? 8;
  let delay = poll.delayMs ?? 500;
  const maxDelay = poll.maxDelayMs ?? 5_000;
  /** One call, retried with backoff while Athena throttles it (beyond the SDK's own retries). */
  const call = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const out = await send();
        throttled = 0;
        return out;
      } catch (err) {
        if (!isThrottled(err) || ++throttled > maxThrottled) throw athenaError(err, athena, what);
        await pause(Math.min(maxDelay * 4, (poll.delayMs ?? 500) * 2 ** throttled), signal);
        if (signal?.aborted) throw new Interrupted(`interrupted while ${what}`);
      }
    }
  };
  try {
    const started = await call('starting the query', () =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: query,
          QueryExecutionContext: { Database: athena.database },
          WorkGroup: athena.workgroup,
          ResultConfiguration: athena.output ? { OutputLocation: athena.output } : undefined,
        }),
      ),
    );
    queryId = started.QueryExecutionId;
    if (!queryId) throw new UsageError('Athena started no query (no QueryExecutionId in the answer)');
    stats.queryId = queryId;
    poll.started?.(queryId);
    for (;;) {
      if (signal?.aborted) throw new Interrupted(`Athena query ${queryId} interrupted while running`);
      const { QueryExecution: q } = await call('polling the query', () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId })));
      const state = q?.Status?.State;
      stats.bytesScanned = q?.Statistics?.DataScannedInBytes ?? stats.bytesScanned;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED') {
        finished = true;
        const why = q?.Status?.StateChangeReason ?? q?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
        throw new UsageError(
          `Athena query ${queryId} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${why} — check --athena-database/--athena-table (create the table with 'hunt athena-ddl') and the workgroup`,
        );
      }
      await pause(delay, signal);
      delay = Math.min(delay * 2, maxDelay);
    }
    let token: string | undefined;
    let names: string[] | undefined;
    let first = true;
    do {
      if (signal?.aborted) throw new Interrupted(`Athena query ${queryId} interrupted while its results were read`);
      const page = await call('reading the results', () =>
        client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken: token, MaxResults: 1000 })),
      );
      names ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => (c.Name ?? '').toLowerCase());
      let data = page.ResultSet?.Rows ?? [];
      if (first) data = data.slice(1);
      first = false;
      token = page.NextToken;
      yield data.map((r) => {
        const row: Row = {};
        (r.Data ?? []).forEach((d, i) => {
          row[names![i]!] = d.VarCharValue ?? null;
        });
        return row;
      });
    } while (token);
    finished = true;
  } finally {
    // Also reached when the consumer stops early (an error while scanning, return()).
    if (queryId && !finished) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })).catch(() => undefined);
    }
  }
}

/**
 * The table's projected accounts and regions (`projection.<key>.values`;
 * undefined when not an enum projection), or why they cannot be read. A
 * missing region or missing credentials stop the hunt here, before any query.
 */
export async function projectedValues(
  client: AthenaClient,
  athena: AthenaOptions,
): Promise<{ accounts?: string[]; regions?: string[] } | { error: string }> {
  try {
    const { TableMetadata: t } = await client.send(
      new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: athena.database, TableName: athena.table }),
    );
    const p = t?.Parameters ?? {};
    const list = (key: string) => (p[`projection.${key}.type`] === 'enum' && p[`projection.${key}.values`] ? p[`projection.${key}.values`]!.split(',').map((v) => v.trim()) : undefined);
    return { accounts: list('account'), regions: list('region') };
  } catch (err) {
    const failure = athenaError(err, athena, 'reading the table');
    if (/^Athena: no (AWS region|AWS credentials)/.test(failure.message)) throw failure;
    return { error: failure.message };
  }
}
