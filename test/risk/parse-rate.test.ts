import { describe, expect, it } from 'vitest';
import { parseRate } from '../../engine/risk/index.js';

describe('parseRate', () => {
  it('reads tokens per period in ms, s, m and h, up to a million tokens', () => {
    expect(parseRate('20/1s')).toEqual({ tokens: 20, perMs: 1_000 });
    expect(parseRate('100/10s')).toEqual({ tokens: 100, perMs: 10_000 });
    expect(parseRate('5/500ms')).toEqual({ tokens: 5, perMs: 500 });
    expect(parseRate('1200/1m')).toEqual({ tokens: 1_200, perMs: 60_000 });
    expect(parseRate('10/s')).toEqual({ tokens: 10, perMs: 1_000 });
    expect(parseRate(' 3 / 1h ')).toEqual({ tokens: 3, perMs: 3_600_000 });
    expect(parseRate('1000000/1h')).toEqual({ tokens: 1_000_000, perMs: 3_600_000 });
  });

  it('throws a readable error on a malformed spec', () => {
    expect(() => parseRate('20/x')).toThrow(/invalid rate limit "20\/x": expected "<tokens>\/<period>"/);
    for (const bad of ['', '20', '0/1s', '-1/1s', '1.5/1s', '20/0s', 'x/1s', '20/1d', '1000001/1h']) {
      expect(() => parseRate(bad), bad).toThrow(/invalid rate limit/);
    }
  });
});
