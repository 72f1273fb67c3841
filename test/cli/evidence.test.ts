// From hit to evidence, checked against the bundled samples read here
// independently (gunzip + JSON.parse, without hunt's code): whose MFA it was
// (target), the events themselves (--events), the timeline around each hit
// (--context), and the exports (CSV, Timesketch, --output, --report).

import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hunt, lines, ROOT } from '../helpers/cli.js';
import { deactivate, gz } from '../helpers/events.js';

vi.setConfig({ testTimeout: 60_000 });

type Rec = Record<string, unknown>;

/** Every record of every log object under samples/, with the path hunt names it by. */
function corpus(): { record: Rec; source: string }[] {
  const out: { record: Rec; source: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.json.gz') && !p.includes('CloudTrail-Digest')) {
        for (const record of (JSON.parse(gunzipSync(readFileSync(path.join(ROOT, p))).toString()) as { Records: Rec[] }).Records) {
          out.push({ record, source: p });
        }
      }
    }
  };
  walk('samples');
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const identity = (r: Rec) => (r.userIdentity ?? {}) as Rec;
/** The caller as the contract reads it. */
const callerOf = (r: Rec) => str(identity(r).userName) ?? str(identity(r).arn) ?? str(identity(r).principalId) ?? str(identity(r).invokedBy) ?? str(identity(r).type);
/** The user an event is about, as DESIGN says, written here without hunt's code. */
function targetOf(r: Rec): string | null {
  if (String(r.eventName).toLowerCase() === 'consolelogin') return identity(r).type === 'Root' ? '<root_account>' : str(identity(r).userName);
  const params = (r.requestParameters ?? {}) as Rec;
  if (str(params.userName)) return str(params.userName);
  const device = /:mfa\/(?:[^/]*\/)*([^/]+)$/.exec(str(params.serialNumber) ?? '');
  if (device) return device[1]!;
  if (r.eventSource === 'iam.amazonaws.com' && identity(r).type === 'IAMUser') return str(identity(r).userName);
  return null;
}

/** `hunt --source samples --format ndjson --context 1h`, run once for the tests that read it. */
let withContext: ReturnType<typeof hunt> | undefined;
const samplesContext = () => (withContext ??= hunt(['--source', 'samples', '--format', 'ndjson', '--context', '1h']));

let all: { record: Rec; source: string }[];
beforeAll(() => {
  all = corpus();
});

describe('target: whose MFA or password a hit is about', () => {
  it('names maria.garcia for both deactivations and jane.doe for her stretch', async () => {
    const hits = lines((await hunt(['--source', 'samples', '--format', 'ndjson'])).stdout);
    const rows = hits.map((h) => [h.rule, h.actor, h.target]);
    expect(rows.filter((r) => r[0] === 'aws-iam-mfa-device-deactivated')).toEqual([
      ['aws-iam-mfa-device-deactivated', 'ci-admin', 'maria.garcia'],
      ['aws-iam-mfa-device-deactivated', 'ci-admin', 'maria.garcia'],
    ]);
    expect(rows).toContainEqual(['aws-iam-user-password-without-mfa', 'arn:aws:sts::444455556666:assumed-role/PlatformAdmin/ops.kim', 'jane.doe']);
    // Posture hits are about the report's user; fields carry what the rule lists.
    expect(hits.find((h) => h.rule === 'aws-iam-user-mfa')!.target).toBe('deploy-bot');
    const deactivation = hits.find((h) => h.rule === 'aws-iam-mfa-device-deactivated')!;
    expect(deactivation.fields).toMatchObject({ 'requestParameters.serialNumber': 'arn:aws:iam::111122223333:mfa/maria.garcia' });
  });
});

