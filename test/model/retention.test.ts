import { describe, expect, it } from 'vitest';
import { createRetention } from '../../engine/model/retention.js';

describe('retention of done items', () => {
  it('drops the oldest items, in order, once more than keep are held and they are at least minAgeMs old', () => {
    const dropped: number[] = [];
    const r = createRetention<number>({ keep: 3, minAgeMs: 10 }, (x) => dropped.push(x));
    for (let i = 0; i < 5; i++) r.add(i, 100); // all young: nothing goes
    expect([r.size, dropped]).toEqual([5, []]);
    r.add(5, 109);
    expect(dropped).toEqual([]);
    r.add(6, 110); // items 0…3 are now 10 ms old; three newer ones stay
    expect(dropped).toEqual([0, 1, 2, 3]);
    expect(Array.from({ length: r.size }, (_, i) => r.at(i))).toEqual([4, 5, 6]);
    expect([r.slice(), r.slice(1)]).toEqual([[4, 5, 6], [5, 6]]);
  });

  it('keeps order and indexes through many drops (the arrays are compacted as it goes)', () => {
    let next = 0;
    const r = createRetention<number>({ keep: 100, minAgeMs: 0 }, (x) => expect(x).toBe(next++));
    for (let i = 0; i < 10_000; i++) r.add(i, i);
    expect(next).toBe(9_900);
    expect(r.size).toBe(100);
    expect([r.at(0), r.at(99)]).toEqual([9_900, 9_999]);
  });
});
