/**
 * Import options for QuantConnect Lean data files (headerless CSV in a zip, times in ms since midnight of the file's
 * day; see /work/shared/data/README.md):
 * - fx-quote:         time, bid, ask (UTC)
 * - equity-quote:     time, bid×10000, bid size, ask×10000, ask size, exchange, condition, suspicious (New York time;
 *                     per-side updates merged into a consolidated top of book; suspicious rows skipped)
 * - equity-trade:     time, price×10000, quantity, exchange, sale condition, suspicious (New York time)
 * - crypto-quote-bar: time (bar open), bid o/h/l/c, last bid size, ask o/h/l/c, last ask size (UTC, 1-minute bars) →
 *                     bars of the mid (each of o/h/l/c the exact mean of bid and ask, volume 0), or of the bid or ask
 *                     side (volume = that side's last size)
 * - crypto-trade-bar: time (bar open), open, high, low, close, volume (UTC, 1-minute bars)
 * Spread the preset into importTicks' options: `importTicks(file, { ...leanPreset('fx-quote'), instrument })`.
 */
import { DataError } from '../csv-ticks.js';
import { parseDay } from './time.js';
import type { ImportOptions } from './types.js';

export type LeanPresetName = 'fx-quote' | 'equity-quote' | 'equity-trade' | 'crypto-quote-bar' | 'crypto-trade-bar';
export type LeanPreset = Omit<ImportOptions, 'instrument'>;
export interface LeanPresetOptions {
  /** crypto-quote-bar: which price the bars are of. Default 'mid'. */
  readonly side?: 'mid' | 'bid' | 'ask';
}

/**
 * The options for one kind of Lean file. `date`: 'YYYY-MM-DD' / 'YYYYMMDD', a Lean file name or path to read it from
 * (`…/20131007_quote.zip`), or omitted to read it from the imported file's name when importing.
 */
export function leanPreset(name: LeanPresetName, date?: string, opts: LeanPresetOptions = {}): LeanPreset {
  const day = date === undefined ? 'auto' : dayOf(date);
  const common = { format: 'csv', header: false, date: day } as const;
  switch (name) {
    case 'fx-quote':
      return { ...common, kind: 'quotes', tz: 'UTC', map: { ts: '0', bid: '1', ask: '2' } };
    case 'equity-quote':
      return {
        ...common, kind: 'quotes', tz: 'America/New_York', priceScale: 10_000, sideUpdates: true, skipFlagged: '7',
        map: { ts: '0', bid: '1', bidSize: '2', ask: '3', askSize: '4' },
      };
    case 'equity-trade':
      return { ...common, kind: 'trades', tz: 'America/New_York', priceScale: 10_000, skipFlagged: '5', map: { ts: '0', price: '1', size: '2' } };
    case 'crypto-quote-bar':
      return { ...common, kind: 'bars', tz: 'UTC', periodMs: 60_000, map: quoteBarMap(opts.side ?? 'mid') };
    case 'crypto-trade-bar':
      return { ...common, kind: 'bars', tz: 'UTC', periodMs: 60_000, map: { ts: '0', open: '1', high: '2', low: '3', close: '4', volume: '5' } };
    default:
      throw new DataError(`leanPreset: unknown preset ${JSON.stringify(name)} (fx-quote, equity-quote, equity-trade, crypto-quote-bar, crypto-trade-bar)`);
  }
}

/** Lean quote bar columns: 0 time, 1-4 bid o/h/l/c, 5 last bid size, 6-9 ask o/h/l/c, 10 last ask size. */
function quoteBarMap(side: 'mid' | 'bid' | 'ask'): Record<string, string> {
  if (side === 'bid') return { ts: '0', open: '1', high: '2', low: '3', close: '4', volume: '5' };
  if (side === 'ask') return { ts: '0', open: '6', high: '7', low: '8', close: '9', volume: '10' };
  return { ts: '0', open: 'mid(1,6)', high: 'mid(2,7)', low: 'mid(3,8)', close: 'mid(4,9)' };
}

/**
 * 'YYYY-MM-DD' from a date, or from a Lean file name / path: the first eight digits in the file's own name that make a
 * day (`20131007_quote.zip`, `forex_oanda_tick_nzdusd_20140506_quote.zip`, a zip entry `20140506_nzdusd_tick_quote.csv`).
 */
export function leanDateOf(dateOrPath: string): string | undefined {
  let d = parseDay(dateOrPath);
  if (!d) {
    const name = dateOrPath.split(/[\\/!]/).pop() ?? '';
    for (const m of name.matchAll(/(?<!\d)(\d{8})(?!\d)/g)) {
      d = parseDay(m[1]!);
      if (d) break;
    }
  }
  return d ? `${d[0]}-${String(d[1]).padStart(2, '0')}-${String(d[2]).padStart(2, '0')}` : undefined;
}

function dayOf(date: string): string {
  const d = leanDateOf(date);
  if (!d) throw new DataError(`leanPreset: cannot read a date from ${JSON.stringify(date)}: pass 'YYYY-MM-DD' or a Lean file name like 20131007_quote.zip`);
  return d;
}
