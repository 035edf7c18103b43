import { describe, expect, it } from 'vitest';
import { excerpt } from '../../engine/log/excerpt.js';

const deeplyNested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;

/** An array of `n` items that counts how many of them are read. */
function countingArray(n: number): { value: unknown[]; reads: () => number } {
  let reads = 0;
  const value = new Proxy(new Array<number>(n).fill(7), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { value, reads: () => reads };
}

describe('excerpt', () => {
  it('writes a small value as its JSON', () => {
    const v = { channel: 'orderbook', bids: [[100, 1.5]], ok: true, none: null };
    expect(excerpt(v, 200)).toBe(JSON.stringify(v));
  });

  it('quotes a string as it is, cut to the limit with an ellipsis', () => {
    expect(excerpt('{"not json', 200)).toBe('{"not json');
    expect(excerpt('abcdefghij', 5)).toBe('abcd…');
  });

  it('cuts a long value to at most maxChars characters ending in an ellipsis', () => {
    const out = excerpt({ a: 'x'.repeat(1_000), b: [1, 2, 3] }, 40);
    expect(out).toHaveLength(40);
    expect(out.startsWith('{"a":"xxxx')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });

  it('does not throw on 100,000 levels of nesting, where JSON.stringify overflows the stack', () => {
    const v = deeplyNested(100_000);
    expect(() => JSON.stringify(v)).toThrow(RangeError);
    const out = excerpt(v, 160);
    expect(out).toBe(`${'['.repeat(159)}…`);
  });

  it('reads only about maxChars items of a huge array, never the whole of it', () => {
    const { value, reads } = countingArray(1_000_000);
    const out = excerpt(value, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(reads()).toBeLessThan(200);
  });

  it('cuts a megabyte string inside a frame without copying it whole into the output', () => {
    const out = excerpt({ junk: 'y'.repeat(1_000_000) }, 100);
    expect(out).toHaveLength(100);
    expect(out.startsWith('{"junk":"yyy')).toBe(true);
  });

  it('writes a value met again inside itself as [Circular], and a repeated sibling in full', () => {
    const shared = { n: 1 };
    const v: Record<string, unknown> = { a: shared, b: shared };
    v.self = v;
    expect(excerpt(v, 200)).toBe('{"a":{"n":1},"b":{"n":1},"self":"[Circular]"}');
  });

  it('shows what JSON would drop or refuse: undefined, NaN, bigint, functions', () => {
    expect(excerpt([undefined, Number.NaN, 10n, () => 1], 200)).toBe('[undefined,NaN,10n,[Function]]');
    expect(excerpt(undefined, 200)).toBe('undefined');
  });

  it('keeps what it wrote when a getter throws, instead of throwing', () => {
    const v = { a: 1, get b(): number {
      throw new Error('boom');
    } };
    expect(excerpt(v, 200)).toBe('{"a":1…');
  });

  it('writes buffers, dates and errors as one token', () => {
    expect(excerpt([Buffer.alloc(3), new Date(0), new Error('bad')], 200)).toBe(
      '["[Buffer of 3 bytes]","1970-01-01T00:00:00.000Z","Error: bad"]',
    );
  });
});
