/**
 * One session's feed subscriptions: FeedSubscribe (BookDepth, FrequencyPriority → at most one FeedTick per
 * 2^p × 500 ms, the latest book sent at the end of the window) and BarFeedSubscribe (FeedBarUpdate on every change).
 *
 * The throttle of a symbol: a change at least a window after the last send is sent at once (and clears any timer
 * still pending); a change inside the window arms one timer for the window's end, which checks the clock again when
 * it fires (a timer may fire a little early or late) and sends the latest book then. So no two sends of a symbol
 * are ever less than a window apart.
 */
import { createLiveBar, type LiveBar, type PriceType } from './bars.js';
import type { SimMarket, SymbolBook, Level } from './market.js';
import { ERRORS, MAX_BOOK_DEPTH, MAX_FREQUENCY_PRIORITY, PERIODICITY_MS } from './protocol.js';
import { isRecord, type Replier, type RequestId } from './reply.js';

/** The timers the throttle uses; tests inject a fake clock's. */
export interface FeedTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: FeedTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface TickSub {
  depth: number;
  periodMs: number;
  lastSentAt: number;
  timer: unknown;
}

interface BarSub {
  readonly periodicity: string;
  readonly priceType: PriceType;
  readonly bar: LiveBar;
}

export interface FeedSession {
  handleFeedSubscribe(id: RequestId, params: unknown): void;
  handleBarSubscribe(id: RequestId, params: unknown): void;
  /** Stops every timer and listener. */
  dispose(): void;
}

const level = (type: 'Bid' | 'Ask', l: Level) => ({ Type: type, Price: l.price, Volume: l.volume });

export function feedTickOf(book: SymbolBook, depth: number): object {
  const b = book.bids[0];
  const a = book.asks[0];
  return {
    Symbol: book.symbol,
    Timestamp: book.timestamp,
    ...(b ? { BestBid: level('Bid', b) } : {}),
    ...(a ? { BestAsk: level('Ask', a) } : {}),
    Bids: book.bids.slice(0, depth).map((l) => level('Bid', l)),
    Asks: book.asks.slice(0, depth).map((l) => level('Ask', l)),
  };
}

