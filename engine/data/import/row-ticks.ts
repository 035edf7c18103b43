/**
 * Turns rows into ticks, one processor per kind. Quotes may arrive per side (Lean equity: a side whose price and size
 * are 0 was not in the update): the latest non-zero side of each is kept and a quote is emitted once both are known.
 * Bars: `ts` is the bar's open time (Lean), so tsEvent = open + period; a `tsEvent` value is the close itself.
 */
import { DataError } from '../csv-ticks.js';
import type { Bar, Quote, Tick, Trade } from '../../model/tick.js';
import type { Cells } from './ndjson-line.js';
import type { RowKind } from './fields.js';
import { BadRow, RowReader } from './row-reader.js';
import type { ImportStats } from './types.js';

export interface RowProcessor {
  /** Reads one row's cells into a tick (undefined: none yet); throws BadRow. Then call `more` until it is undefined. */
  row(cells: Cells): Tick | undefined;
  /** A further tick the last row released (a bar held back to learn the bar length). */
  more(): Tick | undefined;
  /** End of the rows: what was held back. */
  finish(): Tick | undefined;
}

const none = (): undefined => undefined;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function rowProcessor(kind: RowKind, r: RowReader, stats: ImportStats): RowProcessor {
  switch (kind) {
    case 'quotes':
      return r.cfg.sideUpdates ? sideQuotes(r, stats) : quotes(r, stats);
    case 'trades':
      return trades(r, stats);
    case 'bars':
      return bars(r, stats);
  }
}

function quotes(r: RowReader, stats: ImportStats): RowProcessor {
  const f = r.plan.fields;
  const instrumentId = r.cfg.instrument;
  return {
    row(cells) {
      r.cells = cells;
      if (r.flagged()) return void stats.skippedFlagged++;
      const t = r.rowTime();
      const bid = r.price(f.bid, 'bid');
      const ask = r.price(f.ask, 'ask');
      const bidSize = r.size(f.bidSize, 'bidSize', true);
      const askSize = r.size(f.askSize, 'askSize', true);
      const tsInit = r.time(f.tsInit, 'tsInit') ?? t;
      r.commit(t);
      return quote(instrumentId, t, tsInit, bid, ask, bidSize, askSize);
    },
    more: none,
    finish: none,
  };
}

/** A quote with only the sizes that are known (built as one literal per case: one object shape each). */
function quote(instrumentId: string, tsEvent: number, tsInit: number, bid: number, ask: number, bidSize: number | undefined, askSize: number | undefined): Quote {
  if (bidSize !== undefined && askSize !== undefined) return { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, bidSize, askSize };
  if (bidSize === undefined && askSize === undefined) return { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask };
  return bidSize !== undefined ? { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, bidSize } : { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, askSize };
}

function sideQuotes(r: RowReader, stats: ImportStats): RowProcessor {
  const f = r.plan.fields;
  const instrumentId = r.cfg.instrument;
  let bid = 0;
  let bidSize: number | undefined;
  let ask = 0;
  let askSize: number | undefined;
  /** A side of an update: undefined when price and size are both 0 (not part of the update). */
  const side = (what: 'bid' | 'ask'): [number, number | undefined] | undefined => {
    const price = r.price(f[what], what, true);
    const size = r.size(f[what === 'bid' ? 'bidSize' : 'askSize'], `${what}Size`, true);
    if (price === 0) {
      if (size !== undefined && size !== 0) throw new BadRow(`${what} price is 0 with size ${size}`);
      return undefined;
    }
    return [price, size];
  };
  return {
    row(cells) {
      r.cells = cells;
      if (r.flagged()) return void stats.skippedFlagged++;
      const t = r.rowTime();
      const b = side('bid');
      const a = side('ask');
      const tsInit = r.time(f.tsInit, 'tsInit') ?? t;
      r.commit(t);
      if (b) [bid, bidSize] = b;
      if (a) [ask, askSize] = a;
      if ((!a && !b) || bid === 0 || ask === 0) return undefined;
      return quote(instrumentId, t, tsInit, bid, ask, bidSize, askSize);
    },
    more: none,
    finish: none,
  };
}

const AGGRESSOR: Record<string, 'buy' | 'sell'> = { buy: 'buy', b: 'buy', sell: 'sell', s: 'sell' };