describe('--events', () => {
  it('carries the records of each hit, equal as JSON values to the ones in the objects its sources name', async () => {
    const hits = lines((await hunt(['--source', 'samples', '--format', 'ndjson', '--events'])).stdout);
    const timed = hits.filter((h) => h.time !== null);
    expect(timed.length).toBeGreaterThan(5);
    for (const hit of timed) {
      const ids = new Set(hit.eventIDs as string[]);
      const fromSources = (hit.sources as string[])
        .flatMap((s) => (JSON.parse(gunzipSync(readFileSync(path.join(ROOT, s))).toString()) as { Records: Rec[] }).Records)
        .filter((r) => ids.has(r.eventID as string));
      const distinct = [...new Map(fromSources.map((r) => [JSON.stringify(r), r])).values()];
      distinct.sort((a, b) => Date.parse(String(a.eventTime)) - Date.parse(String(b.eventTime)) || String(a.eventID).localeCompare(String(b.eventID)));
      expect(hit.events, `${hit.rule} at ${hit.time}`).toEqual(distinct);
    }
    expect(hits.find((h) => h.rule === 'aws-iam-user-mfa')!.events).toBeUndefined();
  });
});

describe('--context 1h', () => {
  it('gives every timed hit exactly the events an independent reading of the corpus picks', async () => {
    const around = 3_600_000;
    const hits = lines((await samplesContext()).stdout);
    // Distinct events: eventID and content.
    const distinct = [...new Map(all.map((e) => [`${String(e.record.eventID)}\u0000${JSON.stringify(e.record)}`, e])).values()];
    for (const hit of hits) {
      if (hit.time === null) {
        expect(hit.context).toBeUndefined();
        continue;
      }
      const from = Date.parse(hit.time as string) - around;
      const to = Date.parse(hit.lastTime as string) + around;
      const who = new Set([hit.actor, hit.target].filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase()));
      const ip = typeof hit.sourceIPAddress === 'string' && isIP(hit.sourceIPAddress) ? hit.sourceIPAddress : null;
      const own = new Set(hit.eventIDs as string[]);
      const expected = distinct
        .filter(({ record: r }) => {
          const t = Date.parse(String(r.eventTime));
          if (t < from || t > to || r.recipientAccountId !== hit.account) return false;
          const caller = callerOf(r)?.toLowerCase();
          const target = targetOf(r)?.toLowerCase();
          // A correlation's own events (password spraying: other users, other addresses) are always in its timeline.
          return (caller !== undefined && who.has(caller)) || (target !== undefined && who.has(target)) || (ip !== null && r.sourceIPAddress === ip) || own.has(String(r.eventID));
        })
        .map(({ record: r }) => `${new Date(Date.parse(String(r.eventTime))).toISOString().replace('.000Z', 'Z')} ${String(r.eventID)}`)
        .sort();
      const got = (hit.context as Rec[]).map((c) => `${String(c.time)} ${String(c.eventID)}`);
      expect(got, `${hit.rule} at ${hit.time}`).toEqual(expected);
      // The hit's own events are in its timeline, marked.
      for (const id of hit.eventIDs as string[]) expect((hit.context as Rec[]).some((c) => c.eventID === id && c.inHit === true)).toBe(true);
    }
  });

  it("shows the intruder's calls after maria.garcia's MFA bypass, from the same address", async () => {
    const hits = lines((await samplesContext()).stdout);
    const bypass = hits.find((h) => h.rule === 'aws-console-login-without-mfa' && h.target === 'maria.garcia')!;
    const after = (bypass.context as Rec[]).filter((c) => String(c.time) > String(bypass.time)).map((c) => c.eventName);
    expect(after).toEqual(expect.arrayContaining(['ListSecrets', 'CreateAccessKey']));
  });
});

