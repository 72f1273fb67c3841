// Peak memory of an Athena hunt that returns many rows, with the SDK's
// transport stubbed (no AWS account needed): `npm run build && /usr/bin/time -v
// node dist/scripts/athena-memory.js --rows 200000`. The stub makes each page
// on demand, so the process holds what hunt holds, not the whole result. One
// row in a hundred is a console sign-in without MFA (a hit); the others are
// the background a TRUE filter brings back.

import { Readable } from 'node:stream';
import { AthenaClient } from '@aws-sdk/client-athena';
import { hunt, prepareRules } from '../src/hunt.js';
import { resolveOptions } from '../src/options.js';
import { CLOUDTRAIL_COLUMNS } from '../src/sql/schema.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const total = arg('rows', 200_000);
const pageSize = 1000;
const columns = ['path', ...CLOUDTRAIL_COLUMNS.map(([n]) => n.toLowerCase())];

function row(i: number): Record<string, string | null> {
  const hit = i % 100 === 0;
  const minute = String(i % 60).padStart(2, '0');
  const user = `user${i % 5000}`;
  return {
    // 50 events an object, as CloudTrail's 5-minute objects of a busy account hold.
    path: `s3://trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/06/111122223333_CloudTrail_us-east-1_20261006T1000Z_${String(Math.floor(i / 50)).padStart(16, '0')}.json.gz`,
    eventversion: '1.08',
    useridentity: JSON.stringify({ type: 'IAMUser', principalid: 'AIDAEXAMPLE', arn: `arn:aws:iam::111122223333:user/${user}`, accountid: '111122223333', username: user }),
    eventtime: `2026-10-06T10:${minute}:${String(i % 57).padStart(2, '0')}Z`,
    eventsource: hit ? 'signin.amazonaws.com' : 's3.amazonaws.com',
    eventname: hit ? 'ConsoleLogin' : 'GetObject',
    awsregion: 'us-east-1',
    sourceipaddress: '198.51.100.23',
    useragent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    requestparameters: hit ? null : JSON.stringify({ bucketName: 'data', key: `reports/${i}.csv`, Host: 'data.s3.amazonaws.com' }),
    responseelements: hit ? JSON.stringify({ ConsoleLogin: 'Success' }) : null,
    additionaleventdata: hit ? JSON.stringify({ MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' }) : JSON.stringify({ bytesTransferredIn: 0, bytesTransferredOut: 5120 }),
    requestid: `REQ${i}`,
    eventid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readonly: 'true',
    eventtype: hit ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientaccountid: '111122223333',
    eventcategory: hit ? 'Management' : 'Data',
  };
}

const answer = (body: unknown) => ({
  response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) },
});

const handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
  // A real answer arrives over the network: yield to the event loop as it would.
  await new Promise((resolve) => setImmediate(resolve));
  const target = String(request.headers['x-amz-target'] ?? '').replace('AmazonAthena.', '');
  const input = JSON.parse(request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : String(request.body ?? '{}')) as { NextToken?: string };
  switch (target) {
    case 'GetTableMetadata':
      return answer({ TableMetadata: { Name: 'cloudtrail_logs', Parameters: {} } });
    case 'StartQueryExecution':
      return answer({ QueryExecutionId: 'q-memory' });
    case 'GetQueryExecution':
      return answer({ QueryExecution: { QueryExecutionId: 'q-memory', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 0 } } });
    case 'GetQueryResults': {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const rows = [];
      if (start === 0) rows.push({ Data: columns.map((c) => ({ VarCharValue: c })) });
      for (let i = start; i < Math.min(total, start + pageSize); i++) {
        const r = row(i);
        rows.push({ Data: columns.map((c) => (r[c] == null ? {} : { VarCharValue: r[c]! })) });
      }
      const next = start + pageSize < total ? String(start + pageSize) : undefined;
      return answer({ ResultSet: { ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c, Type: 'varchar' })) }, Rows: rows }, ...(next ? { NextToken: next } : {}) });
    }
    default:
      return answer({});
  }
};

const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, requestHandler: { handle } as never });
const opts = resolveOptions({ engine: 'athena', format: 'ndjson', quiet: true }, { stdoutIsTTY: false, stderrIsTTY: false, noColor: true, nowMs: Date.now() });
const rules = await prepareRules(opts, { report: () => {} });
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = performance.now();
const result = await hunt(opts, rules, [], { report: (l) => process.stderr.write(`${l}\n`), athenaClient: client, athenaPollMs: 1 });
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${total} rows, ${result.tally.events} events in scope, ${result.hits.length} hits, ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peak / 1048576).toFixed(0)} MB (sampled)\n`,
);
