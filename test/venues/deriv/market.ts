/** The simulator's synthetic indices: hand-driven (`moveTo`) or a seeded random walk (`step`). */
import { createPrng } from '../prng.js';
import type { SimTick } from './protocol.js';

export interface DerivSymbolSpec {
  readonly symbol: string;
  readonly displayName: string;
  readonly start: number;
  /** Price increment (Deriv's `pip`). */
  readonly pip: number;
}

export const DEFAULT_SYMBOLS: readonly DerivSymbolSpec[] = [
  { symbol: 'R_100', displayName: 'Volatility 100 Index', start: 1000, pip: 0.01 },
  { symbol: 'R_50', displayName: 'Volatility 50 Index', start: 500, pip: 0.0001 },
];

export interface DerivMarket {
  readonly specs: readonly DerivSymbolSpec[];
  spot(symbol: string): number | undefined;
  lastTick(symbol: string): SimTick | undefined;
  /** Publishes a tick at `price` (rounded to the pip). */
  moveTo(symbol: string, price: number): SimTick;
  /** One random-walk tick on every symbol. */
  step(): void;
  onTick(listener: (t: SimTick) => void): () => void;
}

export function createMarket(opts: { symbols?: readonly DerivSymbolSpec[]; seed?: number; now: () => number }): DerivMarket {
  const specs = opts.symbols ?? DEFAULT_SYMBOLS;
  const spots = new Map(specs.map((s) => [s.symbol, s.start]));
  const last = new Map<string, SimTick>();
  const listeners = new Set<(t: SimTick) => void>();
  let seq = 0;
  const rand = createPrng(opts.seed ?? 1);
  const decimals = (pip: number): number => Math.max(0, Math.round(-Math.log10(pip)));

  const market: DerivMarket = {
    specs,
    spot: (s) => spots.get(s),
    lastTick: (s) => last.get(s),
    moveTo(symbol, price) {
      const spec = specs.find((s) => s.symbol === symbol);
      if (!spec) throw new Error(`unknown symbol ${symbol}`);
      const d = decimals(spec.pip);
      const quote = Number(price.toFixed(d));
      spots.set(symbol, quote);
      const tick: SimTick = {
        symbol, quote, pip_size: d, epoch: Math.floor(opts.now() / 1000), id: `sim-${++seq}`,
        bid: Number((quote - spec.pip).toFixed(d)), ask: Number((quote + spec.pip).toFixed(d)),
      };
      last.set(symbol, tick);
      for (const l of [...listeners]) l(tick);
      return tick;
    },
    step() {
      for (const s of specs) market.moveTo(s.symbol, (spots.get(s.symbol) ?? s.start) * (1 + (rand() - 0.5) * 0.002));
    },
    onTick(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return market;
}
