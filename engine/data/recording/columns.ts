/**
 * The columnar form of one decoded chunk: typed arrays, one entry per tick (or per tick of a kind, or per book
 * level). Numbers are kept as scaled integers (see NumColumn) and only turned into JS numbers when a Tick is built.
 */
import type { NumColumn } from './scale.js';

export interface QuoteColumns {
  readonly count: number;
  readonly bid: NumColumn;
  readonly ask: NumColumn;
  /** Per quote: bit 0 = has bidSize, bit 1 = has askSize; undefined when no quote in the chunk has a size. */
  readonly sizeFlags: Uint8Array | undefined;
  /** One entry per quote (0 where absent); undefined when no quote has that size. */
  readonly bidSize: NumColumn | undefined;
  readonly askSize: NumColumn | undefined;
}

export interface BookColumns {
  readonly count: number;
  /** Levels of book j are [start[j], start[j+1]) of the level columns: its bidDepth[j] bids, then its asks. */
  readonly start: Uint32Array;
  readonly bidDepth: Uint32Array;
  readonly price: NumColumn;
  readonly size: NumColumn;
}

export const AGGRESSOR_MASK = 0b0011;
export const AGGRESSOR_BUY = 1;
export const AGGRESSOR_SELL = 2;
export const TRADE_ID_SHIFT = 2;
export const TRADE_ID_NONE = 0;
export const TRADE_ID_INTEGER = 1;
export const TRADE_ID_TEXT = 2;

export interface TradeColumns {
  readonly count: number;
  readonly price: NumColumn;
  readonly size: NumColumn;
  /** Per trade: bits 0-1 aggressor (0 none, 1 buy, 2 sell), bits 2-3 trade id (0 none, 1 integer, 2 text). */
  readonly flags: Uint8Array;
  /** Integer trade ids (where flagged integer); undefined when the chunk has none. */
  readonly idNumber: Float64Array | undefined;
  /** Text trade ids (where flagged text); undefined when the chunk has none. */
  readonly idText: ReadonlyArray<string | undefined> | undefined;
}

export interface BarColumns {
  readonly count: number;
  readonly periodMs: NumColumn;
  readonly open: NumColumn;
  readonly high: NumColumn;
  readonly low: NumColumn;
  readonly close: NumColumn;
  readonly volume: NumColumn;
}

export interface DecodedChunk {
  readonly ticks: number;
  readonly instruments: readonly string[];
  /** Kind code per tick (KIND_CODES), or undefined when every tick is of kind `soleKind`. */
  readonly kind: Uint8Array | undefined;
  readonly soleKind: number;
  /** Instrument index per tick, or undefined when the chunk has one instrument. */
  readonly instrument: Uint16Array | Uint32Array | undefined;
  readonly tsEvent: NumColumn;
  readonly tsInit: NumColumn;
  readonly quotes: QuoteColumns | undefined;
  readonly books: BookColumns | undefined;
  readonly trades: TradeColumns | undefined;
  readonly bars: BarColumns | undefined;
}

/** Total bytes held by the typed arrays of a decoded chunk (what replay keeps in memory per chunk). */
export function columnBytes(c: DecodedChunk): number {
  const col = (n: NumColumn | undefined): number => n?.data.byteLength ?? 0;
  let bytes = (c.kind?.byteLength ?? 0) + (c.instrument?.byteLength ?? 0) + col(c.tsEvent) + col(c.tsInit);
  const q = c.quotes;
  if (q) bytes += col(q.bid) + col(q.ask) + (q.sizeFlags?.byteLength ?? 0) + col(q.bidSize) + col(q.askSize);
  const b = c.books;
  if (b) bytes += b.start.byteLength + b.bidDepth.byteLength + col(b.price) + col(b.size);
  const t = c.trades;
  if (t) bytes += col(t.price) + col(t.size) + t.flags.byteLength + (t.idNumber?.byteLength ?? 0);
  const r = c.bars;
  if (r) bytes += col(r.periodMs) + col(r.open) + col(r.high) + col(r.low) + col(r.close) + col(r.volume);
  return bytes;
}

// The one place each column group and chunk object is made, decoded here or handed over by another thread
// (prefetch.ts): every chunk the replay walks then has the same hidden classes, and its loads stay monomorphic.

export const quoteColumns = (
  count: number, bid: NumColumn, ask: NumColumn, sizeFlags: Uint8Array | undefined, bidSize: NumColumn | undefined, askSize: NumColumn | undefined,
): QuoteColumns => ({ count, bid, ask, sizeFlags, bidSize, askSize });

export const bookColumns = (count: number, start: Uint32Array, bidDepth: Uint32Array, price: NumColumn, size: NumColumn): BookColumns =>
  ({ count, start, bidDepth, price, size });

export const tradeColumns = (
  count: number, price: NumColumn, size: NumColumn, flags: Uint8Array, idNumber: Float64Array | undefined, idText: ReadonlyArray<string | undefined> | undefined,
): TradeColumns => ({ count, price, size, flags, idNumber, idText });

export const barColumns = (
  count: number, periodMs: NumColumn, open: NumColumn, high: NumColumn, low: NumColumn, close: NumColumn, volume: NumColumn,
): BarColumns => ({ count, periodMs, open, high, low, close, volume });

export const decodedChunk = (
  ticks: number, instruments: readonly string[], kind: Uint8Array | undefined, soleKind: number, instrument: Uint16Array | Uint32Array | undefined,
  tsEvent: NumColumn, tsInit: NumColumn, quotes: QuoteColumns | undefined, books: BookColumns | undefined, trades: TradeColumns | undefined,
  bars: BarColumns | undefined,
): DecodedChunk => ({ ticks, instruments, kind, soleKind, instrument, tsEvent, tsInit, quotes, books, trades, bars });
