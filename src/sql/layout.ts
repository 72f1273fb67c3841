// The accounts and regions a trail bucket really holds, for `athena-ddl
// --from-bucket`: an enum projection sees only the values it lists, so a
// region enabled later or an account added to the organization after the
// table was made are invisible to Athena, without an error. Reading them from
// the bucket's own layout costs one delimiter LIST per level (the AWSLogs
// folder, then each account's CloudTrail folder), never a listing of objects.

import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from '../aws.js';
import { UsageError } from '../errors.js';
import { ACCOUNT_ID, REGION_NAME } from './ddl.js';

export interface Layout {
  accounts: string[];
  regions: string[];
  /** Organization folders (`o-...`) met where account folders were expected: the trail is an organization trail. */
  organizations: string[];
  /** LIST requests sent. */
  lists: number;
}

/** Child folder names of `prefix` (one delimiter listing, paged). */
async function folders(client: S3Client, bucket: string, prefix: string, counter: { lists: number }): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    counter.lists++;
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
    for (const p of page.CommonPrefixes ?? []) {
      if (p.Prefix) names.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return names;
}

/** Lists `s3://bucket/[prefix/]AWSLogs/[o-id/]` for accounts, then each account's CloudTrail folder for regions. */
export async function trailLayout(client: S3Client, base: string): Promise<Layout> {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(base)!;
  const bucket = m[1]!;
  const prefix = m[2]!;
  const counter = { lists: 0 };
  try {
    const top = await folders(client, bucket, prefix, counter);
    const accounts = top.filter((n) => ACCOUNT_ID.test(n)).sort();
    const organizations = top.filter((n) => /^o-[a-z0-9]{10,32}$/.test(n)).sort();
    const regions = new Set<string>();
    for (const account of accounts) {
      for (const r of await folders(client, bucket, `${prefix}${account}/CloudTrail/`, counter)) {
        if (REGION_NAME.test(r)) regions.add(r);
      }
    }
    return { accounts, regions: [...regions].sort(), organizations, lists: counter.lists };
  } catch (err) {
    const failure = describeAwsError(err);
    throw new UsageError(`--from-bucket: cannot list ${base}: ${failure.reason}; the credentials need s3:ListBucket on arn:aws:s3:::${bucket} (pick others with --profile)`);
  }
}
