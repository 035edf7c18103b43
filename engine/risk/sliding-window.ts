/**
 * Exact rate limit on the injected engine clock: a sliding-window log. "N per W" admits a request at `now` only while
 * fewer than N admissions lie in the window (now − W, now], so no window of length W ever holds more than N admitted
 * requests (DESIGN.md, reliability rules). A token bucket or GCRA with burst N cannot promise that: a bucket admits N
 * at t and N−1 more at t + W − 1 ms.
 *
 * The window is half-open, as the venues' own limiters count (the Apifiny simulator drops a hit once
 * `hit <= now - windowMs`): an admission at t has left the window at exactly t + W, so requests at t and at t + W
 * both pass, and the full N is available again exactly W after a burst.
 *
 * Only the last N admission times matter (an older one left the window before these did), so they live in a ring
 * buffer of N numbers: a check is O(1) and allocates nothing; memory is 8 bytes × N. Denied requests are not recorded
 * and nothing queues: the caller denies or waits. `record` counts a request that had to go anyway; the window may then
 * hold more than N, and room comes back only when enough have left it.
 *
 * A clock that steps backwards lets nothing more through: a reading earlier than the newest admission expires less
 * (the window moves back with it), and an admission made then is recorded at the newest admission's time, so the log
 * stays in order and no entry expires sooner than it would have.
 */
import type { Millis } from '../model/ids.js';

export interface Rate {
  /** N: the most requests admitted in any window of `perMs`. */
  readonly tokens: number;
  /** W: the window length in ms. */
  readonly perMs: number;
}

/** The limiter keeps the last N admission times (8 bytes each): a bigger N is a typo, not a rate limit. */
export const MAX_RATE_TOKENS = 1_000_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const RATE_RE = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m|h)\s*$/;

/** Parses "20/1s", "100/10s", "5/500ms", "1200/1m" (also "10/s"). Throws an Error with a readable message otherwise. */
export function parseRate(spec: string): Rate {
  const m = typeof spec === 'string' ? RATE_RE.exec(spec) : null;
  const tokens = m ? Number(m[1]) : NaN;
  const perMs = m ? Number(m[2] ?? 1) * (UNIT_MS[m[3] ?? ''] ?? NaN) : NaN;
  if (!m || !(tokens > 0) || !(tokens <= MAX_RATE_TOKENS) || !Number.isSafeInteger(tokens) || !(perMs > 0) || !Number.isFinite(perMs)) {
    throw new Error(
      `invalid rate limit ${JSON.stringify(spec)}: expected "<tokens>/<period>" with tokens a positive integer up to ` +
        `${MAX_RATE_TOKENS} and period a positive number of ms, s, m or h, e.g. "20/1s", "5/500ms" or "1200/1m"`,
    );
  }
  return { tokens, perMs };
}

export interface SlidingWindowLimiter {
  readonly rate: Rate;
  /** How many requests could be admitted now (a whole number, 0…N). O(log N). */
  available(): number;
  /** True when n requests could be admitted now. Records nothing. */
  canTake(n?: number): boolean;
  /** Admits and records n requests if they fit now and returns true; otherwise records nothing and returns false. */
  tryTake(n?: number): boolean;
  /**
   * Records n requests made now whether or not they fit (one that had to go anyway). The window may then hold more
   * than N; there is no room again until enough of them have left it.
   */
  record(n?: number): void;
  /**
   * Exactly how long until n requests fit: 0 when they fit now; a request at now + msUntil(n) fits (as long as nothing
   * else is admitted meanwhile) and, on a whole-ms clock, one at now + msUntil(n) − 1 does not. Infinity when n > N.
   */
  msUntil(n?: number): number;
}

export function createSlidingWindowLimiter(rate: Rate | string, now: () => Millis): SlidingWindowLimiter {
  const r = typeof rate === 'string' ? parseRate(rate) : rate;
  const { tokens: limit, perMs: windowMs } = r;
  if (!Number.isSafeInteger(limit) || !(limit > 0) || !(limit <= MAX_RATE_TOKENS) || !(windowMs > 0) || !Number.isFinite(windowMs)) {
    throw new Error(
      `invalid rate limit ${limit}/${windowMs}ms: N must be a whole number from 1 to ${MAX_RATE_TOKENS} and the window a positive number of ms`,
    );
  }
  /** The last `count` (≤ N) admission times, oldest at `head`, in non-decreasing order. */
  const log = new Float64Array(limit);
  let head = 0;
  let count = 0;
  let newest = -Infinity;

  /** n must be a whole number ≥ 0: anything else is a programming error, not a denial. */
  const checkCount = (n: number): void => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`rate limiter: n must be a whole number ≥ 0, got ${n}`);
  };
  /** The i-th oldest admission still in the log (0 = oldest). */
  const at = (i: number): number => {
    const k = head + i;
    return log[k < limit ? k : k - limit]!;
  };
  /** Whether the admission at time `t0` has left the window at `t` (the venue's `t0 <= now - windowMs`). */
  const expired = (t0: number, t: number): boolean => t0 <= t - windowMs;
  /**
   * n more fit at t iff at least count + n − N of the logged admissions have expired; the log is in order, so that is
   * iff the (count + n − N)-th oldest has. Returns that admission's index, or −1 when there is room regardless.
   */
  const blocker = (n: number): number => count + n - limit - 1;
  const fits = (n: number, t: number): boolean => {
    checkCount(n);
    if (n > limit) return false;
    const b = blocker(n);
    return b < 0 || expired(at(b), t);
  };

  /**
   * Logs n admissions at t: while the log holds fewer than N they are appended, then each overwrites the oldest (which
   * tryTake has checked has left the window; record may push out one still inside, and the log then still answers
   * exactly, since only the newest N can decide when the window next has room).
   */
  const push = (n: number, t: number): void => {
    // Never record earlier than the newest admission: keeps the log in order under a clock that steps backwards.
    const stamp = t > newest ? t : newest;
    newest = stamp;
    const times = n < limit ? n : limit; // beyond N, older copies of the same stamp would only be overwritten
    for (let i = 0; i < times; i++) {
      if (count < limit) {
        const k = head + count;
        log[k < limit ? k : k - limit] = stamp;
        count++;
      } else {
        log[head] = stamp;
        head = head + 1 < limit ? head + 1 : 0;
      }
    }
  };

  return {
    rate: r,
    canTake: (n = 1) => fits(n, now()),
    tryTake: (n = 1) => {
      const t = now();
      if (!fits(n, t)) return false;
      push(n, t);
      return true;
    },
    record: (n = 1) => {
      checkCount(n);
      push(n, now());
    },
    msUntil: (n = 1) => {
      checkCount(n);
      if (n > limit) return Infinity;
      const t = now();
      const b = blocker(n);
      if (b < 0) return 0;
      const t0 = at(b);
      if (expired(t0, t)) return 0;
      let ms = t0 + windowMs - t;
      // Fractional readings (a simulated clock): step up by an ulp or two until a reading of t + ms sees t0 expired.
      for (let i = 0; i < 8 && !expired(t0, t + ms); i++) ms += Math.max(Number.MIN_VALUE, Math.abs(t + ms) * Number.EPSILON);
      return ms;
    },
    available: () => {
      const t = now();
      // Binary search for the number of expired admissions (a prefix of the ordered log).
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (expired(at(mid), t)) lo = mid + 1;
        else hi = mid;
      }
      return limit - (count - lo);
    },
  };
}
