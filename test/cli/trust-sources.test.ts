// What a local source holds is read, however it is reached (issue: Trust,
// items 8, 10, 16 and 17): files and folders behind symbolic links (an
// object reached twice is scanned once, a link loop ends), a folder chain
// deeper than the call stack, a file name that is not UTF-8, and an object
// whose records name another account than its key's folder.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hunt, lines } from '../helpers/cli.js';
import { deactivate, gz } from '../helpers/events.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hunt-trust-sources-'));
});
afterAll(() => {
  // rm -rf walks a chain thousands deep without building its full paths.
  spawnSync('rm', ['-rf', root]);
});

/** Each hit's first eventID, with its count and sources. */
const summaryOf = (stdout: string) =>
  lines(stdout)
    .map((h) => ({ id: (h.eventIDs as string[])[0], count: h.count, sources: h.sources }))
    .sort((a, b) => (a.id! < b.id! ? -1 : 1));

describe('symbolic links inside a source', () => {
  let trail: string;
  beforeAll(async () => {
    const base = path.join(root, 'links');
    trail = path.join(base, 'trail');
    await mkdir(path.join(base, 'store/aa'), { recursive: true });
    await mkdir(path.join(base, 'store/bb'), { recursive: true });
    await mkdir(trail);
    await writeFile(path.join(base, 'store/aa/x.json.gz'), gz([deactivate({ eventID: 'behind-file-link' })]));
    await writeFile(path.join(base, 'store/bb/y.json.gz'), gz([deactivate({ eventID: 'behind-folder-link' })]));
    await writeFile(path.join(trail, 'real.json.gz'), gz([deactivate({ eventID: 'plain' })]));
    await symlink('../store/aa/x.json.gz', path.join(trail, 'file-link.json.gz'));
    await symlink('../store/aa/x.json.gz', path.join(trail, 'again.json.gz')); // the same file, twice
    await symlink('../store/bb', path.join(trail, 'folder-link'));
    await symlink('../store/bb', path.join(trail, 'folder-link-2')); // the same folder, twice
    await symlink('../trail', path.join(trail, 'loop')); // back up to itself
    await symlink('.', path.join(trail, 'self'));
    await symlink('nowhere.json.gz', path.join(trail, 'dangling.json.gz'));
  });

  it('are followed: every object behind them is scanned, each once, and a loop ends', async () => {
    const run = await hunt(['--source', trail, '--format', 'ndjson']);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run.stdout)).toEqual([
      // Reached first (in name order) as again.json.gz, then as file-link.json.gz: one object.
      { id: 'behind-file-link', count: 1, sources: [path.join(trail, 'again.json.gz')] },
      { id: 'behind-folder-link', count: 1, sources: [path.join(trail, 'folder-link/y.json.gz')] },
      { id: 'plain', count: 1, sources: [path.join(trail, 'real.json.gz')] },
    ]);
    expect(run.stderr).toMatch(/scanned 3 objects/);
  });
});

describe('a folder chain 2,100 deep', () => {
  let top: string;
  beforeAll(async () => {
    top = path.join(root, 'deep');
    await mkdir(top);
    await writeFile(path.join(top, 'top.json.gz'), gz([deactivate({ eventID: 'at-the-top' })]));
    await writeFile(path.join(root, 'mid.json.gz'), gz([deactivate({ eventID: 'at-depth-1000' })]));
    // Made one step at a time from inside (chdir), as no full path this long can be handed to mkdir.
    const script = `const fs = require('fs'); process.chdir(process.argv[1]);
      for (let i = 1; i <= 2100; i++) { fs.mkdirSync('d'); process.chdir('d'); if (i === 1000) fs.copyFileSync(process.argv[2], 'mid.json.gz'); }`;
    const made = spawnSync(process.execPath, ['-e', script, top, path.join(root, 'mid.json.gz')]);
    expect(made.status, made.stderr.toString()).toBe(0);
  }, 60_000);

  it('is walked without overflowing the stack: its logs are read, and the part past PATH_MAX is named', async () => {
    const run = await hunt(['--source', top, '--format', 'ndjson']);
    expect(summaryOf(run.stdout).map((h) => h.id)).toEqual(['at-depth-1000', 'at-the-top']);
    // 2,100 levels of "d/" pass the 4,096-byte path limit: that folder cannot be listed, and says why.
    expect(run.stderr).toMatch(/error: .*\/d\/d: path too long for the file system/);
    expect(run.stderr).not.toMatch(/internal error|Maximum call stack/);
    expect(run.code).toBe(3);
  }, 60_000);
});

