/**
 * Klines (OHLCV candles) of the market-data websocket's `kline_<period>` channel → closed engine Bars.
 *
 * Timestamps: the document's response table says "timestamp: The UNIX timestamp in seconds", while every example of
 * it (REST and websocket) is in milliseconds (1616140260000). Both are accepted: an epoch below 10^11 is seconds (10^11
 * seconds is the year 5138; 10^11 ms is March 1973, before any kline), anything from 10^11 to below 10^14
 * milliseconds; anything else (not a positive number, or microseconds and finer) is refused as malformed.
 *
 * The stream pushes the current candle every second; a candle is closed, and becomes a Bar (tsEvent = its close
 * time), when a candle of the same pair with a later start arrives.
 */
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Bar } from '../../engine/model/tick.js';

export const KLINE_PERIODS_MS = {
  '1m': 60_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000, '1w': 604_800_000,
} as const;
/** The document's periods but 1M (a calendar month has no fixed length, and a Bar needs one). */
export type KlinePeriod = keyof typeof KLINE_PERIODS_MS;
export const isKlinePeriod = (v: unknown): v is KlinePeriod => typeof v === 'string' && Object.hasOwn(KLINE_PERIODS_MS, v);

const SECONDS_BELOW = 1e11;
const MILLIS_BELOW = 1e14;

/** A kline timestamp in epoch milliseconds, whether the venue sent seconds or milliseconds; undefined when it is neither. */
export function klineTimeMs(ts: unknown): number | undefined {
  if (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0) return undefined;
  if (ts < SECONDS_BELOW) return Math.round(ts * 1000);
  if (ts < MILLIS_BELOW) return ts;
  return undefined;
}

export interface ApifinyKline {
  /** BASE/QUOTE, as the channel names it. */
  readonly pair: string;
  readonly period: KlinePeriod;
  /** Start of the candle, epoch ms. */
  readonly startMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * `{ channel: "kline_1m", symbol: "BTC/USD", kline_1m: { currencyPair, period, open, high, low, close, vol, timestamp } }`
 * → a kline; `undefined` when the frame is not a kline frame at all; a reason when it is one but malformed.
 */
export function parseKlineFrame(raw: unknown): ApifinyKline | string | undefined {
  if (!isRecord(raw) || typeof raw.channel !== 'string' || !raw.channel.startsWith('kline_')) return undefined;
  const period = raw.channel.slice('kline_'.length);
  if (!isKlinePeriod(period)) return `unsupported kline period ${JSON.stringify(period)}`;
  const k = raw[raw.channel];
  if (!isRecord(k)) return `no ${raw.channel} object`;
  const pair = typeof k.currencyPair === 'string' ? k.currencyPair : raw.symbol;
  if (typeof pair !== 'string' || pair === '') return 'no currencyPair';
  const { open, high, low, close, vol } = k;
  if (!isNum(open) || !isNum(high) || !isNum(low) || !isNum(close)) return 'open, high, low and close must be numbers';
  if (!(low <= Math.min(open, close) && high >= Math.max(open, close))) return `inconsistent candle (low ${low}, high ${high}, open ${open}, close ${close})`;
  const startMs = klineTimeMs(k.timestamp);
  if (startMs === undefined) return `timestamp ${JSON.stringify(k.timestamp)} is neither epoch seconds nor epoch milliseconds`;
  return { pair, period, startMs, open, high, low, close, volume: isNum(vol) ? vol : 0 };
}

/** Turns the stream of current candles into closed Bars, one pair at a time. */
export function createKlineBars(): { next(instrumentId: InstrumentId, k: ApifinyKline, now: number): Bar | undefined } {
  const current = new Map<string, ApifinyKline>();
  return {
    next(instrumentId, k, now) {
      const key = `${k.pair}|${k.period}`;
      const prev = current.get(key);
      if (prev !== undefined && k.startMs < prev.startMs) return undefined; // a late update of a candle already closed
      current.set(key, k);
      if (prev === undefined || k.startMs === prev.startMs) return undefined;
      const periodMs = KLINE_PERIODS_MS[prev.period];
      return {
        kind: 'bar', instrumentId, tsEvent: prev.startMs + periodMs, tsInit: now, periodMs,
        open: prev.open, high: prev.high, low: prev.low, close: prev.close, volume: prev.volume,
      };
    },
  };
}
