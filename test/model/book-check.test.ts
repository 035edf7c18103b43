import { describe, expect, it } from 'vitest';
import { checkBook, checkQuote } from '../../engine/model/book-check.js';

const lv = (price: number, size: number) => ({ price, size });

describe('checkBook', () => {
  it('accepts a normal book, a locked one and one with an empty side', () => {
    expect(checkBook({ bids: [lv(99, 1), lv(98, 2)], asks: [lv(101, 1)] }).ok).toBe(true);
    expect(checkBook({ bids: [lv(100, 1)], asks: [lv(100, 1)] }).ok).toBe(true);
    expect(checkBook({ bids: [], asks: [lv(100, 1)] }).ok).toBe(true);
    expect(checkBook({ bids: [lv(100, 0)], asks: [] }).ok).toBe(true);
  });

  it('returns the book itself when it is good', () => {
    const book = { bids: [lv(99, 1)], asks: [lv(101, 1)] };
    expect(checkBook(book)).toEqual({ ok: true, value: book });
  });

  it('refuses a crossed book, naming both prices', () => {
    expect(checkBook({ bids: [lv(101, 1)], asks: [lv(100, 1)] })).toEqual({ ok: false, error: 'crossed: best bid 101 is above best ask 100' });
  });

  it('refuses a price that is zero, negative or not finite at any level', () => {
    expect(checkBook({ bids: [lv(99, 1), lv(0, 1)], asks: [] })).toEqual({ ok: false, error: 'bid level 1 has price 0, not a positive number' });
    expect(checkBook({ bids: [], asks: [lv(-3, 1)] })).toEqual({ ok: false, error: 'ask level 0 has price -3, not a positive number' });
    expect(checkBook({ bids: [lv(Number.NaN, 1)], asks: [] }).ok).toBe(false);
  });

  it('refuses a negative or not finite size', () => {
    expect(checkBook({ bids: [lv(99, -1)], asks: [] })).toEqual({ ok: false, error: 'bid level 0 has size -1, not zero or more' });
    expect(checkBook({ bids: [], asks: [lv(101, Number.POSITIVE_INFINITY)] }).ok).toBe(false);
  });
});

describe('checkQuote', () => {
  it('accepts a normal quote, a locked one and one without sizes', () => {
    expect(checkQuote({ bid: 99, ask: 101, bidSize: 1, askSize: 0 }).ok).toBe(true);
    expect(checkQuote({ bid: 100, ask: 100 }).ok).toBe(true);
  });

  it('refuses a crossed quote, a price not above zero and a negative size', () => {
    expect(checkQuote({ bid: 101, ask: 100 })).toEqual({ ok: false, error: 'crossed: best bid 101 is above best ask 100' });
    expect(checkQuote({ bid: 0, ask: 100 })).toEqual({ ok: false, error: 'bid 0 is not a positive number' });
    expect(checkQuote({ bid: 99, ask: -1 })).toEqual({ ok: false, error: 'ask -1 is not a positive number' });
    expect(checkQuote({ bid: 99, ask: 101, askSize: -2 })).toEqual({ ok: false, error: 'ask size -2 is not zero or more' });
  });
});