describe('a file name that is not UTF-8', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'names');
    await mkdir(dir);
    const named = (name: string) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name, 'latin1')]);
    await writeFile(named('log-\xff.json.gz'), gz([deactivate({ eventID: 'name-ff' })]));
    await writeFile(named('log-\xfe.json.gz'), gz([deactivate({ eventID: 'name-fe' })]));
    await writeFile(path.join(dir, 'log-é.json.gz'), gz([deactivate({ eventID: 'name-utf8' })]));
  });

  it('is read, and named with the bad byte escaped; two such names stay two objects', async () => {
    const run = await hunt(['--source', dir, '--format', 'ndjson']);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run.stdout)).toEqual([
      { id: 'name-fe', count: 1, sources: [`${dir}/log-\\xfe.json.gz`] },
      { id: 'name-ff', count: 1, sources: [`${dir}/log-\\xff.json.gz`] },
      { id: 'name-utf8', count: 1, sources: [`${dir}/log-é.json.gz`] },
    ]);
    expect(run.stderr).not.toMatch(/removed while the hunt ran/);
  });
});

describe('--account over re-homed logs (Invictus: folder 218007301253, records 123837392027)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'invictus');
    const key = 'AWSLogs/218007301253/CloudTrail/us-east-1/2026/10/05/218007301253_CloudTrail_us-east-1_20261005T1005Z_inv.json.gz';
    await mkdir(path.dirname(path.join(dir, key)), { recursive: true });
    await writeFile(
      path.join(dir, key),
      gz([
        deactivate({ eventID: 'inv-1', recipientAccountId: '123837392027' }),
        deactivate({ eventID: 'inv-2', recipientAccountId: '123837392027', eventTime: '2026-10-05T10:01:00Z' }),
      ]),
    );
  });

  it('--account <the folder> gives the hits, and one warning that the records name another account', async () => {
    const run = await hunt(['--source', dir, '--format', 'ndjson', '--account', '218007301253']);
    expect(run.code, run.stderr).toBe(0);
    expect(summaryOf(run.stdout).map((h) => h.id)).toEqual(['inv-1', 'inv-2']);
    expect(lines(run.stdout).map((h) => h.account)).toEqual(['123837392027', '123837392027']);
    const warnings = run.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toEqual([expect.stringMatching(/warning: .*_inv\.json\.gz: records name account 123837392027, the key's folder 218007301253/)]);
  });

  it('another account gives nothing', async () => {
    const run = await hunt(['--source', dir, '--format', 'ndjson', '--account', '111122223333']);
    expect(run.stdout).toBe('');
  });
});

describe('shownPath', () => {
  it('keeps valid UTF-8 (multi-byte too) and escapes each byte outside a valid sequence', async () => {
    const { shownPath } = await import('../../src/stores/local.js');
    expect(shownPath(Buffer.from('AWSLogs/é€😀.json.gz'))).toBe('AWSLogs/é€😀.json.gz');
    // a, €, a lone 0xff, a truncated two-byte sequence, an overlong "/" (0xc0 0xaf), z
    const mixed = Buffer.from([0x61, 0xe2, 0x82, 0xac, 0xff, 0xc3, 0xc0, 0xaf, 0x7a]);
    expect(shownPath(mixed)).toBe('a€\\xff\\xc3\\xc0\\xafz');
  });
});
