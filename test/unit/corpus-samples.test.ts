import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_KEY_RE, LOG_KEY_RE } from '../../scripts/corpus.js';
import { makeSamples, stories } from '../../scripts/make-samples.js';

const committed = fileURLToPath(new URL('../../samples', import.meta.url));
/** What make-samples writes; anything else in samples/ (a README) is not its business. */
const generated = (rel: string): boolean => rel.startsWith('AWSLogs/') || rel === 'credential-report.csv' || rel === 'INCIDENTS.md';

function files(root: string): string[] {
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  return walk(root)
    .map((p) => relative(root, p).split('\\').join('/'))
    .filter(generated)
    .sort();
}

type Rec = Record<string, any>;

describe('samples/', () => {
  let fresh: string;
  beforeAll(() => {
    fresh = mkdtempSync(join(tmpdir(), 'hunt-samples-'));
    makeSamples(fresh);
  });
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what make-samples writes (run `npm run build && npm run samples` after changing the generator)', () => {
    const want = files(fresh);
    expect(files(committed)).toEqual(want);
    for (const rel of want) {
      const a = readFileSync(join(committed, rel));
      const b = readFileSync(join(fresh, rel));
      if (a.equals(b)) continue;
      // Another zlib build may pick other deflate bytes for the same content.
      if (rel.endsWith('.gz')) expect(gunzipSync(a).equals(gunzipSync(b)), rel).toBe(true);
      else expect(a.toString(), rel).toBe(b.toString());
    }
  });

  const logs = (): { key: string; records: Rec[] }[] =>
    files(committed)
      .filter((k) => k.includes('/CloudTrail/'))
      .map((key) => ({ key, records: (JSON.parse(gunzipSync(readFileSync(join(committed, key))).toString()) as { Records: Rec[] }).Records }));

  it('has both layouts, both regions, digests, and stays small', () => {
    const keys = files(committed);
    const logKeys = keys.filter((k) => k.includes('/CloudTrail/'));
    for (const k of logKeys) expect(k).toMatch(LOG_KEY_RE);
    for (const k of keys.filter((x) => x.includes('/CloudTrail-Digest/'))) expect(k).toMatch(DIGEST_KEY_RE);
    expect(logKeys.some((k) => k.startsWith('AWSLogs/o-7k2m9x4q1z/111122223333/CloudTrail/'))).toBe(true);
    expect(logKeys.some((k) => k.startsWith('AWSLogs/444455556666/CloudTrail/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('AWSLogs/444455556666/CloudTrail-Digest/us-east-1/'))).toBe(true);
    expect(logKeys.some((k) => k.includes('/eu-west-1/'))).toBe(true);
    const bytes = keys.reduce((s, k) => s + statSync(join(committed, k)).size, 0);
    expect(bytes).toBeLessThan(700_000);
  });

  it('holds exactly the planted events that the bundled rules select', () => {
    const planted = new Map(stories().flatMap((s) => s.events.map((e) => [e.record.eventID as string, e.record])));
    const yes = (v: unknown): boolean => typeof v === 'string' && v.toLowerCase() === 'yes';
    const select: Record<string, (r: Rec) => boolean> = {
      'mfa failure': (r) => r.eventName === 'ConsoleLogin' && r.responseElements?.ConsoleLogin === 'Failure' && yes(r.additionalEventData?.MFAUsed),
      deactivated: (r) => r.eventSource === 'iam.amazonaws.com' && ['DeactivateMFADevice', 'DeleteVirtualMFADevice'].includes(r.eventName) && !('errorCode' in r),
      enabled: (r) => r.eventSource === 'iam.amazonaws.com' && r.eventName === 'EnableMFADevice' && !('errorCode' in r),
      'without mfa': (r) =>
        r.eventName === 'ConsoleLogin' && r.responseElements?.ConsoleLogin === 'Success' && ['IAMUser', 'Root'].includes(r.userIdentity?.type) && !yes(r.additionalEventData?.MFAUsed) && !('SamlProviderArn' in (r.additionalEventData ?? {})),
      'iam state': (r) => r.eventSource === 'iam.amazonaws.com' && ['CreateUser', 'CreateLoginProfile', 'DeleteLoginProfile', 'EnableMFADevice', 'DeactivateMFADevice', 'DeleteUser'].includes(r.eventName),
    };
    const found: Record<string, Set<string>> = Object.fromEntries(Object.keys(select).map((k) => [k, new Set<string>()]));
    let duplicates = 0;
    const seen = new Set<string>();
    for (const { records } of logs()) {
      for (const r of records) {
        if (seen.has(r.eventID)) duplicates++;
        seen.add(r.eventID);
        for (const [name, test] of Object.entries(select)) if (test(r)) found[name]!.add(r.eventID);
      }
    }
    // Background noise selects nothing: every selected event was planted.
    for (const ids of Object.values(found)) for (const id of ids) expect(planted.has(id), id).toBe(true);
    const count = (name: string): number => found[name]!.size;
    expect(count('mfa failure')).toBe(3 + 2 + 2); // maria.garcia, li.wei (near miss), sam.okafor
    expect(count('deactivated')).toBe(2);
    expect(count('enabled')).toBe(4); // maria.garcia's and jane.doe's new devices, intern.tom's on nina.petrova, li.wei's own
    expect(count('without mfa')).toBe(3);
    expect(duplicates).toBe(1);
  });
});
