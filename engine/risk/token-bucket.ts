/**
 * Token bucket on the injected engine clock. It starts full, refills continuously (capacity / perMs tokens per ms,
 * capped at capacity), and never queues: a request over the limit is refused and the caller denies it.
 */
import type { Millis } from '../model/ids.js';

export interface Rate {
  /** Bucket capacity, and the number of tokens refilled per `perMs`. */
  readonly tokens: number;
  readonly perMs: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const RATE_RE = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m|h)\s*$/;

/** Parses "20/1s", "100/10s", "5/500ms", "1200/1m" (also "10/s"). Throws an Error with a readable message otherwise. */
export function parseRate(spec: string): Rate {
  const m = typeof spec === 'string' ? RATE_RE.exec(spec) : null;
  const tokens = m ? Number(m[1]) : NaN;
  const perMs = m ? Number(m[2] ?? 1) * (UNIT_MS[m[3] ?? ''] ?? NaN) : NaN;
  if (!m || !(tokens > 0) || !Number.isSafeInteger(tokens) || !(perMs > 0) || !Number.isFinite(perMs)) {
    throw new Error(
      `invalid rate limit ${JSON.stringify(spec)}: expected "<tokens>/<period>" with tokens a positive integer and ` +
        `period a positive number of ms, s, m or h, e.g. "20/1s", "5/500ms" or "1200/1m"`,
    );
  }
  return { tokens, perMs };
}

export interface TokenBucket {
  readonly rate: Rate;
  /** Tokens available now (fractional while refilling). */
  available(): number;
  /** True when n tokens could be taken now. Takes nothing. */
  canTake(n?: number): boolean;
  /** Takes n tokens if they are available now and returns true; otherwise takes nothing and returns false. */
  tryTake(n?: number): boolean;
  /** Milliseconds until n tokens will be available (0 when they are now). */
  msUntil(n?: number): number;
}

/** Absorbs float residue of the continuous refill (e.g. 0.9999999999 of a token after exactly one refill period). */
const EPS = 1e-9;

export function createTokenBucket(rate: Rate | string, now: () => Millis): TokenBucket {
  const r = typeof rate === 'string' ? parseRate(rate) : rate;
  if (!(r.tokens > 0) || !(r.perMs > 0) || !Number.isFinite(r.tokens) || !Number.isFinite(r.perMs)) {
    throw new Error(`invalid token bucket rate ${r.tokens}/${r.perMs}ms: tokens and period must be positive`);
  }
  const perMsRefill = r.tokens / r.perMs;
  let tokens = r.tokens;
  let last = now();
  const refill = (): void => {
    const t = now();
    // A clock that steps backwards refills nothing (and does not make the next refill larger).
    if (t > last) {
      tokens = Math.min(r.tokens, tokens + (t - last) * perMsRefill);
      last = t;
    }
  };
  const canTake = (n = 1): boolean => {
    refill();
    return tokens + EPS >= n;
  };
  return {
    rate: r,
    available: () => {
      refill();
      return tokens;
    },
    canTake,
    tryTake: (n = 1) => {
      if (!canTake(n)) return false;
      tokens = Math.max(0, tokens - n);
      return true;
    },
    msUntil: (n = 1) => {
      refill();
      return tokens + EPS >= n ? 0 : (n - tokens) / perMsRefill;
    },
  };
}
