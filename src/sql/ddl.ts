// AWS's documented CloudTrail table for Athena, with partition projection
// (https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html):
// partitions by account, region and day, projected from the key layout so no
// partition is ever loaded, and every hunt prunes by them.

import { UsageError } from '../errors.js';
import { CLOUDTRAIL_COLUMNS, hiveType } from './schema.js';

export interface DdlOptions {
  /** s3://bucket[/prefix]: the folder that holds `AWSLogs/`. */
  bucket: string;
  /** Organization trail id (`o-...`): keys are AWSLogs/o-.../<account>/... */
  organization?: string;
  accounts: string[];
  regions: string[];
  database?: string;
  table: string;
  /** First day of the projection range, YYYY/MM/DD. */
  firstDay: string;
}

/**
 * Commercial regions CloudTrail delivers from (an enum projection needs them
 * listed; a region left out is invisible to every hunt, without an error).
 * `athena-ddl --from-bucket` lists the regions the trail really holds instead.
 */
export const DEFAULT_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2',
  'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2',
];

/** An AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An AWS region name as AWS forms them (us-east-1, us-gov-west-1, ap-southeast-7). */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** A Glue/Athena database or table name: lowercase letters, digits, underscores (Athena rejects hyphens in DDL names). */
const NAME = /^[a-z0-9_]{1,255}$/;

/** YYYY/MM/DD that is a real calendar day. */
function isDay(text: string): boolean {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A string literal of Hive DDL: everything printed inside quotes has been validated; the quote is escaped all the same. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Checks every input of the DDL; each bad one is a UsageError naming the flag and the form it takes. */
export function validateDdlOptions(o: DdlOptions): void {
  if (!/^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9!_.*()\/-]*)?$/.test(o.bucket)) {
    throw new UsageError(`--bucket ${JSON.stringify(o.bucket)}: give the trail's bucket as s3://bucket[/prefix]`);
  }
  if (o.accounts.length === 0) {
    throw new UsageError('athena-ddl needs --account (repeatable) or --from-bucket: partition projection lists the accounts');
  }
  for (const a of o.accounts) {
    if (!ACCOUNT_ID.test(a)) throw new UsageError(`--account ${JSON.stringify(a)}: an AWS account id is 12 digits`);
  }
  if (o.regions.length === 0) throw new UsageError('athena-ddl found no region to project: give --region');
  for (const r of o.regions) {
    if (!REGION_NAME.test(r)) throw new UsageError(`--region ${JSON.stringify(r)}: not an AWS region name such as us-east-1`);
  }
  if (o.organization !== undefined && !/^o-[a-z0-9]{10,32}$/.test(o.organization)) {
    throw new UsageError(`--organization ${JSON.stringify(o.organization)}: an organization id looks like o-abc1234567`);
  }
  if (o.database !== undefined && !NAME.test(o.database)) {
    throw new UsageError(`--database ${JSON.stringify(o.database)}: Athena database names are lowercase letters, digits and underscores (e.g. security_logs)`);
  }
  if (!NAME.test(o.table)) {
    throw new UsageError(`--table ${JSON.stringify(o.table)}: Athena table names are lowercase letters, digits and underscores (e.g. cloudtrail_logs)`);
  }
  if (!isDay(o.firstDay)) throw new UsageError(`--first-day ${JSON.stringify(o.firstDay)}: a day written YYYY/MM/DD, e.g. 2024/01/01`);
}

/** `s3://bucket/[prefix/]AWSLogs/[o-id/]`: where the account folders are. */
export function logsBase(bucket: string, organization?: string): string {
  const m = /^s3:\/\/([^/]+)(\/.*)?$/.exec(bucket)!;
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return `s3://${m[1]}/${prefix ? `${prefix}/` : ''}AWSLogs/${organization ? `${organization}/` : ''}`;
}

export function cloudTrailDdl(o: DdlOptions): string {
  validateDdlOptions(o);
  const base = logsBase(o.bucket, o.organization);
  const name = o.database ? `\`${o.database}\`.\`${o.table}\`` : `\`${o.table}\``;
  const columns = CLOUDTRAIL_COLUMNS.map(([n, t]) => `  ${n} ${hiveType(t)}`).join(',\n');
  return `CREATE EXTERNAL TABLE ${name} (
${columns}
)
PARTITIONED BY (account string, region string, \`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${quoted(base)}
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'=${quoted(o.accounts.join(','))},
  'projection.region.type'='enum',
  'projection.region.values'=${quoted(o.regions.join(','))},
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'=${quoted(`${o.firstDay},NOW`)},
  'storage.location.template'=${quoted(`${base}\${account}/CloudTrail/\${region}/\${timestamp}`)}
);
`;
}
