/**
 * The simulated futures market: a seeded random walk per symbol (or moved by hand with `moveTo`). Each step is a book
 * snapshot and a trade, as engine ticks (for the matching engine) and as price topic payloads (for subscribers).
 */
import type { Clock } from '../../../engine/clock/clock.js';
import { defineInstrument, type Instrument } from '../../../engine/model/instrument.js';
import { instrumentIdOf } from '../../../engine/model/ids.js';
import type { Tick } from '../../../engine/model/tick.js';
import { createPrng } from '../prng.js';
import type { TransactSymbolSpec } from './protocol.js';

export type Level = readonly [number, number];
export interface BookTopic { readonly topic: 'book'; readonly symbol: string; readonly time: number; readonly bids: readonly Level[]; readonly asks: readonly Level[] }
export interface TradeTopic { readonly topic: 'trade'; readonly symbol: string; readonly time: number; readonly price: number; readonly qty: number; readonly aggressor: 'BUY' | 'SELL'; readonly trade_id: string }
export interface MarketUpdate { readonly symbol: string; readonly frames: readonly (BookTopic | TradeTopic)[]; readonly ticks: readonly Tick[] }

export interface SimMarket {
  readonly specs: readonly TransactSymbolSpec[];
  spec(symbol: string): TransactSymbolSpec | undefined;
  instrument(symbol: string): Instrument | undefined;
  book(symbol: string): BookTopic | undefined;
  /** Puts the mid at `price` (snapped to the tick) and publishes a book and a trade. */
  moveTo(symbol: string, price: number): void;
  step(): void;
  onUpdate(listener: (u: MarketUpdate) => void): () => void;
  start(intervalMs: number): void;
  stop(): void;
}

export function instrumentOfSpec(s: TransactSymbolSpec, venue: string): Instrument {
  return defineInstrument({
    id: instrumentIdOf(s.symbol, venue), venue, venueSymbol: s.symbol, base: s.root, quote: s.currency,
    tickSize: s.tickSize, stepSize: s.lotSize, minQty: s.minQty, maxQty: s.maxQty, contractSize: s.contractSize,
    makerFee: s.makerFee, takerFee: s.takerFee,
  });
}

export function createSimMarket(opts: { venue: string; specs: readonly TransactSymbolSpec[]; clock: Clock; seed: number; levels?: number }): SimMarket {
  const rnd = createPrng(opts.seed);
  const listeners = new Set<(u: MarketUpdate) => void>();
  const state = new Map<string, { spec: TransactSymbolSpec; instrument: Instrument; midTicks: number; book?: BookTopic; tradeSeq: number }>();
  for (const spec of opts.specs) {
    const instrument = instrumentOfSpec(spec, opts.venue);
    state.set(spec.symbol, { spec, instrument, midTicks: instrument.priceGrid.units(spec.startPrice, 'nearest'), tradeSeq: 0 });
  }
  const levels = opts.levels ?? 5;
  let timer: ReturnType<typeof setInterval> | undefined;

  const publish = (symbol: string, midTicks: number): void => {
    const s = state.get(symbol);
    if (!s) throw new Error(`unknown symbol ${symbol}`);
    s.midTicks = Math.max(levels + 2, midTicks);
    const grid = s.instrument.priceGrid;
    const time = opts.clock.now();
    const size = (): number => Math.max(1, Math.round(s.spec.typicalSize * (0.5 + rnd())));
    const bids: Level[] = [];
    const asks: Level[] = [];
    for (let i = 0; i < levels; i++) {
      bids.push([grid.fromUnits(s.midTicks - 1 - i), size()]);
      asks.push([grid.fromUnits(s.midTicks + 1 + i), size()]);
    }
    const book: BookTopic = { topic: 'book', symbol, time, bids, asks };
    s.book = book;
    const buy = rnd() < 0.5;
    const trade: TradeTopic = { topic: 'trade', symbol, time, price: grid.fromUnits(s.midTicks + (buy ? 1 : -1)), qty: Math.max(1, Math.round(s.spec.typicalSize * rnd() * 0.2)), aggressor: buy ? 'BUY' : 'SELL', trade_id: String(++s.tradeSeq) };
    const id = s.instrument.id;
    const ticks: Tick[] = [
      { kind: 'book', instrumentId: id, tsEvent: time, tsInit: time, bids: bids.map(([price, size]) => ({ price, size })), asks: asks.map(([price, size]) => ({ price, size })) },
      { kind: 'trade', instrumentId: id, tsEvent: time, tsInit: time, price: trade.price, size: trade.qty, aggressor: buy ? 'buy' : 'sell', tradeId: trade.trade_id },
    ];
    for (const l of listeners) l({ symbol, frames: [book, trade], ticks });
  };

  const market: SimMarket = {
    specs: opts.specs,
    spec: (symbol) => state.get(symbol)?.spec,
    instrument: (symbol) => state.get(symbol)?.instrument,
    book: (symbol) => state.get(symbol)?.book,
    moveTo: (symbol, price) => {
      const s = state.get(symbol);
      if (!s) throw new Error(`unknown symbol ${symbol}`);
      publish(symbol, s.instrument.priceGrid.units(price, 'nearest'));
    },
    step() {
      for (const [symbol, s] of state) publish(symbol, s.midTicks + Math.round((rnd() - 0.5) * 4));
    },
    onUpdate(l) {
      listeners.add(l);
      return () => listeners.delete(l);
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
