// Flags → options → hunt → output, as `run(argv, io)`: nothing happens at
// import, and everything the outside world provides (streams, environment,
// clock, Ctrl-C) comes in through `io`, so tests run the CLI in-process. The
// bin (bin.ts) is a few lines around it and owns process.exitCode.

import type { AthenaClient } from '@aws-sdk/client-athena';
import yargs from 'yargs';
import { awsSettings } from './aws.js';
import { EXIT, UsageError } from './errors.js';
import { hunt, prepareRules } from './hunt.js';
import { resolveOptions, type RawOptions } from './options.js';
import { ndjson } from './output/ndjson.js';
import { forTerminal } from './output/sanitize.js';
import { summary } from './output/summary.js';
import { table } from './output/table.js';
import { cloudTrailDdl, DEFAULT_REGIONS } from './sql/ddl.js';
import { athenaQuery, huntQuery } from './sql/sql.js';
import { connectStores } from './stores/registry.js';

/** What the CLI gets from the outside world. */
export interface CliIO {
  /** Data (hits, SQL, DDL, help). Resolves when written. */
  stdout(text: string): Promise<void>;
  /** Status, warnings, errors, the summary. */
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width of stdout, when it is one. */
  columns?: number;
  env: Record<string, string | undefined>;
  /** Now, as epoch ms (durations such as 30d count back from it). */
  nowMs?: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  /** Where progress is drawn (stderr, when a terminal). */
  progressStream?: NodeJS.WriteStream;
  /** Test seams: a wrapped scan worker, a stubbed Athena client. */
  workerUrl?: URL;
  athenaClient?: AthenaClient;
  athenaPollMs?: number;
}

const EXAMPLES: [string, string][] = [
  ['hunt --source ./AWSLogs --since 30d', 'Hunt the last 30 days of a local copy of a trail'],
  ['hunt --source s3://org-trail-bucket --since 2026-10-01 --until 2026-10-08', 'A week of an organization trail, straight from S3'],
  ['hunt --source ./AWSLogs --format ndjson | jq -r \'select(.rule=="aws-console-login-mfa-failures") | [.time,.actor,.count] | @tsv\'',
    'Pipe NDJSON into jq: who was MFA-bombed, when, how often'],
  ['hunt --source ./AWSLogs --account 111122223333 --region us-east-1 --rule "aws-iam-*"', 'Only IAM rules, one account and region'],
  ['hunt --credential-report report.csv', 'Users with a password and no MFA, from `aws iam get-credential-report`'],
  ['hunt --source ./AWSLogs --rules ./sigma/rules/cloud/aws/cloudtrail', 'Run SigmaHQ\'s CloudTrail rules instead of the bundled pack'],
  ['hunt --engine athena --athena-database security --athena-table cloudtrail_logs --since 90d', 'The same hunt on Amazon Athena (create the table with: hunt athena-ddl --help)'],
];

const EPILOGUE = `Exit codes: 0 done, 1 hits found (only with --fail-on-hits), 2 usage or rule error, 3 done but some objects failed.
Hits go to stdout (a table on a terminal, NDJSON otherwise); progress, warnings and the summary go to stderr.`;

/** `hunt athena-ddl --bucket s3://… --account …`: prints the CREATE TABLE for Athena. */
async function athenaDdl(argv: string[], io: CliIO): Promise<number> {
  const { parsed, output } = parseWith(yargs(argv)
    .scriptName('hunt athena-ddl')
    .usage('$0 --bucket s3://bucket[/prefix] --account <id>... [--organization o-...] [--region <name>...]\n\nPrints the Athena table for a CloudTrail trail (AWS\'s documented DDL, partition projection by account, region and day).')
    .option('bucket', { type: 'string', demandOption: true, describe: 'The trail bucket (and prefix) that holds AWSLogs/' })
    .option('organization', { type: 'string', describe: 'Organization trail id: keys are AWSLogs/o-.../<account>/...' })
    .option('account', { type: 'string', array: true, describe: 'Account ids to project (repeatable)' })
    .option('region', { type: 'string', array: true, describe: 'Regions to project (repeatable) [default: every commercial region]' })
    .option('database', { type: 'string', describe: 'Database to create the table in' })
    .option('table', { type: 'string', default: 'cloudtrail_logs', describe: 'Table name' })
    .option('first-day', { type: 'string', default: '2020/01/01', describe: 'First day of the projection range (YYYY/MM/DD)' })
    .strict()
    .help(), argv);
  if (parsed.help) {
    await io.stdout(output);
    return EXIT.ok;
  }
  await io.stdout(
    cloudTrailDdl({
      bucket: parsed.bucket as string,
      organization: parsed.organization as string | undefined,
      accounts: (parsed.account as string[] | undefined) ?? [],
      regions: (parsed.region as string[] | undefined) ?? DEFAULT_REGIONS,
      database: parsed.database as string | undefined,
      table: parsed.table as string,
      firstDay: parsed.firstDay as string,
    }),
  );
  return EXIT.ok;
}

