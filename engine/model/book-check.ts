/**
 * Sanity of a book or quote built from a venue frame, checked once at the edge so a bad one never reaches a strategy
 * (DESIGN.md: untrusted input is a logged error, not a tick). Malformed:
 * - a price that is zero, negative or not finite, or a size that is negative or not finite;
 * - a crossed top of book: best bid above best ask.
 * A locked top of book (best bid equal to best ask) is allowed: venues quote it for real — Deriv's contract proposals
 * and spot ticks without a spread carry one price on both sides, and a fast market locks for a moment — while a
 * crossed one means the frame (or our reading of it) is wrong. An empty side is allowed (no quote then).
 * Levels are taken as given, best first (BookSnapshot's contract); only the tops are compared.
 */
import { err, ok, type Result } from './result.js';
import type { BookLevel, BookSnapshot, Quote } from './tick.js';

const goodPrice = (p: number): boolean => Number.isFinite(p) && p > 0;
const goodSize = (s: number | undefined): boolean => s === undefined || (Number.isFinite(s) && s >= 0);

function levelProblem(side: 'bid' | 'ask', levels: readonly BookLevel[]): string | undefined {
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (!goodPrice(l.price)) return `${side} level ${i} has price ${l.price}, not a positive number`;
    if (!goodSize(l.size)) return `${side} level ${i} has size ${l.size}, not zero or more`;
  }
  return undefined;
}

const crossed = (bid: number, ask: number): string | undefined => (bid > ask ? `crossed: best bid ${bid} is above best ask ${ask}` : undefined);

/** The book itself, or why it is malformed. */
export function checkBook<B extends Pick<BookSnapshot, 'bids' | 'asks'>>(book: B): Result<B, string> {
  const problem = levelProblem('bid', book.bids) ?? levelProblem('ask', book.asks);
  if (problem !== undefined) return err(problem);
  const bid = book.bids[0];
  const ask = book.asks[0];
  const cross = bid && ask ? crossed(bid.price, ask.price) : undefined;
  return cross === undefined ? ok(book) : err(cross);
}

/** The quote itself, or why it is malformed. */
export function checkQuote<Q extends Pick<Quote, 'bid' | 'ask' | 'bidSize' | 'askSize'>>(quote: Q): Result<Q, string> {
  if (!goodPrice(quote.bid)) return err(`bid ${quote.bid} is not a positive number`);
  if (!goodPrice(quote.ask)) return err(`ask ${quote.ask} is not a positive number`);
  if (!goodSize(quote.bidSize)) return err(`bid size ${quote.bidSize} is not zero or more`);
  if (!goodSize(quote.askSize)) return err(`ask size ${quote.askSize} is not zero or more`);
  const cross = crossed(quote.bid, quote.ask);
  return cross === undefined ? ok(quote) : err(cross);
}
