/** Deterministic test ticks (no vitest import, so benchmarks can use them too). */
import { readCsvTicks } from '../../../engine/data/csv-ticks.js';
import type { BookLevel, Quote, Tick } from '../../../engine/model/tick.js';
import { createPrng } from '../../venues/prng.js';

export const SAMPLE = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';

let sampleCache: Quote[] | undefined;
/** The sample day: 58,143 EUR/USD quotes without sizes. */
export function sampleQuotes(): Quote[] {
  return (sampleCache ??= [...readCsvTicks(SAMPLE, 'EURUSD.FXCM')] as Quote[]);
}

/** Deterministic PRNG (the simulators' mulberry32). */
export const prng = createPrng;

/** The sample day with FX-style sizes (multiples of 100k, changing on ~40% of quotes). */
export function sampleQuotesWithSizes(): Quote[] {
  const rnd = prng(7);
  let bidSize = 1_000_000;
  let askSize = 1_000_000;
  return sampleQuotes().map((q) => {
    if (rnd() < 0.4) bidSize = Math.ceil(rnd() * 50) * 100_000;
    if (rnd() < 0.4) askSize = Math.ceil(rnd() * 50) * 100_000;
    // An object literal, as a feed parser builds it (spread-built objects are much slower to read in V8).
    return { kind: 'quote', instrumentId: q.instrumentId, tsEvent: q.tsEvent, tsInit: q.tsInit, bid: q.bid, ask: q.ask, bidSize, askSize };
  });
}

const round = (x: number, decimals: number): number => Number(x.toFixed(decimals));

/** Every tick kind and optional-field combination, several instruments interleaved, in tsInit order. */
export function mixedTicks(n = 2_000, seed = 1): Tick[] {
  const rnd = prng(seed);
  const out: Tick[] = [];
  let ts = 1_700_000_000_000;
  let eur = 1.08123;
  let btc = 65_000.12;
  let tradeId = 9_000_000;
  const levels = (best: number, step: number, depth: number, dir: 1 | -1): BookLevel[] =>
    Array.from({ length: depth }, (_, l) => ({ price: round(best + dir * step * l, 2), size: round(rnd() * 3, 6) }));
  for (let i = 0; i < n; i++) {
    ts += Math.floor(rnd() * 50);
    const tsInit = ts;
    const tsEvent = tsInit - (rnd() < 0.3 ? Math.floor(rnd() * 30) : 0);
    eur = round(eur + (Math.floor(rnd() * 5) - 2) * 0.00001, 5);
    btc = round(btc + (Math.floor(rnd() * 11) - 5) * 0.01, 2);
    const base = { tsEvent, tsInit };
    switch (i % 7) {
      case 0: out.push({ kind: 'quote', instrumentId: 'EURUSD.FXCM', ...base, bid: eur, ask: round(eur + 0.00002, 5) }); break;
      case 1: {
        const sizes = Math.floor(rnd() * 4);
        const q: Quote = { kind: 'quote', instrumentId: 'BTCUSD.SIM', ...base, bid: btc, ask: round(btc + 0.5, 2) };
        out.push({
          ...q,
          ...(sizes & 1 ? { bidSize: round(rnd() * 2, 8) } : {}),
          ...(sizes & 2 ? { askSize: round(rnd() * 2, 8) } : {}),
        });
        break;
      }
      case 2: {
        const depth = [0, 1, 3, 10][Math.floor(rnd() * 4)]!;
        out.push({ kind: 'book', instrumentId: 'BTCUSD.SIM', ...base, bids: levels(btc, 0.5, depth, -1), asks: levels(round(btc + 0.5, 2), 0.5, Math.max(0, depth - 1) || 2, 1) });
        break;
      }
      case 3: case 4: {
        const r = rnd();
        const aggressor = r < 0.4 ? 'buy' : r < 0.8 ? 'sell' : undefined;
        const idKind = Math.floor(rnd() * 4);
        tradeId += 1 + Math.floor(rnd() * 3);
        const id = idKind === 0 ? undefined : idKind === 1 ? String(tradeId) : idKind === 2 ? `T-${tradeId}-é` : `00${tradeId}`;
        out.push({
          kind: 'trade', instrumentId: i % 2 ? 'ETHUSD.SIM' : 'BTCUSD.SIM', ...base, price: i % 2 ? round(btc / 20, 2) : btc, size: round(rnd() * 5, 4),
          ...(aggressor ? { aggressor } : {}), ...(id !== undefined ? { tradeId: id } : {}),
        });
        break;
      }
      case 5: {
        const open = eur, close = round(eur + (Math.floor(rnd() * 5) - 2) * 0.00001, 5);
        out.push({
          kind: 'bar', instrumentId: 'EURUSD.FXCM', ...base, periodMs: 60_000, open, close,
          high: round(Math.max(open, close) + Math.floor(rnd() * 3) * 0.00001, 5), low: round(Math.min(open, close) - Math.floor(rnd() * 3) * 0.00001, 5),
          volume: Math.floor(rnd() * 1000),
        });
        break;
      }
      default:
        out.push({ kind: 'quote', instrumentId: 'USDJPY.FXCM', ...base, bid: round(150 + rnd(), 3), ask: round(150.01 + rnd(), 3), bidSize: 1e6, askSize: 2e6 });
    }
  }
  return out;
}