function trades(r: RowReader, stats: ImportStats): RowProcessor {
  const f = r.plan.fields;
  const instrumentId = r.cfg.instrument;
  return {
    row(cells) {
      r.cells = cells;
      if (r.flagged()) return void stats.skippedFlagged++;
      const t = r.rowTime();
      const tr: Mutable<Trade> = { kind: 'trade', instrumentId, tsEvent: t, tsInit: t, price: r.price(f.price, 'price'), size: r.size(f.size, 'size', false) };
      const ag = r.text(f.aggressor);
      if (ag !== undefined) {
        const side = AGGRESSOR[ag.trim().toLowerCase()];
        if (!side) throw new BadRow(`aggressor must be buy or sell: ${JSON.stringify(ag)}`);
        tr.aggressor = side;
      }
      const id = r.text(f.tradeId);
      if (id !== undefined) tr.tradeId = id;
      const tsInit = r.time(f.tsInit, 'tsInit');
      if (tsInit !== undefined) tr.tsInit = tsInit;
      r.commit(t);
      return tr;
    },
    more: none,
    finish: none,
  };
}

interface BarDraft {
  t: number;
  isClose: boolean;
  period: number | undefined;
  tsInit: number | undefined;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Rows looked at to infer a bar length (its median spacing) when neither a column nor periodMs gives it. */
const PERIOD_SAMPLE = 21;

/** The median of the positive gaps between the rows' times; undefined with fewer than two distinct times. */
function medianGap(drafts: readonly BarDraft[]): number | undefined {
  const gaps: number[] = [];
  for (let i = 1; i < drafts.length; i++) {
    const g = drafts[i]!.t - drafts[i - 1]!.t;
    if (g > 0) gaps.push(g);
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((x, y) => x - y);
  return gaps[(gaps.length - 1) >> 1];
}

function bars(r: RowReader, stats: ImportStats): RowProcessor {
  const f = r.plan.fields;
  const instrumentId = r.cfg.instrument;
  let inferred = r.cfg.periodMs;
  /** Rows held back until the bar length is known (the median spacing of the first PERIOD_SAMPLE rows). */
  const pending: BarDraft[] = [];
  const ready: Bar[] = [];
  const toBar = (d: BarDraft): Bar => {
    const periodMs = d.period ?? inferred!;
    const tsEvent = d.isClose ? d.t : d.t + periodMs;
    return { kind: 'bar', instrumentId, tsEvent, tsInit: d.tsInit ?? tsEvent, periodMs, open: d.open, high: d.high, low: d.low, close: d.close, volume: d.volume };
  };
  /** The bar length from the rows held back, then those rows as bars. */
  const release = (): void => {
    inferred ??= medianGap(pending);
    if (inferred === undefined) {
      throw new DataError(`${r.cfg.instrument}: cannot tell the bar length from ${pending.length === 1 ? 'a single row' : 'rows that all have the same time'}: pass periodMs (--period-ms)`);
    }
    for (const d of pending) ready.push(toBar(d));
    pending.length = 0;
  };
  return {
    row(cells) {
      r.cells = cells;
      if (r.flagged()) return void stats.skippedFlagged++;
      const t = r.rowTime();
      const isEvent = r.isEvent;
      const open = r.price(f.open, 'open');
      const high = r.price(f.high, 'high');
      const low = r.price(f.low, 'low');
      const close = r.price(f.close, 'close');
      if (high < low || high < open || high < close || low > open || low > close) {
        throw new BadRow(`high/low do not hold open and close: open ${open} high ${high} low ${low} close ${close}`);
      }
      const period = r.size(f.periodMs, 'periodMs', true);
      if (period === 0) throw new BadRow('periodMs must be above 0');
      const d: BarDraft = {
        t, isClose: isEvent, period, tsInit: r.time(f.tsInit, 'tsInit'),
        open, high, low, close, volume: r.size(f.volume, 'volume', true) ?? 0,
      };
      r.commit(t);
      if (inferred !== undefined || (period !== undefined && pending.length === 0)) return toBar(d);
      // the median spacing of the first rows, not the first gap: daily bars that start on a Friday are one day long
      pending.push(d);
      if (pending.length < PERIOD_SAMPLE) return undefined;
      release();
      return ready.shift();
    },
    more() {
      return ready.shift();
    },
    finish() {
      if (pending.length > 0) release();
      return ready.shift();
    },
  };
}
