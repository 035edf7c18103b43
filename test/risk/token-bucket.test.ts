import { describe, expect, it } from 'vitest';
import { createTokenBucket, parseRate } from '../../engine/risk/index.js';

describe('parseRate', () => {
  it('reads tokens per period in ms, s, m and h', () => {
    expect(parseRate('20/1s')).toEqual({ tokens: 20, perMs: 1_000 });
    expect(parseRate('100/10s')).toEqual({ tokens: 100, perMs: 10_000 });
    expect(parseRate('5/500ms')).toEqual({ tokens: 5, perMs: 500 });
    expect(parseRate('1200/1m')).toEqual({ tokens: 1_200, perMs: 60_000 });
    expect(parseRate('10/s')).toEqual({ tokens: 10, perMs: 1_000 });
    expect(parseRate(' 3 / 1h ')).toEqual({ tokens: 3, perMs: 3_600_000 });
  });

  it('throws a readable error on a malformed spec', () => {
    expect(() => parseRate('20/x')).toThrow(/invalid rate limit "20\/x": expected "<tokens>\/<period>"/);
    for (const bad of ['', '20', '0/1s', '-1/1s', '1.5/1s', '20/0s', 'x/1s', '20/1d']) {
      expect(() => parseRate(bad), bad).toThrow(/invalid rate limit/);
    }
  });
});

describe('createTokenBucket', () => {
  const clock = () => {
    const c = { t: 5_000, now: () => c.t };
    return c;
  };

  it('starts full and denies (does not queue) once the tokens are spent', () => {
    const c = clock();
    const b = createTokenBucket('3/1s', c.now);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true]);
    expect(b.tryTake()).toBe(false);
    expect(b.tryTake()).toBe(false);
    // Denied requests reserve nothing: after one token's worth of time exactly one more is allowed.
    c.t += 1_000 / 3;
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
  });

  it('refills continuously on the injected clock', () => {
    const c = clock();
    const b = createTokenBucket(parseRate('20/1s'), c.now);
    for (let i = 0; i < 20; i++) expect(b.tryTake()).toBe(true);
    expect(b.available()).toBe(0);
    c.t += 25;
    expect(b.available()).toBeCloseTo(0.5, 12);
    expect(b.tryTake()).toBe(false);
    expect(b.msUntil()).toBeCloseTo(25, 9);
    c.t += 25;
    expect(b.tryTake()).toBe(true);
  });

  it('never refills beyond its capacity', () => {
    const c = clock();
    const b = createTokenBucket('5/500ms', c.now);
    b.tryTake();
    c.t += 60_000;
    expect(b.available()).toBe(5);
  });

  it('absorbs float residue of the refill (three thirds of a period give three tokens)', () => {
    const c = clock();
    const b = createTokenBucket('3/1s', c.now);
    b.tryTake(3);
    for (let i = 0; i < 3; i++) {
      c.t += 1_000 / 3; // 333.333… ms: each refill is 0.9999999999999999 of a token in floats
      expect(b.tryTake()).toBe(true);
      expect(b.tryTake()).toBe(false);
    }
  });

  it('does not refill while the clock steps backwards', () => {
    const c = clock();
    const b = createTokenBucket('1/1s', c.now);
    b.tryTake();
    c.t -= 10_000;
    expect(b.tryTake()).toBe(false);
    c.t += 10_500; // only 500 ms after the last real instant
    expect(b.tryTake()).toBe(false);
    c.t += 500;
    expect(b.tryTake()).toBe(true);
  });

  it('can take several tokens at once, or none', () => {
    const b = createTokenBucket('5/1s', clock().now);
    expect(b.tryTake(4)).toBe(true);
    expect(b.canTake(2)).toBe(false);
    expect(b.tryTake(2)).toBe(false);
    expect(b.available()).toBe(1);
  });
});
