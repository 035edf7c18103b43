/**
 * Bars: live bars built from the market's best bid / ask (FeedBarUpdate), and deterministic quote history
 * (QuoteHistory*), generated on demand from a hash so any window can be asked for.
 */
import { PERIODICITY_MS } from './protocol.js';
import { hashUniform } from '../prng.js';
import type { TickTraderSymbolSpec } from './symbols.js';

export type PriceType = 'Bid' | 'Ask';

export interface SimBar {
  /** Bar open time. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One live bar series (symbol, periodicity, price type): the bar in progress. */
export interface LiveBar {
  current: SimBar | undefined;
  update(price: number, now: number): SimBar;
}

export function createLiveBar(periodicity: string): LiveBar {
  const ms = PERIODICITY_MS[periodicity]!;
  const bar: LiveBar = {
    current: undefined,
    update(price, now) {
      const time = Math.floor(now / ms) * ms;
      const c = bar.current;
      bar.current =
        c && c.time === time
          ? { time, open: c.open, high: Math.max(c.high, price), low: Math.min(c.low, price), close: price, volume: c.volume + 1 }
          : { time, open: price, high: price, low: price, close: price, volume: 1 };
      return bar.current;
    },
  };
  return bar;
}

/** History is available for this long before the simulator started. */
export const HISTORY_DAYS = 30;

export interface QuoteHistory {
  /** First and last (exclusive end) available bar open times. */
  range(periodicity: string): { from: number; to: number };
  /**
   * Up to |count| closed bars: count > 0 from `timestamp` forward (bars opening at or after it), count < 0 backward
   * (bars opening before it), always returned oldest first.
   */
  bars(spec: TickTraderSymbolSpec, periodicity: string, priceType: PriceType, timestamp: number, count: number): SimBar[];
}

export function createQuoteHistory(startedAt: number, now: () => number): QuoteHistory {
  const range = (periodicity: string) => {
    const ms = PERIODICITY_MS[periodicity]!;
    return { from: Math.floor((startedAt - HISTORY_DAYS * 86_400_000) / ms) * ms, to: Math.floor(now() / ms) * ms };
  };
  const barAt = (spec: TickTraderSymbolSpec, periodicity: string, priceType: PriceType, time: number): SimBar => {
    const p = spec.wire.Precision;
    const round = (x: number) => Number(x.toFixed(p));
    const k = time / 60_000;
    const base = spec.startMid * (1 + 0.002 * Math.sin(k / 240) + 0.0005 * Math.sin(k / 17));
    const u = (tag: string) => hashUniform(spec.wire.Symbol, periodicity, time, tag);
    const spread = priceType === 'Ask' ? spec.spreadTicks * 10 ** -p : 0;
    const open = base * (1 + 0.0004 * (u('o') - 0.5)) + spread;
    const close = base * (1 + 0.0004 * (u('c') - 0.5)) + spread;
    const high = Math.max(open, close) * (1 + 0.0002 * u('h'));
    const low = Math.min(open, close) * (1 - 0.0002 * u('l'));
    return { time, open: round(open), high: round(high), low: round(low), close: round(close), volume: Math.round(1 + 1000 * u('v')) };
  };
  return {
    range,
    bars(spec, periodicity, priceType, timestamp, count) {
      const ms = PERIODICITY_MS[periodicity]!;
      const { from, to } = range(periodicity);
      const out: SimBar[] = [];
      if (count > 0) {
        for (let t = Math.max(from, Math.ceil(timestamp / ms) * ms); t < to && out.length < count; t += ms) out.push(barAt(spec, periodicity, priceType, t));
      } else {
        for (let t = Math.min(to, Math.ceil(timestamp / ms) * ms) - ms; t >= from && out.length < -count; t -= ms) out.push(barAt(spec, periodicity, priceType, t));
        out.reverse();
      }
      return out;
    },
  };
}
