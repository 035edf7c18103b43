import { describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter, parseRate, type Rate } from '../../engine/risk/index.js';
import { createPrng } from '../venues/prng.js';

/**
 * Random request times for a rate: bursts at one instant, gaps shorter than, around and longer than the window, and
 * (with `backwards`) the odd clock step back. Whole milliseconds, like the live clock.
 */
function requestTimes(rate: Rate, count: number, seed: number, backwards = false): number[] {
  const rnd = createPrng(seed);
  const times: number[] = [];
  const quiet = Math.min(0.1, 1 / (4 * rate.tokens));
  let t = 1_000_000;
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (backwards && r < 0.02) t -= Math.floor(rnd() * 2 * rate.perMs);
    else if (r < 0.3) t += 0; // several requests at the same instant
    else if (r < 1 - quiet) t += Math.floor(rnd() * ((2 * rate.perMs) / rate.tokens)); // ~1.7 N per window
    else t += Math.floor(rnd() * 1.5 * rate.perMs); // a quiet spell
    times.push(t);
  }
  return times;
}

/** The admission times, offered to the limiter in order. */
function admitted(rate: Rate, times: readonly number[]): number[] {
  const clock = { t: 0 };
  const limiter = createSlidingWindowLimiter(rate, () => clock.t);
  const out: number[] = [];
  for (const t of times) {
    clock.t = t;
    if (limiter.tryTake()) out.push(t);
  }
  return out;
}

/** By brute force: the most admissions any half-open window (x − W, x] holds; the fullest one ends on an admission. */
function fullestWindow(admissions: readonly number[], windowMs: number): number {
  let most = 0;
  for (const end of admissions) {
    let n = 0;
    for (const t of admissions) if (t > end - windowMs && t <= end) n++;
    most = Math.max(most, n);
  }
  return most;
}

const SPECS = ['1/1s', '20/1s', '5/500ms', '1200/1m'];
const REQUESTS = 4_000;

describe('sliding-window limiter property: no window of the configured length ever holds more than N admissions', () => {
  for (const spec of SPECS) {
    it(`holds for ${spec} over ${REQUESTS} random request times, and the fullest window holds exactly N`, () => {
      const rate = parseRate(spec);
      for (const seed of [1, 2, 3]) {
        const times = requestTimes(rate, REQUESTS, seed * 7919);
        const admissions = admitted(rate, times);
        expect(fullestWindow(admissions, rate.perMs), `seed ${seed}`).toBe(rate.tokens);
      }
    });

    it(`holds for ${spec} when the clock sometimes steps backwards`, () => {
      const rate = parseRate(spec);
      for (const seed of [4, 5, 6]) {
        const admissions = admitted(rate, requestTimes(rate, REQUESTS, seed * 7919, true));
        expect(fullestWindow(admissions, rate.perMs), `seed ${seed}`).toBeLessThanOrEqual(rate.tokens);
      }
    });
  }

  it('admits every request that fits (exact, not merely safe): each denial faced N admissions in its window', () => {
    for (const spec of SPECS) {
      const rate = parseRate(spec);
      const clock = { t: 0 };
      const limiter = createSlidingWindowLimiter(rate, () => clock.t);
      const admissions: number[] = [];
      let denials = 0;
      for (const t of requestTimes(rate, REQUESTS, 42)) {
        clock.t = t;
        if (limiter.tryTake()) admissions.push(t);
        else {
          denials++;
          expect(admissions.filter((a) => a > t - rate.perMs && a <= t), `${spec} at ${t}`).toHaveLength(rate.tokens);
        }
      }
      expect(denials, spec).toBeGreaterThan(0);
    }
  });

  it('tells the exact wait: at now + msUntil a request fits, one ms earlier it does not', () => {
    for (const spec of SPECS) {
      const rate = parseRate(spec);
      const clock = { t: 0 };
      const limiter = createSlidingWindowLimiter(rate, () => clock.t);
      let checked = 0;
      for (const t of requestTimes(rate, REQUESTS, 99)) {
        clock.t = t;
        const wait = limiter.msUntil();
        if (wait > 0) {
          clock.t = t + wait - 1;
          expect(limiter.canTake(), `${spec} at ${t}: ${wait - 1} ms`).toBe(false);
          clock.t = t + wait;
          expect(limiter.canTake(), `${spec} at ${t}: ${wait} ms`).toBe(true);
          clock.t = t;
          checked++;
        }
        limiter.tryTake();
      }
      expect(checked, spec).toBeGreaterThan(0);
    }
  });
});
