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
