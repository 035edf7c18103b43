/** OHLCV candles of one symbol for every documented kline period, and the 24 h ticker built from the 1m candles. */
import { D, addExact, mulExact } from '../../../engine/model/decimal.js';
import { KLINE_PERIODS, type KlinePeriod } from './protocol.js';

export interface Candle {
  readonly start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  vol: number;
  amount: number;
  count: number;
}

export interface TickerStats {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly vol: number;
  readonly amount: number;
  readonly count: number;
}

const MINUTE = 60_000;
const FIXED_MS: Partial<Record<KlinePeriod, number>> = {
  '1m': MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE, '1h': 60 * MINUTE, '4h': 240 * MINUTE, '1d': 1440 * MINUTE,
};
const DAY = 1440 * MINUTE;

/** Start of the UTC bucket holding `t`: weeks start on Monday 00:00, months on the 1st. */
export function bucketStart(period: KlinePeriod, t: number): number {
  const fixed = FIXED_MS[period];
  if (fixed !== undefined) return Math.floor(t / fixed) * fixed;
  if (period === '1w') {
    const day = Math.floor(t / DAY);
    const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday: Monday = 0
    return (day - weekday) * DAY;
  }
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export interface CandleSeries {
  onTrade(t: number, price: number, size: number): void;
  current(period: KlinePeriod): Candle | undefined;
  /** Candles overlapping [startTime, endTime], oldest first; the most recent `limit` when no range is given. */
  range(period: KlinePeriod, startTime: number | undefined, endTime: number | undefined, limit: number): Candle[];
  /** Rolling 24 h statistics at `now`, undefined before the first trade in that window. */
  ticker(now: number): TickerStats | undefined;
}

export function createCandleSeries(maxPerPeriod = 1500): CandleSeries {
  const series = new Map<KlinePeriod, Candle[]>(KLINE_PERIODS.map((p) => [p, []]));
  const list = (p: KlinePeriod): Candle[] => series.get(p)!;

  return {
    onTrade(t, price, size) {
      const notional = mulExact(price, size); // exact, without decimal.js: this runs for every trade of the market walk
      for (const p of KLINE_PERIODS) {
        const candles = list(p);
        const start = bucketStart(p, t);
        let c = candles[candles.length - 1];
        if (c === undefined || c.start < start) {
          c = { start, open: price, high: price, low: price, close: price, vol: 0, amount: 0, count: 0 };
          candles.push(c);
          if (candles.length > maxPerPeriod) candles.shift();
        }
        c.high = Math.max(c.high, price);
        c.low = Math.min(c.low, price);
        c.close = price;
        c.vol = addExact(c.vol, size);
        c.amount = addExact(c.amount, notional);
        c.count += 1;
      }
    },
    current: (p) => list(p).at(-1),
    range(p, startTime, endTime, limit) {
      const candles = list(p);
      if (startTime === undefined && endTime === undefined) return candles.slice(-limit);
      const lo = startTime ?? -Infinity;
      const hi = endTime ?? Infinity;
      return candles.filter((c) => c.start <= hi && c.start >= bucketStart(p, lo)).slice(0, limit);
    },
    ticker(now) {
      const window = list('1m').filter((c) => c.start > now - DAY);
      const first = window[0];
      const last = window[window.length - 1];
      if (first === undefined || last === undefined) return undefined;
      let high = -Infinity;
      let low = Infinity;
      let vol = 0;
      let amount = D(0);
      let count = 0;
      for (const c of window) {
        high = Math.max(high, c.high);
        low = Math.min(low, c.low);
        vol = addExact(vol, c.vol);
        amount = amount.plus(c.amount);
        count += c.count;
      }
      return { open: first.open, high, low, close: last.close, vol, amount: amount.toNumber(), count };
    },
  };
}
