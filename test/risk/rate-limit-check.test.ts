import { describe, expect, it } from 'vitest';
import { checkRateLimit, consumeRateTokens, createRateLimiter } from '../../engine/risk/index.js';
import { submit } from './fake-env.js';

const clock = () => {
  const c = { t: 0, now: () => c.t };
  return c;
};

describe('checkRateLimit', () => {
  it('passes a command while both its venue and strategy buckets have tokens', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '2/1s' }, perStrategy: '2/1s' }, clock().now);
    const cmd = submit();
    expect(checkRateLimit(cmd, limiter.bucketsFor('SIM', 's1'))).toEqual({ ok: true, command: cmd });
  });

  it('denies with RATE_LIMITED naming the venue limit when the venue bucket is empty', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '20/1s' } }, clock().now);
    for (let i = 0; i < 20; i++) expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1')).ok).toBe(true);
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1'))).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'venue SIM rate limit 20/1s exceeded',
    });
  });

  it('denies naming the strategy limit when the strategy bucket is empty', () => {
    const limiter = createRateLimiter({ perStrategy: '1/1s' }, clock().now);
    checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1'));
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1'))).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'strategy s1 rate limit 1/1s exceeded',
    });
    // Another strategy has its own bucket.
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's2')).ok).toBe(true);
  });

  it('takes no token from either bucket when one of them is empty', () => {
    const c = clock();
    const limiter = createRateLimiter({ perVenue: { SIM: '5/1s' }, perStrategy: '1/1s' }, c.now);
    const [venue] = limiter.bucketsFor('SIM', 's1');
    checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1'));
    expect(venue?.bucket.available()).toBe(4);
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1')).ok).toBe(false);
    expect(venue?.bucket.available()).toBe(4);
  });

  it('refills on the injected clock', () => {
    const c = clock();
    const limiter = createRateLimiter({ perVenue: { SIM: '1/500ms' } }, c.now);
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1')).ok).toBe(true);
    c.t += 499;
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1')).ok).toBe(false);
    c.t += 1;
    expect(checkRateLimit(submit(), limiter.bucketsFor('SIM', 's1')).ok).toBe(true);
  });

  it('gives every venue without its own entry a bucket of its own from the "*" default', () => {
    const limiter = createRateLimiter({ perVenue: { '*': '1/1s', SIM: '3/1s' } }, clock().now);
    expect(checkRateLimit(submit(), limiter.bucketsFor('A', 's1')).ok).toBe(true);
    expect(checkRateLimit(submit(), limiter.bucketsFor('A', 's1'))).toMatchObject({ message: 'venue A rate limit 1/1s exceeded' });
    expect(checkRateLimit(submit(), limiter.bucketsFor('B', 's1')).ok).toBe(true);
    expect(limiter.bucketsFor('SIM', 's1')[0]?.spec).toBe('3/1s');
  });

  it('passes everything when no rate limit is configured', () => {
    const limiter = createRateLimiter(undefined, clock().now);
    expect(limiter.bucketsFor('SIM', 's1')).toEqual([]);
    expect(checkRateLimit(submit(), []).ok).toBe(true);
  });

  it('throws on a malformed spec when the limiter is built', () => {
    expect(() => createRateLimiter({ perVenue: { SIM: '20/x' } }, clock().now)).toThrow(/invalid rate limit "20\/x"/);
  });
});

describe('consumeRateTokens (cancels)', () => {
  it('never denies, and takes a token from each bucket that has one', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '1/1s' }, perStrategy: '2/1s' }, clock().now);
    const buckets = limiter.bucketsFor('SIM', 's1');
    const cmd = submit();
    expect(consumeRateTokens(cmd, buckets)).toEqual({ ok: true, command: cmd });
    expect(consumeRateTokens(cmd, buckets).ok).toBe(true); // venue bucket empty: still passes
    expect(buckets.map((b) => b.bucket.available())).toEqual([0, 0]);
  });
});