/** Runs the command line; resolves with the exit code. Never throws. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const report = (line: string) => io.stderr(`hunt: ${forTerminal(line)}\n`);
  try {
    return await main(argv, io, report);
  } catch (err) {
    if (err instanceof UsageError) {
      report(err.message);
      return EXIT.usage;
    }
    io.stderr(`hunt: internal error: ${forTerminal((err as Error)?.stack ?? String(err))}\n`);
    return EXIT.internal;
  }
}

async function main(argv: string[], io: CliIO, report: (line: string) => void): Promise<number> {
  if (argv[0] === 'athena-ddl') return athenaDdl(argv.slice(1), io);
  let raw: RawOptions;
  try {
    const parsed = parseArgs(argv, io);
    if (parsed.output !== undefined) {
      await io.stdout(parsed.output);
      return EXIT.ok;
    }
    raw = parsed.raw!;
  } catch (err) {
    if (err instanceof UsageError) {
      report(err.message);
      report('try: hunt --help');
      return EXIT.usage;
    }
    throw err;
  }

  const started = performance.now();
  const opts = resolveOptions(raw, {
    stdoutIsTTY: io.stdoutIsTTY,
    stderrIsTTY: io.stderrIsTTY,
    noColor: io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '',
    nowMs: io.nowMs ?? Date.now(),
    prefilter: io.env.HUNT_PREFILTER,
  });
  const rules = await prepareRules(opts, { report });
  if (opts.dryRun) {
    await io.stdout(opts.engine === 'athena' ? athenaQuery(opts.athena, opts.scope, rules) : huntQuery(rules, 'duckdb', 'cloudtrail'));
    return EXIT.ok;
  }
  const stores = await connectStores(opts.sources, awsSettings(opts));
  const result = await hunt(opts, rules, stores, {
    report,
    progressStream: io.progressStream,
    signal: io.signal,
    workerUrl: io.workerUrl,
    athenaClient: io.athenaClient,
    athenaPollMs: io.athenaPollMs,
  });
  const out = opts.format === 'ndjson' ? ndjson(result.hits) : table(result.hits, { color: opts.color, width: io.columns });
  await io.stdout(out);
  if (!opts.quiet || result.interrupted) {
    io.stderr(summary(result.tally, result.hits, performance.now() - started, result.interrupted));
  }
  if (result.interrupted) return EXIT.interrupted;
  if (result.tally.failedCount > 0) return EXIT.failedObjects;
  if (opts.failOnHits && result.hits.length > 0) return EXIT.hits;
  return EXIT.ok;
}

/**
 * Parses with yargs, capturing what it would print (help, version) instead of
 * letting it write to the console; a usage error becomes a UsageError.
 */
function parseWith(parser: ReturnType<typeof yargs>, argv: string[]): { parsed: Record<string, unknown>; output: string } {
  let output = '';
  let failure: UsageError | undefined;
  const parsed = parser
    .exitProcess(false)
    .fail((msg, err) => {
      failure = new UsageError(oneLine(err?.message ?? msg));
    })
    .parseSync(argv, {}, (_err: unknown, _argv: unknown, text: string) => {
      output = text ? `${text}\n` : '';
    }) as Record<string, unknown>;
  if (failure) throw failure;
  return { parsed, output };
}

