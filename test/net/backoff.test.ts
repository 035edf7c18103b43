import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../engine/net/backoff.js';

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('backoff', () => {
  it('grows the ceiling by the factor per attempt and caps it at maxMs', () => {
    const b = createBackoff({ initialMs: 100, maxMs: 1_000, factor: 2, random: () => 0.999999 });
    const delays = Array.from({ length: 7 }, () => b.next());
    const ceilings = [100, 200, 400, 800, 1_000, 1_000, 1_000];
    delays.forEach((d, i) => {
      expect(d).toBeLessThan(ceilings[i]!);
      expect(d).toBeGreaterThan(ceilings[i]! * 0.99);
    });
  });

  it('applies full jitter: each delay is random × ceiling, within [0, ceiling)', () => {
    const b = createBackoff({ initialMs: 100, maxMs: 10_000, random: sequence(0.5, 0.25, 0, 0.75) });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([50, 50, 0, 600]);
  });

  it('starts again from the first ceiling after reset and counts attempts', () => {
    const b = createBackoff({ initialMs: 10, maxMs: 100, random: () => 0.5 });
    b.next();
    b.next();
    expect(b.attempt).toBe(2);
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(5);
  });

  it('clamps a random source that strays outside [0, 1]', () => {
    expect(createBackoff({ initialMs: 10, maxMs: 100, random: () => 7 }).next()).toBe(10);
    expect(createBackoff({ initialMs: 10, maxMs: 100, random: () => -1 }).next()).toBe(0);
    expect(createBackoff({ initialMs: 10, maxMs: 100, random: () => Number.NaN }).next()).toBe(0);
  });

  it('refuses nonsensical settings', () => {
    expect(() => createBackoff({ initialMs: 0, maxMs: 10, random: () => 0 })).toThrow(/invalid backoff/);
    expect(() => createBackoff({ initialMs: 10, maxMs: 5, random: () => 0 })).toThrow(/invalid backoff/);
    expect(() => createBackoff({ initialMs: 10, maxMs: 50, factor: 0.5, random: () => 0 })).toThrow(/invalid backoff/);
  });
});
