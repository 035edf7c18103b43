import { describe, expect, it } from 'vitest';
import { createPrng } from '../prng.js';
import { createFeedSession, type FeedTimers } from './feed.js';
import { createSimMarket } from './market.js';
import { createReplier } from './reply.js';
import { DEFAULT_SYMBOLS } from './symbols.js';

/**
 * A fake clock whose timers fire up to 1 ms early or 3 ms late (as a busy event loop's do), ties in a random order:
 * the FrequencyPriority throttle runs against it over a long random stream of book changes.
 */
function fakeClock(random: () => number) {
  let t = 1_000_000;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: FeedTimers = {
    set: (fn, ms) => {
      const id = ++seq;
      due.set(id, { at: t + ms + Math.floor(random() * 5) - 1, fn });
      return id;
    },
    clear: (id) => void due.delete(id as number),
  };
  /** Runs every timer due by `to` in time order (a timer due exactly at `to` before or after the caller's event, at random). */
  const advance = (to: number): void => {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of due) if (!next || e[1].at < next[1].at) next = e;
      if (!next || next[1].at > to || (next[1].at === to && random() < 0.5)) break;
      due.delete(next[0]);
      t = Math.max(t, next[1].at);
      next[1].fn();
    }
    t = to;
  };
  return { now: () => t, timers, advance, pending: () => due.size };
}

type Sent = { symbol: string; at: number; bid: number };

describe('TickTrader simulator FrequencyPriority throttle', () => {
  it('never sends a symbol twice inside one 2^p × 500 ms window, sends at once after a quiet window and always ends on the latest book', () => {
    const random = createPrng(20_260_214);
    const clock = fakeClock(random);
    const market = createSimMarket(DEFAULT_SYMBOLS, { seed: 7, volatility: 0.0005, now: clock.now });
    const sent: Sent[] = [];
    const replier = createReplier((text) => {
      const f = JSON.parse(text) as { Response: string; Result: { Symbol: string; BestBid: { Price: number } } };
      if (f.Response === 'FeedTick') sent.push({ symbol: f.Result.Symbol, at: clock.now(), bid: f.Result.BestBid.Price });
    });
    const feed = createFeedSession({ market, replier, now: clock.now, throttleBaseMs: 500, silenced: () => false, timers: clock.timers });
    const symbols = DEFAULT_SYMBOLS.slice(0, 3).map((s) => s.wire.Symbol);
    const periodOf = new Map(symbols.map((s, i) => [s, 2 ** i * 500]));
    feed.handleFeedSubscribe(1, { Subscribe: symbols.map((Symbol, i) => ({ Symbol, BookDepth: 1, FrequencyPriority: i })) });
    const lastSend = new Map(symbols.map((s) => [s, clock.now()])); // the snapshot is the first send
    let immediate = 0;
    let seen = 0;
    const noteSends = (): void => {
      for (; seen < sent.length; seen++) lastSend.set(sent[seen]!.symbol, sent[seen]!.at);
    };

    for (let i = 0; i < 20_000; i++) {
      // bursts in one millisecond, small gaps, and quiet spells longer than any window
      const r = random();
      const gap = r < 0.3 ? 0 : r < 0.9 ? Math.floor(random() * 120) : 500 + Math.floor(random() * 3_000);
      clock.advance(clock.now() + gap);
      noteSends();
      const symbol = symbols[Math.floor(random() * symbols.length)]!;
      const before = sent.length;
      const quiet = clock.now() - lastSend.get(symbol)! >= periodOf.get(symbol)!;
      market.moveTo(symbol, market.book(symbol)!.bids[0]!.price * (1 + (random() - 0.5) * 0.001));
      noteSends();
      if (quiet) {
        // a change after the window ended goes out at once, and no timer of that symbol is left to send it again
        expect(sent.slice(before).map((s) => s.symbol)).toContain(symbol);
        immediate++;
      }
    }
    clock.advance(clock.now() + 10_000);
    expect(clock.pending()).toBe(0);

    for (const symbol of symbols) {
      const mine = sent.filter((s) => s.symbol === symbol);
      const period = periodOf.get(symbol)!;
      expect(mine.length).toBeGreaterThan(100);
      for (let k = 1; k < mine.length; k++) {
        if (mine[k]!.at - mine[k - 1]!.at < period) throw new Error(`${symbol}: sends at ${mine[k - 1]!.at} and ${mine[k]!.at}, inside one ${period} ms window`);
      }
      expect(mine.at(-1)!.bid).toBe(market.book(symbol)!.bids[0]!.price);
    }
    expect(immediate).toBeGreaterThan(100);
    feed.dispose();
  });

  it('clears the pending timer when a change after the window is sent at once', () => {
    const random = () => 0.25; // every timer fires exactly on time
    const clock = fakeClock(random);
    const market = createSimMarket(DEFAULT_SYMBOLS, { seed: 7, volatility: 0.0005, now: clock.now });
    const sent: number[] = [];
    const feed = createFeedSession({ market, replier: createReplier((text) => void (JSON.parse(text).Response === 'FeedTick' && sent.push(clock.now()))), now: clock.now, throttleBaseMs: 500, silenced: () => false, timers: clock.timers });
    const symbol = DEFAULT_SYMBOLS[0]!.wire.Symbol;
    feed.handleFeedSubscribe(1, { Subscribe: [{ Symbol: symbol, BookDepth: 1, FrequencyPriority: 0 }] });
    clock.advance(clock.now() + 100);
    market.moveTo(symbol, 1.1); // inside the window: a timer for its end
    expect(clock.pending()).toBe(1);
    clock.advance(clock.now() + 400); // the window's end, the timer not yet run (a late timer)
    market.moveTo(symbol, 1.2); // after the window: sent at once
    expect(sent).toEqual([clock.now()]);
    expect(clock.pending()).toBe(0);
    clock.advance(clock.now() + 1_000);
    expect(sent).toHaveLength(1);
    feed.dispose();
  });
});