/** yargs writes some errors over several lines: a usage error is one clean line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function parseArgs(argv: string[], io: CliIO): { raw?: RawOptions; output?: string } {
  const parser = yargs(argv)
    .scriptName('hunt')
    .usage('$0 --source <dir|file|s3://bucket[/prefix]>... [options]\n\nHunt archived AWS CloudTrail logs for MFA abuse.')
    .option('source', { type: 'string', array: true, describe: 'Folder, file or s3://bucket[/prefix] to hunt (repeatable)' })
    .option('since', { type: 'string', describe: 'Events at or after: 30d, 12h, 90m back from now, or an ISO date/time (UTC)' })
    .option('until', { type: 'string', describe: 'Events before: same forms as --since' })
    .option('rules', { type: 'string', array: true, describe: 'Sigma rule folder or file; replaces the bundled pack (repeatable)' })
    .option('rule', { type: 'string', array: true, describe: 'Only rules whose name matches this glob (repeatable)' })
    .option('account', { type: 'string', array: true, describe: 'Only this account id (repeatable)' })
    .option('region', { type: 'string', array: true, describe: 'Only this region (repeatable)' })
    .option('format', { type: 'string', choices: ['table', 'ndjson'], describe: 'Output format [default: table on a terminal, else ndjson]' })
    .option('workers', { type: 'number', describe: 'Scan threads [default: the number of cores]' })
    .option('max-requests', { type: 'number', describe: 'S3 GetObject requests in flight at most [default: 16]' })
    .option('profile', { type: 'string', describe: 'AWS profile for S3 and IAM' })
    .option('endpoint-url', { type: 'string', describe: 'S3-compatible endpoint (path-style addressing)' })
    .option('credential-report', { type: 'string', describe: 'IAM credential report CSV, or "aws" to fetch it' })
    .option('fail-on-hits', { type: 'boolean', describe: 'Exit 1 when there are hits' })
    .option('progress', { type: 'boolean', default: true, describe: 'Progress on stderr when it is a terminal (--no-progress: never)' })
    .option('quiet', { type: 'boolean', describe: 'No progress and no summary; errors still shown' })
    .option('strict', { type: 'boolean', describe: 'Parse every record and validate every object whole (slower): damage in records that cannot match fails the object' })
    .option('engine', { type: 'string', choices: ['local', 'duckdb', 'athena'], describe: 'Where events are read: hunt\'s workers (local), DuckDB over the same sources, or Amazon Athena [default: local]' })
    .option('athena-database', { type: 'string', describe: 'Athena database of the CloudTrail table [default: default]' })
    .option('athena-table', { type: 'string', describe: 'Athena CloudTrail table (see: hunt athena-ddl --help) [default: cloudtrail_logs]' })
    .option('athena-workgroup', { type: 'string', describe: 'Athena workgroup [default: primary]' })
    .option('athena-output', { type: 'string', describe: 'S3 location for Athena query results (unless the workgroup sets one)' })
    .option('dry-run', { type: 'boolean', describe: 'Print the SQL of --engine duckdb|athena and stop' })
    .example(EXAMPLES)
    .epilogue(EPILOGUE)
    .strict()
    .version()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(120, io.columns || 100));
  const { parsed, output } = parseWith(parser, argv);
  if (parsed.help || parsed.version) return { output };
  if (parsed._ && (parsed._ as unknown[]).length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(String((parsed._ as unknown[])[0]))}: sources are given with --source`);
  }
  const raw: RawOptions = {
    source: parsed.source as string[] | undefined,
    since: parsed.since as string | undefined,
    until: parsed.until as string | undefined,
    rules: parsed.rules as string[] | undefined,
    rule: parsed.rule as string[] | undefined,
    account: parsed.account as string[] | undefined,
    region: parsed.region as string[] | undefined,
    format: parsed.format as string | undefined,
    workers: parsed.workers as number | undefined,
    maxRequests: parsed.maxRequests as number | undefined,
    profile: parsed.profile as string | undefined,
    endpointUrl: parsed.endpointUrl as string | undefined,
    credentialReport: parsed.credentialReport as string | undefined,
    failOnHits: parsed.failOnHits as boolean | undefined,
    progress: parsed.progress as boolean | undefined,
    quiet: parsed.quiet as boolean | undefined,
    strict: parsed.strict as boolean | undefined,
    engine: parsed.engine as string | undefined,
    athenaDatabase: parsed.athenaDatabase as string | undefined,
    athenaTable: parsed.athenaTable as string | undefined,
    athenaWorkgroup: parsed.athenaWorkgroup as string | undefined,
    athenaOutput: parsed.athenaOutput as string | undefined,
    dryRun: parsed.dryRun as boolean | undefined,
  };
  return { raw };
}
