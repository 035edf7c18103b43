import { describe, expect, it } from 'vitest';
import { checkRateLimit, consumeRateTokens, createRateLimiter } from '../../engine/risk/index.js';
import { submit } from './fake-env.js';

const clock = () => {
  const c = { t: 0, now: () => c.t };
  return c;
};

describe('checkRateLimit', () => {
  it('passes a command while both its venue and strategy limits have room', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '2/1s' }, perStrategy: '2/1s' }, clock().now);
    const cmd = submit();
    expect(checkRateLimit(cmd, limiter.limitersFor('SIM', 's1'))).toEqual({ ok: true, command: cmd });
  });

  it('denies with RATE_LIMITED naming the venue limit when the venue window is full', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '20/1s' } }, clock().now);
    for (let i = 0; i < 20; i++) expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(true);
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1'))).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'venue SIM rate limit 20/1s exceeded',
    });
  });

  it('denies naming the strategy limit when the strategy window is full', () => {
    const limiter = createRateLimiter({ perStrategy: '1/1s' }, clock().now);
    checkRateLimit(submit(), limiter.limitersFor('SIM', 's1'));
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1'))).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'strategy s1 rate limit 1/1s exceeded',
    });
    // Another strategy has its own limit.
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's2')).ok).toBe(true);
  });

  it('takes room in neither limit when one of them is full', () => {
    const c = clock();
    const limiter = createRateLimiter({ perVenue: { SIM: '5/1s' }, perStrategy: '1/1s' }, c.now);
    const [venue] = limiter.limitersFor('SIM', 's1');
    checkRateLimit(submit(), limiter.limitersFor('SIM', 's1'));
    expect(venue?.limiter.available()).toBe(4);
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(false);
    expect(venue?.limiter.available()).toBe(4);
  });

  it('never lets more than N through in one window: 20 at 0 ms, none more up to 999 ms (a token bucket let 19 more through)', () => {
    const c = clock();
    const limiter = createRateLimiter({ perVenue: { SIM: '20/1s' } }, c.now);
    let admitted = 0;
    for (c.t = 0; c.t < 1_000; c.t += 1) {
      while (checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok) admitted++;
    }
    expect(admitted).toBe(20);
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(true); // at 1 000 ms: a new window
  });

  it('frees room on the injected clock exactly one window after an admission', () => {
    const c = clock();
    const limiter = createRateLimiter({ perVenue: { SIM: '1/500ms' } }, c.now);
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(true);
    c.t += 499;
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(false);
    c.t += 1;
    expect(checkRateLimit(submit(), limiter.limitersFor('SIM', 's1')).ok).toBe(true);
  });

  it('gives every venue without its own entry a limit of its own from the "*" default', () => {
    const limiter = createRateLimiter({ perVenue: { '*': '1/1s', SIM: '3/1s' } }, clock().now);
    expect(checkRateLimit(submit(), limiter.limitersFor('A', 's1')).ok).toBe(true);
    expect(checkRateLimit(submit(), limiter.limitersFor('A', 's1'))).toMatchObject({ message: 'venue A rate limit 1/1s exceeded' });
    expect(checkRateLimit(submit(), limiter.limitersFor('B', 's1')).ok).toBe(true);
    expect(limiter.limitersFor('SIM', 's1')[0]?.spec).toBe('3/1s');
  });

  it('passes everything when no rate limit is configured', () => {
    const limiter = createRateLimiter(undefined, clock().now);
    expect(limiter.limitersFor('SIM', 's1')).toEqual([]);
    expect(checkRateLimit(submit(), []).ok).toBe(true);
  });

  it('throws on a malformed spec when the limiter is built', () => {
    expect(() => createRateLimiter({ perVenue: { SIM: '20/x' } }, clock().now)).toThrow(/invalid rate limit "20\/x"/);
  });
});

describe('consumeRateTokens (cancels)', () => {
  it('never denies, and takes room in each limit that has some', () => {
    const limiter = createRateLimiter({ perVenue: { SIM: '1/1s' }, perStrategy: '2/1s' }, clock().now);
    const limits = limiter.limitersFor('SIM', 's1');
    const cmd = submit();
    expect(consumeRateTokens(cmd, limits)).toEqual({ ok: true, command: cmd });
    expect(consumeRateTokens(cmd, limits).ok).toBe(true); // venue window full: still passes
    expect(limits.map((l) => l.limiter.available())).toEqual([0, 0]);
  });
});
