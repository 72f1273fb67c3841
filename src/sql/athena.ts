// Amazon Athena: start the hunt query, poll until it ends, page through the
// results. The client is the AWS SDK's (its own retries and credential chain);
// tests hand in a client whose transport is stubbed.

import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { UsageError } from '../errors.js';
import type { AthenaOptions } from '../options.js';
import type { Row } from './rows.js';

export function athenaClient(settings: { profile?: string }): AthenaClient {
  // The SDK's own chain: env, shared config and credentials files, SSO, instance roles.
  return new AthenaClient(settings.profile ? { profile: settings.profile } : {});
}

export interface AthenaRun {
  queryId: string;
  /** Bytes Athena scanned (what a query costs). */
  bytesScanned: number;
  rows: AsyncGenerator<Row[]>;
}

export interface PollOptions {
  /** First wait between polls; doubles up to maxDelayMs. */
  delayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one query to its end. A failed or cancelled query is a UsageError naming the query id and Athena's reason. */
export async function runAthenaQuery(client: AthenaClient, query: string, athena: AthenaOptions, poll: PollOptions = {}): Promise<AthenaRun> {
  const started = await client.send(
    new StartQueryExecutionCommand({
      QueryString: query,
      QueryExecutionContext: { Database: athena.database },
      WorkGroup: athena.workgroup,
      ResultConfiguration: athena.output ? { OutputLocation: athena.output } : undefined,
    }),
  );
  const queryId = started.QueryExecutionId;
  if (!queryId) throw new UsageError('Athena started no query (no QueryExecutionId in the answer)');
  let delay = poll.delayMs ?? 500;
  for (;;) {
    if (poll.signal?.aborted) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId })).catch(() => undefined);
      throw new UsageError(`Athena query ${queryId} stopped (interrupted)`);
    }
    const { QueryExecution: q } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
    const state = q?.Status?.State;
    if (state === 'SUCCEEDED') {
      return { queryId, bytesScanned: q?.Statistics?.DataScannedInBytes ?? 0, rows: pages(client, queryId) };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const why = q?.Status?.StateChangeReason ?? q?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      throw new UsageError(
        `Athena query ${queryId} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${why} — check --athena-database/--athena-table (create the table with 'hunt athena-ddl') and the workgroup`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, poll.maxDelayMs ?? 5_000);
  }
}

/** Result pages as rows keyed by lowercase column name (the first row of the first page is the header). */
async function* pages(client: AthenaClient, queryId: string): AsyncGenerator<Row[]> {
  let token: string | undefined;
  let names: string[] | undefined;
  let first = true;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken: token, MaxResults: 1000 }));
    names ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => (c.Name ?? '').toLowerCase());
    let data = page.ResultSet?.Rows ?? [];
    if (first) data = data.slice(1);
    first = false;
    yield data.map((r) => {
      const row: Row = {};
      (r.Data ?? []).forEach((d, i) => {
        row[names![i]!] = d.VarCharValue ?? null;
      });
      return row;
    });
    token = page.NextToken;
  } while (token);
}
