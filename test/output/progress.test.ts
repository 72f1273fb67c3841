import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { Progress, progressLine } from '../../src/output/progress.js';
import { Tally } from '../../src/output/summary.js';

function midHunt(): Tally {
  const t = new Tally();
  for (let i = 0; i < 40; i++) t.noteListed(250_000); // 10 MB stored
  t.listingDone = true;
  for (let i = 0; i < 10; i++) t.addScanned({ bytes: 2_000_000, records: 1000, events: 1000, notObjects: 0, badTimes: 0, firstMs: null, lastMs: null, covered: false, otherAccount: null }, 250_000);
  t.addFailed('bad-gzip');
  return t;
}

describe('progressLine', () => {
  it('shows objects and MB done of the total, rate, ETA, examined and events matched once listing is done', () => {
    const line = progressLine(midHunt(), 5000, 200, 7);
    expect(line).toBe('hunt: scanned 10/40 objects, 2.5/10 MB, 0.5 MB/s, ETA 0:15, 10,000 examined, 7 matched, 1 failed');
  });

  it('marks the totals as growing and gives no ETA while still listing', () => {
    const t = midHunt();
    t.listingDone = false;
    const line = progressLine(t, 5000, 200);
    expect(line).toMatch(/^hunt: scanned 10\/40\+ objects, 2\.5\/10\+ MB, /);
    expect(line).not.toContain('ETA');
    expect(line).not.toMatch(/\bmatched\b/);
  });

  it('falls back to uncompressed MB and an ETA by objects when listed sizes are unknown', () => {
    const t = new Tally();
    t.listed = 4;
    t.listingDone = true;
    t.addScanned({ bytes: 3_000_000, records: 5, events: 5, notObjects: 0, badTimes: 0, firstMs: null, lastMs: null, covered: false, otherAccount: null });
    expect(progressLine(t, 2000, 200)).toBe('hunt: scanned 1/4 objects, 3.0 MB, 1.5 MB/s, ETA 0:06, 5 examined');
  });

  it('uses the summary’s word for events', () => {
    expect(progressLine(midHunt(), 1000, 200)).toContain('examined');
    expect(progressLine(midHunt(), 1000, 200)).not.toMatch(/\bevents\b/);
  });

  it('is never as wide as the terminal, dropping the least useful parts first', () => {
    for (let width = 10; width <= 200; width++) {
      const line = progressLine(midHunt(), 5000, width, 12345);
      expect(stringWidth(line), `at ${width}`).toBeLessThan(width);
    }
    const at60 = progressLine(midHunt(), 5000, 60, 7);
    expect(at60).toContain('scanned 10/40 objects');
    expect(at60).toContain('1 failed');
    expect(at60).toContain('7 matched');
    expect(at60).not.toContain('examined');
  });
});

describe('Progress', () => {
  function fakeStream(columns: number) {
    const written: string[] = [];
    return { written, stream: { columns, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream };
  }

  it('overwrites one line within the width, counts matched events from the callback, and clears it at the end', () => {
    const { written, stream } = fakeStream(50);
    let hits = 0;
    let now = 0;
    const p = new Progress(stream, midHunt(), { hits: () => hits, now: () => now });
    hits = 3;
    now = 5000;
    p.start();
    p.stop();
    expect(written[0]).toMatch(/^\rhunt: scanned 10\/40 objects.*3 matched.*\x1b\[K$/);
    expect(stringWidth(written[0]!.replace('\r', ''))).toBeLessThan(50);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