describe('exports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hunt-exports-'));
    await mkdir(path.join(dir, 'trail'), { recursive: true });
    // A user name that a spreadsheet would run as a formula.
    await writeFile(path.join(dir, 'trail/formula.json.gz'), gz([deactivate({ requestParameters: { userName: '=HYPERLINK("http://x")', serialNumber: 'arn:aws:iam::111122223333:mfa/x' } })]));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--format csv parses with a strict CSV parser, and a formula in a log field stays text', async () => {
    const run = await hunt(['--source', path.join(dir, 'trail'), '--format', 'csv']);
    const rows = parse(run.stdout, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.target).toBe('\'=HYPERLINK("http://x")');
    const samples = await hunt(['--source', 'samples', '--format', 'csv', '--context', '1h']);
    const all = parse(samples.stdout, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(all.filter((r) => r.row === 'hit')).toHaveLength(25);
    expect(all.filter((r) => r.row === 'context').length).toBeGreaterThan(25);
  });

  it('--format timesketch gives message, datetime and timestamp_desc on every line', async () => {
    const run = await hunt(['--source', 'samples', '--format', 'timesketch', '--context', '1h']);
    const out = lines(run.stdout);
    expect(out.length).toBeGreaterThan(12);
    for (const line of out) {
      expect(typeof line.message).toBe('string');
      expect(Number.isNaN(Date.parse(String(line.datetime)))).toBe(false);
      expect(typeof line.timestamp_desc).toBe('string');
    }
    expect(run.stderr).toMatch(/2 posture hit\(s\) have no time/);
  });

  it('--output writes the hits to a file and nothing to stdout; --report writes the HTML report', async () => {
    const file = path.join(dir, 'hits.ndjson');
    const html = path.join(dir, 'report.html');
    const run = await hunt(['--source', 'samples', '--output', file, '--report', html, '--events', '--context', '1h']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(lines(await readFile(file, 'utf8'))).toHaveLength(25);
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    expect(page).toContain('maria.garcia');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('--output and --report that cannot be written', () => {
  it('are usage errors said before the hunt, naming the flag', async () => {
    const missing = await hunt(['--source', 'samples', '--output', path.join(tmpdir(), 'no-such-folder-hunt', 'x.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--output .*x\.ndjson: cannot write there \(no such folder\)/);
    expect(missing.stderr).not.toMatch(/scanned/);
    const folder = await hunt(['--source', 'samples', '--report', tmpdir()]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--report .*: is a folder; give a file name/);
  });
});

describe('a hunt that covered nothing is not a clean result', () => {
  it('--since 30d over October 2026 logs exits 4 and says why', async () => {
    const run = await hunt(['--source', 'samples', '--since', '30d', '--format', 'ndjson'], { io: { nowMs: Date.parse('2026-12-01T12:00:00Z') } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/the hunt covered no events: no record lies in the window 2026-11-01T12:00Z → \(now\); day folders seen 2026\/10/);
  });

  it('an empty folder and a folder without logs exit 4', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'hunt-empty-'));
    expect((await hunt(['--source', empty, '--format', 'ndjson'])).code).toBe(4);
    await writeFile(path.join(empty, 'notes.txt'), 'not a log');
    const run = await hunt(['--source', empty, '--format', 'ndjson']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/no log object was found/);
    await rm(empty, { recursive: true, force: true });
  });

  it('events in scope and no hits: exit 0, as before', async () => {
    const run = await hunt(['--source', 'samples', '--since', '2026-10-05T00:00:00Z', '--until', '2026-10-05T01:00:00Z', '--rule', 'aws-iam-mfa-device-*', '--format', 'ndjson']);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(0);
  });
});

describe("records that share an eventID but not their content (Panther's hand-written root-compromise scenario)", () => {
  it('counts each as its own event and warns once, naming the first such eventID', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hunt-panther-'));
    const events = JSON.parse(await readFile(path.join(ROOT, 'test/fixtures/merge/panther-compromised-root-creds.json'), 'utf8')) as Rec[];
    await writeFile(path.join(dir, 'scenario.json.gz'), gz(events));
    const run = await hunt(['--source', dir, '--format', 'ndjson']);
    const signIns = lines(run.stdout).filter((h) => h.rule === 'aws-console-login-without-mfa');
    expect(signIns).toHaveLength(4);
    expect(signIns).toContainEqual(expect.objectContaining({ time: '2020-11-01T08:29:10Z', sourceIPAddress: '92.55.146.245' }));
    expect(run.stderr).toMatch(/eventID.*shared by records with different content.*first: 1/i);
    await rm(dir, { recursive: true, force: true });
  });
});
