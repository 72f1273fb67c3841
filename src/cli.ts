// Flags → options → hunt → output, as `run(argv, io)`: nothing happens at
// import, and everything the outside world provides (streams, environment,
// clock, Ctrl-C) comes in through `io`, so tests run the CLI in-process. The
// bin (bin.ts) is a few lines around it and owns process.exitCode.

import { constants, readFileSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import yargs from 'yargs';
import { awsSettings } from './aws.js';
import { EXIT, UsageError } from './errors.js';
import { hunt, prepareRuleSet, type HuntResult } from './hunt.js';
import { resolveOptions, type HuntOptions, type RawOptions } from './options.js';
import { writeAtomically } from './output/atomic.js';
import { FORMATS, render } from './output/formats.js';
import type { ReportInput } from './output/report.js';
import { forTerminal } from './output/sanitize.js';
import { shortTime, summary, type Tally } from './output/summary.js';
import { colorEnabled } from './output/table.js';
import type { Rule } from './rules/types.js';
import { cloudTrailDdl, DEFAULT_REGIONS, logsBase, validateDdlOptions } from './sql/ddl.js';
import { athenaQuery, huntQuery } from './sql/sql.js';
import { connectStores } from './stores/registry.js';
import { parseWith, type CliIO } from './usage.js';

/** hunt's version, from its package.json (one folder up from src/, two from dist/src/). */
const VERSION = (() => {
  const up = import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json';
  try {
    return (JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

export type { CliIO } from './usage.js';

export const EXAMPLES: [string, string][] = [
  ['hunt --source ./AWSLogs --since 30d', 'Hunt the last 30 days of a local copy of a trail'],
  ['hunt --source s3://org-trail-bucket --since 2026-10-01 --until 2026-10-08', 'A week of an organization trail, straight from S3'],
  // Log fields are attacker-controlled and `jq -r` prints them raw; @tsv escapes
  // tabs and newlines only, so the gsub turns every other control or format
  // character (ESC, C1, bidi overrides: Unicode's C categories) into '?'.
  ['hunt --source ./AWSLogs --format ndjson | jq -r \'select(.rule=="aws-console-login-mfa-failures") | [.time,.actor,.count] | map(tostring | gsub("\\\\p{C}"; "?")) | @tsv\'',
    'Pipe NDJSON into jq: who was MFA-bombed, when, how often (control characters made harmless)'],
  ['hunt --source ./AWSLogs --account 111122223333 --region us-east-1 --rule "aws-iam-*"', 'Only IAM rules, one account and region'],
  ['hunt --credential-report report.csv', 'Users with a password and no MFA, from `aws iam get-credential-report`'],
  ['hunt --source ./AWSLogs --rules ./sigma/rules/cloud/aws/cloudtrail --skip-unsupported', 'Run SigmaHQ\'s CloudTrail rules instead of the bundled pack, leaving out those hunt cannot evaluate'],
  ['hunt rules --rules ./sigma/rules/cloud/aws/cloudtrail', 'List the rules (name, level, kind, title) and every problem in them'],
  ['hunt --engine athena --athena-database security --athena-table cloudtrail_logs --since 90d', 'The same hunt on Amazon Athena (create the table with: hunt athena-ddl --help)'],
];

const EPILOGUE = `Exit codes: 0 done, 1 hits found (only with --fail-on-hits), 2 usage or rule error, 3 done but some objects failed, 4 done but no event lay in the window and filters (the hunt covered nothing), 70 internal error (a defect: report it), 130 interrupted.
Hits go to stdout (a table on a terminal, NDJSON otherwise); progress, warnings and the summary go to stderr.`;

/** `hunt athena-ddl --bucket s3://… --account …|--from-bucket`: prints the CREATE TABLE for Athena. */
async function athenaDdl(argv: string[], io: CliIO): Promise<number> {
  const { parsed, output } = parseWith(yargs(argv)
    .scriptName('hunt athena-ddl')
    .usage('$0 --bucket s3://bucket[/prefix] (--account <id>... | --from-bucket) [--organization o-...] [--region <name>...]\n\nPrints the Athena table for a CloudTrail trail (AWS\'s documented DDL, partition projection by account, region and day).')
    .option('bucket', { type: 'string', demandOption: true, describe: 'The trail bucket (and prefix) that holds AWSLogs/' })
    .option('organization', { type: 'string', describe: 'Organization trail id: keys are AWSLogs/o-.../<account>/...' })
    .option('account', { type: 'string', array: true, describe: 'Account ids to project (repeatable)' })
    .option('region', { type: 'string', array: true, describe: 'Regions to project (repeatable) [default: every commercial region]' })
    .option('from-bucket', { type: 'boolean', describe: 'Project the accounts and regions the bucket holds (one LIST per folder level), unless --account/--region name them' })
    .option('profile', { type: 'string', describe: 'AWS profile for --from-bucket' })
    .option('endpoint-url', { type: 'string', describe: 'S3-compatible endpoint for --from-bucket' })
    .option('database', { type: 'string', describe: 'Database to create the table in' })
    .option('table', { type: 'string', default: 'cloudtrail_logs', describe: 'Table name' })
    .option('first-day', { type: 'string', default: '2020/01/01', describe: 'First day of the projection range (YYYY/MM/DD)' })
    .strict()
    .help(), argv, 'hunt athena-ddl');
  if (parsed.help) {
    await io.stdout(output);
    return EXIT.ok;
  }
  const options = {
    bucket: parsed.bucket as string,
    organization: parsed.organization as string | undefined,
    accounts: (parsed.account as string[] | undefined) ?? [],
    regions: (parsed.region as string[] | undefined) ?? DEFAULT_REGIONS,
    database: parsed.database as string | undefined,
    table: parsed.table as string,
    firstDay: parsed.firstDay as string,
  };
  if (parsed.fromBucket) {
    // Validate the inputs before any request; the lists found replace only what was not given.
    validateDdlOptions({ ...options, accounts: options.accounts.length > 0 ? options.accounts : ['000000000000'] });
    const { makeS3Client } = await import('./stores/s3.js');
    const { trailLayout } = await import('./sql/layout.js');
    const base = logsBase(options.bucket, options.organization);
    const layout = await trailLayout(makeS3Client(awsSettings({ profile: parsed.profile as string | undefined, endpointUrl: parsed.endpointUrl as string | undefined })), base);
    if (layout.accounts.length === 0) {
      const hint = layout.organizations.length > 0 ? `; it holds an organization trail: add --organization ${layout.organizations[0]}` : '';
      throw new UsageError(`--from-bucket: no account folders under ${base}${hint}`);
    }
    if (options.accounts.length === 0) options.accounts = layout.accounts;
    if (parsed.region === undefined) options.regions = layout.regions;
    io.stderr(`hunt: ${base}: ${layout.accounts.length} account(s), ${layout.regions.length} region(s) found with ${layout.lists} LIST request(s)\n`);
  }
  await io.stdout(cloudTrailDdl(options));
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
    // Line by line: the stack's own line breaks stay, anything else is escaped.
    const lines = ((err as Error)?.stack ?? String(err)).split('\n').map(forTerminal);
    io.stderr(`hunt: internal error (a defect in hunt: please report it): ${lines.join('\n')}\n`);
    return EXIT.internal;
  }
}

async function main(argv: string[], io: CliIO, report: (line: string) => void): Promise<number> {
  if (argv[0] === 'athena-ddl') return athenaDdl(argv.slice(1), io);
  if (argv[0] === 'rules') return (await import('./cli-rules.js')).rulesCommand(argv.slice(1), io, report);
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
      return EXIT.usage;
    }
    throw err;
  }

  const started = performance.now();
  const opts = resolveOptions(raw, {
    stdoutIsTTY: io.stdoutIsTTY,
    stderrIsTTY: io.stderrIsTTY,
    noColor: io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '',
    color: colorEnabled(io.env, io.stdoutIsTTY),
    nowMs: io.nowMs ?? Date.now(),
    prefilter: io.env.HUNT_PREFILTER,
  });
  const { rules, skipped, refused } = await prepareRuleSet(opts, { report });
  if (opts.dryRun) {
    await io.stdout(opts.engine === 'athena' ? athenaQuery(opts.athena, opts.scope, rules) : huntQuery(rules, 'duckdb', 'cloudtrail'));
    return EXIT.ok;
  }
  // A hunt can take long: a file it cannot write is said before it starts.
  for (const [flag, file] of [['--output', opts.output], ['--report', opts.report]] as const) {
    if (file !== undefined) await checkWritable(flag, file);
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
  const { hits, tally } = result;
  const toTerminal = io.stdoutIsTTY && !opts.output;
  const out = await render(opts.format, hits, {
    // Fitted to a terminal; piped or written to a file there is no width to
    // fit, so every cell is whole, and no colour.
    width: toTerminal ? io.columns : undefined,
    color: opts.color && toTerminal,
    wide: opts.wide || !toTerminal,
    note: report,
  });
  if (opts.output) await writeTo('--output', opts.output, out);
  else await io.stdout(out);

  const collisions = result.merge.collisions();
  const covered = coverage(opts, rules, result);
  const elapsedMs = performance.now() - started;
  if (!opts.quiet || result.interrupted) {
    io.stderr(
      summary({
        tally,
        hits,
        elapsedMs,
        interrupted: result.interrupted,
        window: { sinceMs: opts.scope.sinceMs, untilMs: opts.scope.untilMs },
        rules: { loaded: rules.length, skipped: skipped.length, refused: refused.length },
        ...(collisions.count > 0 && collisions.first !== null ? { collisions: { count: collisions.count, first: collisions.first } } : {}),
      }),
    );
    if (result.contextTally) {
      const c = result.contextTally;
      report(`context: read ${c.scanned.toLocaleString('en-US')} object(s) again for the timelines around ${hits.filter((h) => h.context).length} hit(s)`);
    }
    if (opts.output) report(`wrote ${hits.length} hit(s) as ${opts.format} to ${opts.output}`);
  }
  if (!covered && !result.interrupted && tally.failedCount === 0) report(noEventsLine(opts, tally));
  if (opts.report) {
    const { renderReport } = await import('./output/report.js');
    await writeTo('--report', opts.report, renderReport(reportInput(argv, opts, rules, result, covered)));
    if (!opts.quiet) report(`wrote the HTML report to ${opts.report}`);
  }
  if (result.interrupted) return EXIT.interrupted;
  if (tally.failedCount > 0) return EXIT.failedObjects;
  if (opts.failOnHits && hits.length > 0) return EXIT.hits;
  if (!covered) return EXIT.noEvents;
  return EXIT.ok;
}

/** Can `file` be written (its folder exists and is writable, and it is not a folder)? A UsageError naming the flag if not. */
async function checkWritable(flag: string, file: string): Promise<void> {
  try {
    await access(path.dirname(path.resolve(file)), constants.W_OK);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot write there (${describeWriteError(err)}); give a file in a folder you can write to`);
  }
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder; give a file name`);
}

/** Writes the output atomically; a failure (a full disk) is said in one line naming the flag. */
async function writeTo(flag: string, file: string, text: string): Promise<void> {
  try {
    await writeAtomically(file, text);
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot write it (${describeWriteError(err)})`);
  }
}

function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (err as Error).message;
}

/**
 * Did the hunt cover any event? A hunt that read objects but found no record
 * inside the window and filters is not a clean result (exit 4). Athena returns
 * only candidate rows, so it cannot tell; DuckDB reads only candidate rows
 * too, so for it an object scanned counts.
 */
function coverage(opts: HuntOptions, rules: Rule[], result: HuntResult): boolean {
  const eventRules = rules.some((r) => r.kind !== 'posture');
  if (!eventRules || opts.sources.length === 0 || opts.engine === 'athena') return true;
  if (opts.engine === 'duckdb') return result.tally.scanned > 0;
  return result.tally.events > 0 || result.tally.coveredObjects > 0;
}

/** Why a hunt covered nothing, in one line: the window as resolved, and what the data holds. */
function noEventsLine(opts: HuntOptions, tally: Tally): string {
  const at = (ms: number) => (Number.isFinite(ms) ? shortTime(ms) : ms < 0 ? '(open)' : '(now)');
  const filters = [...(opts.scope.accounts.length ? ['--account'] : []), ...(opts.scope.regions.length ? ['--region'] : [])];
  let line = `the hunt covered no events: no record lies in the window ${at(opts.scope.sinceMs)} → ${at(opts.scope.untilMs)}${filters.length ? ` and ${filters.join('/')}` : ''}`;
  const seen: string[] = [];
  if (tally.oldestDay !== null) seen.push(`day folders seen ${tally.oldestDay} … ${tally.newestDay}`);
  const range = tally.eventRange;
  if (range) seen.push(`events read ${shortTime(range.minMs)} … ${shortTime(range.maxMs)}`);
  if (tally.scanned === 0) {
    seen.push((tally.skippedFolders.get('out-of-scope') ?? 0) + (tally.skippedFiles.get('out-of-scope') ?? 0) > 0 ? 'every log object lies outside it' : 'no log object was found');
  }
  return `${line}${seen.length ? `; ${seen.join('; ')}` : ''}`;
}

function reportInput(argv: string[], opts: HuntOptions, rules: Rule[], result: HuntResult, covered: boolean): ReportInput {
  const { tally } = result;
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  const range = tally.eventRange;
  const skipped = [...tally.skippedFiles, ...tally.skippedFolders].map(([reason, count]) => ({ reason, count }));
  const warnings = [
    ...(result.interrupted ? ['interrupted: partial results'] : []),
    ...(covered ? [] : [noEventsLine(opts, tally)]),
  ];
  return {
    hits: result.hits,
    coverage: {
      sources: opts.sources,
      window: { since: iso(opts.scope.sinceMs), until: iso(opts.scope.untilMs) },
      eventRange: { first: range ? new Date(range.minMs).toISOString() : null, last: range ? new Date(range.maxMs).toISOString() : null },
      objects: { scanned: tally.scanned, skipped, failed: tally.failures },
      records: tally.records,
      events: tally.events,
      rules: rules.map((r) => ({ name: r.key, title: r.title, level: r.level })),
      warnings,
      commandLine: argv,
      version: VERSION,
      generatedAt: new Date().toISOString(),
    },
  };
}

function parseArgs(argv: string[], io: CliIO): { raw?: RawOptions; output?: string } {
  const parser = yargs(argv)
    .scriptName('hunt')
    .usage('$0 --source <dir|file|s3://bucket[/prefix]>... [options]\n\nHunt archived AWS CloudTrail logs for MFA abuse.')
    .option('source', { type: 'string', array: true, describe: 'Folder, file or s3://bucket[/prefix] to hunt (repeatable)' })
    .option('since', { type: 'string', describe: 'Events at or after: 30d, 12h, 90m back from now, or an ISO date/time (UTC)' })
    .option('until', { type: 'string', describe: 'Events before: same forms as --since' })
    .option('rules', { type: 'string', array: true, describe: 'Sigma rule folder or file; replaces the bundled pack (repeatable)' })
    .option('rule', { type: 'string', array: true, describe: 'Only rules whose name matches this glob, or whose title or id is this (repeatable)' })
    .option('min-level', { type: 'string', describe: 'Only rules at or above this level: informational, low, medium, high, critical' })
    .option('skip-unsupported', { type: 'boolean', describe: 'Leave out, with a warning, rules hunt cannot evaluate (keyword searches, old-style aggregations, …) instead of stopping' })
    .option('account', { type: 'string', array: true, describe: 'Only this account id (repeatable)' })
    .option('region', { type: 'string', array: true, describe: 'Only this region (repeatable)' })
    .option('format', { type: 'string', choices: FORMATS, describe: 'Output format: table, ndjson, csv (RFC 4180, one row per hit and per context event) or timesketch (JSONL for import) [default: table on a terminal, else ndjson]' })
    .option('output', { type: 'string', describe: 'Write the hits to this file (atomically) instead of stdout' })
    .option('report', { type: 'string', describe: 'Also write a self-contained HTML report of the hunt to this file' })
    .option('events', { type: 'boolean', describe: 'Hits carry their whole CloudTrail records (NDJSON field events)' })
    .option('context', { type: 'string', describe: 'The timeline around each hit, this far before and after (e.g. 1h): what the same principal or address did' })
    .option('wide', { type: 'boolean', describe: 'Table: print every cell whole, whatever the terminal width' })
    .option('workers', { type: 'number', describe: 'Scan threads at most; fewer when few objects [default: the number of cores]' })
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
    minLevel: parsed.minLevel as string | undefined,
    skipUnsupported: parsed.skipUnsupported as boolean | undefined,
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
    output: parsed.output as string | undefined,
    report: parsed.report as string | undefined,
    events: parsed.events as boolean | undefined,
    context: parsed.context as string | undefined,
    wide: parsed.wide as boolean | undefined,
  };
  return { raw };
}
