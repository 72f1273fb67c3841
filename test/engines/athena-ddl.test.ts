// `hunt athena-ddl` (issue 14): every input is validated before it is
// printed into a statement Athena runs, the projected regions are complete,
// the table declares every column of AWS's documented table, and
// --from-bucket projects the accounts and regions the bucket really holds,
// found with one delimiter LIST per folder level (a real S3 server on
// 127.0.0.1 through the real SDK client).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloudTrailDdl, DEFAULT_REGIONS } from '../../src/sql/ddl.js';
import { hunt } from '../helpers/cli.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const base = ['athena-ddl', '--bucket', 's3://trail-bucket', '--account', '111122223333'];

describe('athena-ddl validates what it prints', () => {
  it.each([
    [['--database', 'my-db'], /^hunt: --database "my-db": Athena database names are lowercase letters, digits and underscores/m],
    [['--table', 'trail;drop'], /^hunt: --table "trail;drop": Athena table names/m],
    [['--region', "us-east-1','x"], /^hunt: --region "us-east-1','x": not an AWS region name/m],
    [['--region', 'moon-base'], /--region "moon-base"/],
    [['--first-day', '2024/13/45'], /^hunt: --first-day "2024\/13\/45": a day written YYYY\/MM\/DD/m],
    [['--first-day', '2024/02/30'], /--first-day "2024\/02\/30"/],
    [['--account', '1234'], /^hunt: --account "1234": an AWS account id is 12 digits/m],
    [['--organization', "o-abc1234567'"], /--organization/],
  ])('%j: exit 2 with one line', async (extra, line) => {
    const r = await hunt([...base, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stdout).toBe('');
  });

  it('refuses a bucket with a quote in its prefix', async () => {
    const r = await hunt(['athena-ddl', '--bucket', "s3://trail-bucket/a'b", '--account', '111122223333']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bucket/);
  });

  it('accepts good names and quotes identifiers', async () => {
    const r = await hunt([...base, '--database', 'security_logs', '--first-day', '2024/02/29', '--region', 'us-gov-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CREATE EXTERNAL TABLE `security_logs`.`cloudtrail_logs` \(/);
    expect(r.stdout).toContain("'projection.timestamp.range'='2024/02/29,NOW'");
  });

  it('projects every commercial region by default, the five newest included', () => {
    for (const r of ['mx-central-1', 'ap-east-2', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'us-east-1', 'il-central-1']) {
      expect(DEFAULT_REGIONS).toContain(r);
    }
  });

  it("declares every column of AWS's documented table, webIdFederationData included", () => {
    const ddl = cloudTrailDdl({ bucket: 's3://trail-bucket', accounts: ['111122223333'], regions: ['us-east-1'], table: 't', firstDay: '2020/01/01' }).toLowerCase();
    for (const column of [
      'eventversion string', 'useridentity struct<', 'onbehalfof: struct<userid: string, identitystorearn: string>', 'ec2roledelivery: string',
      'webidfederationdata: struct<federatedprovider: string, attributes: map<string, string>>', 'eventtime string', 'eventsource string',
      'eventname string', 'awsregion string', 'sourceipaddress string', 'useragent string', 'errorcode string', 'errormessage string',
      'requestparameters string', 'responseelements string', 'additionaleventdata string', 'requestid string', 'eventid string',
      'readonly string', 'resources array<struct<arn: string, accountid: string, type: string>>', 'eventtype string', 'apiversion string',
      'recipientaccountid string', 'serviceeventdetails string', 'sharedeventid string', 'vpcendpointid string', 'vpcendpointaccountid string',
      'eventcategory string', 'addendum struct<reason: string, updatedfields: string, originalrequestid: string, originaleventid: string>',
      'sessioncredentialfromconsole string', 'edgedevicedetails string', 'tlsdetails struct<tlsversion: string, ciphersuite: string, clientprovidedhostheader: string>',
    ]) {
      expect(ddl).toContain(column);
    }
  });
});

describe('athena-ddl --from-bucket', () => {
  let server: S3TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startS3Server();
    const day = (org: string, account: string, region: string) =>
      [`${org}${account}/CloudTrail/${region}/2026/10/06/${account}_CloudTrail_${region}_20261006T1000Z_abc.json.gz`, '{"Records":[]}'] as [string, string];
    await server.putAll('org-trail', [
      day('AWSLogs/o-abcdefgh12/', '111122223333', 'us-east-1'),
      day('AWSLogs/o-abcdefgh12/', '111122223333', 'mx-central-1'),
      day('AWSLogs/o-abcdefgh12/', '444455556666', 'eu-west-1'),
      day('AWSLogs/o-abcdefgh12/', '444455556666', 'us-east-1'),
      ['AWSLogs/o-abcdefgh12/111122223333/CloudTrail-Digest/us-east-1/2026/10/06/x.json.gz', '{}'],
      ['AWSLogs/o-abcdefgh12/not-an-account/CloudTrail/us-east-1/x.json.gz', '{}'],
    ]);
    env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    Object.assign(process.env, env);
  });
  afterAll(async () => {
    for (const k of Object.keys(env ?? {})) delete process.env[k];
    await server?.stop();
  });

  it('projects the accounts and regions the bucket holds, one LIST per folder level', async () => {
    const r = await hunt(['athena-ddl', '--bucket', 's3://org-trail', '--organization', 'o-abcdefgh12', '--from-bucket', '--endpoint-url', server.endpoint]);
    expect(r.stderr).toMatch(/2 account\(s\), 3 region\(s\) found with 3 LIST request\(s\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("'projection.account.values'='111122223333,444455556666'");
    expect(r.stdout).toContain("'projection.region.values'='eu-west-1,mx-central-1,us-east-1'");
  });

  it('keeps --account and --region when they are given', async () => {
    const r = await hunt(['athena-ddl', '--bucket', 's3://org-trail', '--organization', 'o-abcdefgh12', '--from-bucket', '--region', 'us-east-1', '--endpoint-url', server.endpoint]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("'projection.region.values'='us-east-1'");
    expect(r.stdout).toContain("'projection.account.values'='111122223333,444455556666'");
  });

  it('names the organization when it was left out', async () => {
    const r = await hunt(['athena-ddl', '--bucket', 's3://org-trail', '--from-bucket', '--endpoint-url', server.endpoint]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no account folders under s3:\/\/org-trail\/AWSLogs\/; it holds an organization trail: add --organization o-abcdefgh12/);
  });

  it('a bucket it cannot list is exit 2', async () => {
    const r = await hunt(['athena-ddl', '--bucket', 's3://no-such-bucket', '--from-bucket', '--endpoint-url', server.endpoint]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from-bucket: cannot list s3:\/\/no-such-bucket\/AWSLogs\//);
  });
});
