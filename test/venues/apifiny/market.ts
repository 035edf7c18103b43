/**
 * The simulated market: a seeded random walk per symbol (deterministic for a seed: the same sequence of steps gives the
 * same books and trades). Each step becomes engine Ticks (a BookSnapshot, then Trades) for the simulated matching
 * engine, and the documented wire payloads for market data subscribers and the REST market data endpoints.
 */
import type { Clock } from '../../../engine/clock/clock.js';
import type { Instrument } from '../../../engine/model/instrument.js';
import type { Tick } from '../../../engine/model/tick.js';
import { createCandleSeries, type Candle, type CandleSeries } from './candles.js';
import { nextMidTicks, stepAround, type WalkParams } from './market-walk.js';
import { createPrng } from './prng.js';
import type { ApifinyKlineWire, ApifinyOrderbookWire, ApifinyTickerWire, ApifinyTradeWire, KlinePeriod } from './protocol.js';
import { instrumentOf, type ApifinySymbolSpec } from './symbols.js';

export interface MarketUpdate {
  readonly symbol: string;
  readonly book: ApifinyOrderbookWire;
  /** The trades of this step, oldest first. */
  readonly trades: readonly ApifinyTradeWire[];
  /** The same step as engine ticks, for the matching engine. */
  readonly ticks: readonly Tick[];
}

export interface SimMarket {
  readonly specs: readonly ApifinySymbolSpec[];
  spec(symbol: string): ApifinySymbolSpec | undefined;
  instrument(symbol: string): Instrument | undefined;
  book(symbol: string): ApifinyOrderbookWire | undefined;
  /** Newest first. */
  recentTrades(symbol: string, limit: number): ApifinyTradeWire[];
  candles(symbol: string): CandleSeries | undefined;
  klineWire(symbol: string, period: KlinePeriod, candle: Candle): ApifinyKlineWire;
  ticker(symbol: string): ApifinyTickerWire | undefined;
  /** The current mid of a symbol (exact carrier on its price grid). */
  mid(symbol: string): number | undefined;
  /** One random step of every symbol (the first step of a symbol publishes its start price unmoved). */
  step(): void;
  /** Puts the mid of `symbol` at `price` (snapped to the tick) and publishes that book with fresh trades. */
  moveTo(symbol: string, price: number): void;
  onUpdate(listener: (u: MarketUpdate) => void): () => void;
  /** Steps every `intervalMs` (0 = never: tests call step/moveTo). */
  start(intervalMs: number): void;
  stop(): void;
}

interface SymbolState {
  readonly spec: ApifinySymbolSpec;
  readonly instrument: Instrument;
  readonly params: WalkParams;
  readonly candles: CandleSeries;
  readonly trades: ApifinyTradeWire[];
  midTicks: number | undefined;
  book: ApifinyOrderbookWire | undefined;
  tradeSeq: number;
}

const MAX_RECENT_TRADES = 500;

export function createSimMarket(opts: {
  venue: string;
  specs: readonly ApifinySymbolSpec[];
  clock: Clock;
  seed: number;
  volatility?: number;
  levels?: number;
}): SimMarket {
  const { venue, clock } = opts;
  const rng = createPrng(opts.seed);
  const listeners = new Set<(u: MarketUpdate) => void>();
  const states = new Map<string, SymbolState>();
  for (const spec of opts.specs) {
    states.set(spec.symbol, {
      spec,
      instrument: instrumentOf(spec, venue),
      params: { volatility: opts.volatility ?? 0.0005, levels: opts.levels ?? 10, spreadTicks: 2, typicalSize: spec.typicalSize },
      candles: createCandleSeries(),
      trades: [],
      midTicks: undefined,
      book: undefined,
      tradeSeq: 0,
    });
  }
  let timer: ReturnType<typeof setInterval> | undefined;

  function publish(s: SymbolState, midTicks: number): void {
    const now = clock.now();
    const w = stepAround(rng, s.instrument, midTicks, s.params);
    s.midTicks = midTicks;
    s.book = { symbol: s.spec.symbol, updatedAt: now, asks: w.asks, bids: w.bids };
    const id = s.instrument.id;
    const ticks: Tick[] = [
      { kind: 'book', instrumentId: id, tsEvent: now, tsInit: now, bids: w.bids.map(([price, size]) => ({ price, size })), asks: w.asks.map(([price, size]) => ({ price, size })) },
    ];
    const trades: ApifinyTradeWire[] = [];
    for (const t of w.trades) {
      const exchangeID = String(++s.tradeSeq);
      const side = t.aggressor === 'buy' ? 'SELL' : 'BUY';
      trades.push({ symbol: s.spec.symbol, provider: venue, price: t.price, qty: t.size, side, tradeTime: now, exchangeID, updateTime: now });
      ticks.push({ kind: 'trade', instrumentId: id, tsEvent: now, tsInit: now, price: t.price, size: t.size, aggressor: t.aggressor, tradeId: exchangeID });
      s.candles.onTrade(now, t.price, t.size);
    }
    s.trades.push(...trades);
    if (s.trades.length > MAX_RECENT_TRADES) s.trades.splice(0, s.trades.length - MAX_RECENT_TRADES);
    const update: MarketUpdate = { symbol: s.spec.symbol, book: s.book, trades, ticks };
    for (const l of listeners) l(update);
  }

  function stepSymbol(s: SymbolState): void {
    const grid = s.instrument.priceGrid;
    if (s.midTicks === undefined) return publish(s, grid.units(s.spec.startPrice, 'nearest'));
    const minTicks = Math.max(2, grid.units(s.spec.minPrice, 'up') + 1);
    const maxTicks = grid.units(s.spec.maxPrice, 'down') - 2;
    publish(s, nextMidTicks(rng, s.midTicks, s.params, minTicks, maxTicks));
  }

  const market: SimMarket = {
    specs: opts.specs,
    spec: (symbol) => states.get(symbol)?.spec,
    instrument: (symbol) => states.get(symbol)?.instrument,
    book: (symbol) => states.get(symbol)?.book,
    recentTrades: (symbol, limit) => (states.get(symbol)?.trades ?? []).slice(-limit).reverse(),
    candles: (symbol) => states.get(symbol)?.candles,
    klineWire(symbol, period, c) {
      const spec = states.get(symbol)!.spec;
      const { open, high, low, close, vol, count } = c;
      return { currencyPair: `${spec.baseAsset}/${spec.quoteAsset}`, period, open, high, low, close, vol, count, timestamp: c.start, exchange: venue };
    },
    ticker(symbol) {
      const s = states.get(symbol);
      if (s === undefined || s.midTicks === undefined) return undefined;
      const now = clock.now();
      const mid = s.instrument.priceGrid.fromUnits(s.midTicks);
      const t = s.candles.ticker(now) ?? { open: mid, high: mid, low: mid, close: mid, vol: 0, amount: 0, count: 0 };
      return { symbol, ...t, provider: venue, tickerTime: now, updateAt: now };
    },
    mid(symbol) {
      const s = states.get(symbol);
      return s?.midTicks === undefined ? undefined : s.instrument.priceGrid.fromUnits(s.midTicks);
    },
    step() {
      for (const s of states.values()) stepSymbol(s);
    },
    moveTo(symbol, price) {
      const s = states.get(symbol);
      if (s === undefined) throw new Error(`unknown symbol ${symbol}`);
      publish(s, Math.max(2, s.instrument.priceGrid.units(price, 'nearest')));
    },
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start(intervalMs) {
      market.stop();
      if (intervalMs > 0) timer = setInterval(() => market.step(), intervalMs);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  return market;
}
