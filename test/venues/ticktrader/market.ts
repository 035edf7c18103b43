/**
 * The simulated market: one book per symbol (a seeded random walk of the mid, 10 levels a side on the symbol's tick
 * grid). Listeners hear every change; sessions pick the depth and throttle they were asked for.
 */
import { createPrng } from '../prng.js';
import type { TickTraderSymbolSpec } from './symbols.js';

export interface Level {
  readonly price: number;
  readonly volume: number;
}

export interface SymbolBook {
  readonly symbol: string;
  readonly timestamp: number;
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
}

export interface SimMarket {
  readonly specs: readonly TickTraderSymbolSpec[];
  spec(symbol: string): TickTraderSymbolSpec | undefined;
  book(symbol: string): SymbolBook | undefined;
  /** A random step of every symbol. */
  step(): void;
  /** Puts the mid of `symbol` at `mid` (rounded to the grid) and publishes. */
  moveTo(symbol: string, mid: number): void;
  onChange(listener: (book: SymbolBook) => void): () => void;
  /** A step every `ms` (0: by hand only). */
  start(ms: number): void;
  stop(): void;
}

const LEVELS = 10;

export function createSimMarket(specs: readonly TickTraderSymbolSpec[], opts: { seed: number; volatility: number; now: () => number }): SimMarket {
  const random = createPrng(opts.seed);
  const mids = new Map(specs.map((s) => [s.wire.Symbol, s.startMid]));
  const books = new Map<string, SymbolBook>();
  const listeners = new Set<(b: SymbolBook) => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const specOf = (symbol: string) => specs.find((s) => s.wire.Symbol === symbol);

  const publish = (spec: TickTraderSymbolSpec, mid: number): void => {
    const p = spec.wire.Precision;
    const tick = 10 ** -p;
    const round = (x: number) => Number(x.toFixed(p));
    const bestBid = round(Math.floor(mid / tick - spec.spreadTicks / 2 + 1e-9) * tick);
    const bestAsk = round(bestBid + spec.spreadTicks * tick);
    const vol = (i: number) => spec.wire.MinTradeAmount * (100 + Math.floor(random() * 900)) * (i + 1);
    const bids = Array.from({ length: LEVELS }, (_, i) => ({ price: round(bestBid - i * tick), volume: vol(i) }));
    const asks = Array.from({ length: LEVELS }, (_, i) => ({ price: round(bestAsk + i * tick), volume: vol(i) }));
    const book: SymbolBook = { symbol: spec.wire.Symbol, timestamp: opts.now(), bids, asks };
    books.set(spec.wire.Symbol, book);
    for (const l of listeners) l(book);
  };

  const market: SimMarket = {
    specs,
    spec: specOf,
    book: (symbol) => books.get(symbol),
    step() {
      for (const s of specs) {
        const mid = mids.get(s.wire.Symbol)! * (1 + opts.volatility * (random() * 2 - 1));
        mids.set(s.wire.Symbol, mid);
        publish(s, mid);
      }
    },
    moveTo(symbol, mid) {
      const s = specOf(symbol);
      if (!s) throw new Error(`unknown symbol ${symbol}`);
      mids.set(symbol, mid);
      publish(s, mid);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start(ms) {
      market.stop();
      if (ms > 0) timer = setInterval(() => market.step(), ms);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  for (const s of specs) publish(s, s.startMid);
  return market;
}
