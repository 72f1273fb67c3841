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

/** Commercial regions CloudTrail delivers from (an enum projection needs them listed). */
export const DEFAULT_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

export function cloudTrailDdl(o: DdlOptions): string {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(o.bucket);
  if (!m) throw new UsageError(`--bucket ${o.bucket}: give the trail's bucket as s3://bucket[/prefix]`);
  if (o.accounts.length === 0) throw new UsageError('athena-ddl needs --account (repeatable): partition projection lists the accounts');
  if (o.organization !== undefined && !/^o-[a-z0-9]{10,32}$/.test(o.organization)) {
    throw new UsageError(`--organization ${o.organization}: an organization id looks like o-abc1234567`);
  }
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(o.firstDay)) throw new UsageError(`--first-day ${o.firstDay}: write it YYYY/MM/DD`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  const base = `s3://${m[1]}/${prefix ? `${prefix}/` : ''}AWSLogs/${o.organization ? `${o.organization}/` : ''}`;
  const name = o.database ? `${o.database}.${o.table}` : o.table;
  const columns = CLOUDTRAIL_COLUMNS.map(([n, t]) => `  ${n} ${hiveType(t)}`).join(',\n');
  return `CREATE EXTERNAL TABLE ${name} (
${columns}
)
PARTITIONED BY (account string, region string, \`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${base}'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'='${o.accounts.join(',')}',
  'projection.region.type'='enum',
  'projection.region.values'='${o.regions.join(',')}',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='${o.firstDay},NOW',
  'storage.location.template'='${base}\${account}/CloudTrail/\${region}/\${timestamp}'
);
`;
}
