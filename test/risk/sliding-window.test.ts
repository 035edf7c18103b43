import { describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter, parseRate } from '../../engine/risk/index.js';

const clock = (t = 5_000) => {
  const c = { t, now: () => c.t };
  return c;
};

/** Admits as many as it can at the current instant and says how many that was. */
const drain = (l: { tryTake(): boolean }): number => {
  let n = 0;
  while (n < 1e6 && l.tryTake()) n++;
  return n;
};

describe('createSlidingWindowLimiter', () => {
  it('admits N at once, then nothing more for the rest of the window (a token bucket let 19 more through at 999 ms)', () => {
    const c = clock();
    const l = createSlidingWindowLimiter('20/1s', c.now);
    expect(drain(l)).toBe(20);
    for (const dt of [1, 500, 998, 999]) {
      c.t = 5_000 + dt;
      expect(l.tryTake(), `at +${dt} ms`).toBe(false);
    }
  });

  it('has the full N again exactly one window after the burst (the window is half-open, as the venue counts)', () => {
    const c = clock();
    const l = createSlidingWindowLimiter('20/1s', c.now);
    drain(l);
    c.t += 999;
    expect(l.available()).toBe(0);
    c.t += 1;
    expect(l.available()).toBe(20);
    expect(drain(l)).toBe(20);
  });

  it('frees each admission exactly one window after it, not all at once', () => {
    const c = clock(0);
    const l = createSlidingWindowLimiter('3/1s', c.now);
    for (const t of [0, 100, 250]) {
      c.t = t;
      expect(l.tryTake()).toBe(true);
    }
    c.t = 999;
    expect(l.available()).toBe(0);
    c.t = 1_000;
    expect(l.available()).toBe(1);
    c.t = 1_100;
    expect(l.available()).toBe(2);
    c.t = 1_249;
    expect(l.available()).toBe(2);
    c.t = 1_250;
    expect(l.available()).toBe(3);
  });

  it('records nothing for a denied request, so denials do not push the next admission back', () => {
    const c = clock(0);
    const l = createSlidingWindowLimiter('1/500ms', c.now);
    expect(l.tryTake()).toBe(true);
    for (c.t = 1; c.t < 500; c.t += 7) expect(l.tryTake()).toBe(false);
    c.t = 500;
    expect(l.tryTake()).toBe(true);
  });

  it('says exactly how long until n fit: at now + msUntil they do, one ms earlier they do not', () => {
    const c = clock(0);
    const l = createSlidingWindowLimiter(parseRate('5/500ms'), c.now);
    for (const t of [0, 40, 40, 130, 321]) {
      c.t = t;
      l.tryTake();
    }
    c.t = 400;
    expect([1, 2, 3, 4, 5].map((n) => l.msUntil(n))).toEqual([100, 140, 140, 230, 421]);
    for (const n of [1, 2, 3, 4, 5]) {
      const wait = l.msUntil(n);
      c.t = 400 + wait - 1;
      expect(l.canTake(n), `n=${n} one ms early`).toBe(false);
      c.t = 400 + wait;
      expect(l.canTake(n), `n=${n} on time`).toBe(true);
      c.t = 400;
    }
  });

  it('answers 0 from msUntil while there is room, and Infinity for more than N at once', () => {
    const l = createSlidingWindowLimiter('3/1s', clock().now);
    expect(l.msUntil()).toBe(0);
    expect(l.msUntil(3)).toBe(0);
    expect(l.msUntil(4)).toBe(Infinity);
    expect(l.canTake(4)).toBe(false);
  });

  it('can take several at once, or none of them', () => {
    const l = createSlidingWindowLimiter('5/1s', clock().now);
    expect(l.tryTake(4)).toBe(true);
    expect(l.canTake(2)).toBe(false);
    expect(l.tryTake(2)).toBe(false);
    expect(l.available()).toBe(1);
    expect(l.tryTake(1)).toBe(true);
    expect(l.available()).toBe(0);
  });

  it('records a request that had to go anyway, and has room again only once the window holds fewer than N', () => {
    const c = clock(0);
    const l = createSlidingWindowLimiter('2/1s', c.now);
    l.tryTake();
    c.t = 100;
    l.record(2); // three in the window now
    c.t = 200;
    expect(l.available()).toBe(0);
    c.t = 1_000; // the first has left, two remain: still full
    expect(l.tryTake()).toBe(false);
    expect(l.msUntil()).toBe(100);
    c.t = 1_100;
    expect(l.available()).toBe(2);
  });

  it('lets nothing more through when the clock steps backwards', () => {
    const c = clock(10_000);
    const l = createSlidingWindowLimiter('2/1s', c.now);
    l.tryTake();
    c.t = 10_600;
    l.tryTake();
    c.t = 9_000; // back by 1.6 s: both admissions lie "in the future" and still count
    expect(l.tryTake()).toBe(false);
    expect(l.msUntil()).toBe(2_000); // until 11 000, one window after the first admission
    c.t = 10_999;
    expect(l.tryTake()).toBe(false);
    c.t = 11_000;
    expect(l.tryTake()).toBe(true);
  });

  it('records an admission made after a backwards step no earlier than the newest one', () => {
    const c = clock(10_000);
    const l = createSlidingWindowLimiter('2/1s', c.now);
    l.tryTake();
    c.t = 9_500; // back 500 ms: room for one more, recorded at 10 000
    expect(l.tryTake()).toBe(true);
    c.t = 10_999;
    expect(l.available()).toBe(0);
    c.t = 11_000; // both leave together, one window after 10 000
    expect(l.available()).toBe(2);
  });

  it('keeps msUntil exact on a fractional clock, where t0 + W − now rounds a hair short', () => {
    // Float readings for which the plain difference 307.557… + 1000 − 1278.909… leaves the admission just inside.
    const c = clock(307.55759350031855);
    const l = createSlidingWindowLimiter('1/1s', c.now);
    l.tryTake();
    c.t = 1278.9090049256579;
    const wait = l.msUntil();
    expect(wait).toBeCloseTo(28.6486, 3);
    c.t += wait;
    expect(l.tryTake()).toBe(true);
  });

  it('rejects a count that is not a whole number as a programming error', () => {
    const l = createSlidingWindowLimiter('5/1s', clock().now);
    expect(() => l.tryTake(1.5)).toThrow(RangeError);
    expect(() => l.msUntil(-1)).toThrow(RangeError);
  });

  it('refuses a rate that is not N > 0 per a positive window', () => {
    expect(() => createSlidingWindowLimiter({ tokens: 0, perMs: 1_000 }, clock().now)).toThrow(/invalid rate limit/);
    expect(() => createSlidingWindowLimiter({ tokens: 1.5, perMs: 1_000 }, clock().now)).toThrow(/invalid rate limit/);
    expect(() => createSlidingWindowLimiter({ tokens: 5, perMs: 0 }, clock().now)).toThrow(/invalid rate limit/);
  });
});
