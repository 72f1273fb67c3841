#!/usr/bin/env node
// Flags → options → hunt → output. The only place that sets process.exitCode.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT, UsageError } from './errors.js';
import { hunt, openSources, prepareRules } from './hunt.js';
import { resolveOptions, type RawOptions } from './options.js';
import { ndjson } from './output/ndjson.js';
import { forTerminal } from './output/sanitize.js';
import { summary } from './output/summary.js';
import { table } from './output/table.js';
import { cloudTrailDdl, DEFAULT_REGIONS } from './engines/ddl.js';
import { athenaQuery, huntQuery } from './engines/sql.js';

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

// hunt supports node 20 with a pinned SDK; the SDK's notice about its own future
// node support is noise on a responder's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function report(line: string): void {
  process.stderr.write(`hunt: ${forTerminal(line)}\n`);
}

/** `hunt athena-ddl --bucket s3://… --account …`: prints the CREATE TABLE for Athena. */
function athenaDdl(argv: string[]): number {
  const parsed = yargs(argv)
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
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(err?.message ?? msg);
    })
    .parseSync() as Record<string, unknown>;
  if (parsed.help) return EXIT.ok;
  process.stdout.write(
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

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'athena-ddl') return athenaDdl(argv.slice(1));
  let raw: RawOptions;
  try {
    raw = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      report(err.message);
      report('try: hunt --help');
      return EXIT.usage;
    }
    throw err;
  }
  if ((raw as { done?: boolean }).done) return EXIT.ok;

  const started = performance.now();
  const abort = new AbortController();
  let interruptedBySignal = false;
  const onSigint = () => {
    if (interruptedBySignal) process.exit(EXIT.interrupted); // second Ctrl-C: leave now
    interruptedBySignal = true;
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  try {
    const opts = resolveOptions(raw, {
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
      noColor: process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '',
      nowMs: Date.now(),
    });
    const rules = await prepareRules(opts, { report });
    if (opts.dryRun) {
      await write(opts.engine === 'athena' ? athenaQuery(opts, rules) : huntQuery(rules, 'duckdb', 'cloudtrail'));
      return EXIT.ok;
    }
    const sources = await openSources(opts);
    const result = await hunt(opts, rules, sources, {
      report,
      progressStream: process.stderr,
      signal: abort.signal,
    });
    const out = opts.format === 'ndjson' ? ndjson(result.hits) : table(result.hits, { color: opts.color, width: process.stdout.columns });
    await write(out);
    if (!opts.quiet || result.interrupted) {
      process.stderr.write(summary(result.tally, result.hits, performance.now() - started, result.interrupted));
    }
    if (result.interrupted) return EXIT.interrupted;
    if (result.tally.failedCount > 0) return EXIT.failedObjects;
    if (opts.failOnHits && result.hits.length > 0) return EXIT.hits;
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function parseArgs(argv: string[]): RawOptions {
  let helped = false;
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
    .wrap(Math.min(120, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(err?.message ?? msg);
    });
  const parsed = parser.parseSync() as Record<string, unknown>;
  if (parsed.help || parsed.version) helped = true;
  if (parsed._ && (parsed._ as unknown[]).length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(String((parsed._ as unknown[])[0]))}: sources are given with --source`);
  }
  if (helped) return { done: true } as RawOptions;
  return {
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
    engine: parsed.engine as string | undefined,
    athenaDatabase: parsed.athenaDatabase as string | undefined,
    athenaTable: parsed.athenaTable as string | undefined,
    athenaWorkgroup: parsed.athenaWorkgroup as string | undefined,
    athenaOutput: parsed.athenaOutput as string | undefined,
    dryRun: parsed.dryRun as boolean | undefined,
  };
}

/** Writes to stdout; a closed pipe (`| head`) ends the hunt quietly. */
function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') return resolve();
    process.stdout.write(text, () => resolve());
  });
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

main(hideBin(process.argv)).then(
  (code) => {
    // After Ctrl-C a worker may still sit in a blocking read: leave now rather than wait for it.
    if (code === EXIT.interrupted) process.exit(code);
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      report(err.message);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`hunt: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 70;
  },
);
