import { describe, expect, it } from 'vitest';
import { isFromWorker, isToWorker } from '../../src/pool/protocol.js';

describe('the worker protocol', () => {
  it('accepts the messages each side sends', () => {
    expect(isToWorker({ type: 'scan', job: 1, ref: { kind: 'file', path: 'a.json.gz', size: 1 } })).toBe(true);
    expect(isFromWorker({ type: 'scanned', job: 1, candidates: [], stats: {}, getRequests: 0 })).toBe(true);
    expect(isFromWorker({ type: 'failed', job: 1, error: { code: 'not-json', message: 'x' }, getRequests: 0 })).toBe(true);
  });

  it('rejects anything else, so the other side can fail loudly', () => {
    for (const junk of [null, 'scan', 42, {}, { type: 'scan' }, { type: 'scan', job: '1', ref: {} }, { type: 'log', job: 1 }, { type: 'scanned' }]) {
      expect(isToWorker(junk) && isFromWorker(junk)).toBe(false);
      expect(isFromWorker(junk)).toBe(false);
    }
    expect(isToWorker({ type: 'scanned', job: 1 })).toBe(false);
  });
});