export function createFeedSession(opts: { market: SimMarket; replier: Replier; now: () => number; throttleBaseMs: number; silenced: () => boolean; timers?: FeedTimers }): FeedSession {
  const { market, replier: r, now } = opts;
  const timers = opts.timers ?? realTimers;
  const ticks = new Map<string, TickSub>();
  const bars = new Map<string, BarSub[]>();

  const clearTimer = (sub: TickSub): void => {
    if (sub.timer !== undefined) timers.clear(sub.timer);
    sub.timer = undefined;
  };
  const sendTick = (symbol: string, sub: TickSub): void => {
    clearTimer(sub);
    const book = market.book(symbol);
    if (!book || opts.silenced()) return;
    sub.lastSentAt = now();
    r.send({ Response: 'FeedTick', Result: feedTickOf(book, sub.depth) });
  };
  /** Sends now when the window since the last send has ended, else once at its end (one timer at a time). */
  const throttled = (symbol: string, sub: TickSub): void => {
    const wait = sub.lastSentAt + sub.periodMs - now();
    if (sub.periodMs === 0 || wait <= 0) return sendTick(symbol, sub);
    sub.timer ??= timers.set(() => {
      sub.timer = undefined;
      if (ticks.get(symbol) === sub) throttled(symbol, sub);
    }, wait);
  };

  const barUpdate = (symbol: string, subs: readonly BarSub[], id?: RequestId): void => {
    const book = market.book(symbol);
    const updates = subs.filter((s) => s.bar.current).map((s) => ({ ...wireBar(s), PriceType: s.priceType, Periodicity: s.periodicity }));
    r.send({
      ...(id !== undefined ? { Id: id } : {}),
      Result: { Updates: updates, ...(book?.bids[0] ? { BidClose: book.bids[0].price } : {}), ...(book?.asks[0] ? { AskClose: book.asks[0].price } : {}), SymbolAlias: symbol },
      Response: 'FeedBarUpdate',
    });
  };
  const wireBar = (s: BarSub) => {
    const b = s.bar.current!;
    return { Low: b.low, High: b.high, Time: b.time, Open: b.open };
  };
  const feedBars = (symbol: string, subs: readonly BarSub[]): void => {
    const book = market.book(symbol);
    if (!book) return;
    for (const s of subs) {
      const price = s.priceType === 'Bid' ? book.bids[0]?.price : book.asks[0]?.price;
      if (price !== undefined) s.bar.update(price, now());
    }
  };

  const off = market.onChange((book) => {
    const t = ticks.get(book.symbol);
    if (t) throttled(book.symbol, t);
    const b = bars.get(book.symbol);
    if (b && !opts.silenced()) {
      feedBars(book.symbol, b);
      barUpdate(book.symbol, b);
    }
  });

  /** The symbols of an Unsubscribe request; undefined once the error is answered (not a list of names, an unknown symbol). */
  const unsubscribed = (id: RequestId, params: Record<string, unknown>): string[] | undefined => {
    const list = params.Unsubscribe;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) return void r.error(id, ERRORS.param('Unsubscribe'));
    const unknown = (list as string[]).find((s) => !market.spec(s));
    if (unknown !== undefined) return void r.error(id, ERRORS.symbolNotFound(unknown));
    return list as string[];
  };

  return {
    handleFeedSubscribe(id, params) {
      if (!isRecord(params)) return r.error(id, ERRORS.param('Params'));
      if (params.Unsubscribe !== undefined) {
        const list = unsubscribed(id, params);
        if (list === undefined) return;
        for (const s of list) {
          const t = ticks.get(s);
          if (t) clearTimer(t);
          ticks.delete(s);
        }
        return r.ok(id, 'FeedSubscribe', { Snapshot: [] });
      }
      const list = params.Subscribe;
      if (!Array.isArray(list) || list.length === 0) return r.error(id, ERRORS.param('Subscribe'));
      const wanted: { symbol: string; depth: number; periodMs: number }[] = [];
      for (const e of list) {
        if (!isRecord(e) || typeof e.Symbol !== 'string') return r.error(id, ERRORS.param('Symbol'));
        if (!market.spec(e.Symbol)) return r.error(id, ERRORS.symbolNotFound(e.Symbol));
        const depth = e.BookDepth ?? 1;
        if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth > MAX_BOOK_DEPTH) return r.error(id, ERRORS.param('BookDepth'));
        const p = e.FrequencyPriority;
        if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > MAX_FREQUENCY_PRIORITY)) return r.error(id, ERRORS.param('FrequencyPriority'));
        wanted.push({ symbol: e.Symbol, depth, periodMs: p === undefined ? 0 : 2 ** p * opts.throttleBaseMs });
      }
      const snapshot: object[] = [];
      for (const w of wanted) {
        const old = ticks.get(w.symbol);
        if (old) clearTimer(old);
        ticks.set(w.symbol, { depth: w.depth, periodMs: w.periodMs, lastSentAt: now(), timer: undefined });
        const book = market.book(w.symbol);
        if (book) snapshot.push(feedTickOf(book, w.depth));
      }
      r.ok(id, 'FeedSubscribe', { Snapshot: snapshot });
    },
    handleBarSubscribe(id, params) {
      if (!isRecord(params)) return r.error(id, ERRORS.param('Params'));
      if (params.Unsubscribe !== undefined) {
        const list = unsubscribed(id, params);
        if (list === undefined) return;
        for (const s of list) bars.delete(s);
        return r.ok(id, 'BarFeedSubscribe', {});
      }
      const list = params.Subscribe;
      if (!Array.isArray(list) || list.length === 0) return r.error(id, ERRORS.param('Subscribe'));
      const wanted = new Map<string, BarSub[]>();
      for (const e of list) {
        if (!isRecord(e) || typeof e.Symbol !== 'string') return r.error(id, ERRORS.param('Symbol'));
        if (!market.spec(e.Symbol)) return r.error(id, ERRORS.symbolNotFound(e.Symbol));
        if (!Array.isArray(e.BarParams) || e.BarParams.length === 0) return r.error(id, ERRORS.param('BarParams'));
        const subs: BarSub[] = [];
        for (const bp of e.BarParams) {
          if (!isRecord(bp) || typeof bp.Periodicity !== 'string' || PERIODICITY_MS[bp.Periodicity] === undefined) {
            return r.error(id, ERRORS.periodicity(String(isRecord(bp) ? bp.Periodicity : bp)));
          }
          if (bp.PriceType !== 'Bid' && bp.PriceType !== 'Ask') return r.error(id, ERRORS.priceType(String(bp.PriceType)));
          subs.push({ periodicity: bp.Periodicity, priceType: bp.PriceType, bar: createLiveBar(bp.Periodicity) });
        }
        wanted.set(e.Symbol, subs);
      }
      // Documented: the answer to BarFeedSubscribe is a FeedBarUpdate (here carrying the request Id), one per symbol.
      for (const [symbol, subs] of wanted) {
        bars.set(symbol, subs);
        feedBars(symbol, subs);
        barUpdate(symbol, subs, id);
      }
    },
    dispose() {
      off();
      for (const t of ticks.values()) clearTimer(t);
      ticks.clear();
      bars.clear();
    },
  };
}
