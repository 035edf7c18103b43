/** Ticks → one chunk's meta (instrument table, counts per kind) and uncompressed columnar payload. */
import type { Bar, BookSnapshot, Quote, Tick, Trade } from '../../model/tick.js';
import { assertNever } from '../../model/result.js';
import { ByteWriter } from './bytes.js';
import {
  AGGRESSOR_BUY, AGGRESSOR_SELL, TRADE_ID_INTEGER, TRADE_ID_SHIFT, TRADE_ID_TEXT,
} from './columns.js';
import { KIND_CODES } from './format.js';
import { modeOf, RAW_F64, scaleColumns } from './scale.js';

export interface EncodedChunk {
  readonly ticks: number;
  readonly meta: Uint8Array;
  readonly payload: Uint8Array;
  readonly minTs: number;
  readonly maxTs: number;
}

type Residuals = (ints: readonly Float64Array[]) => ReadonlyArray<ArrayLike<number>>;

/** One mode byte for the group, then each column: raw float64 values, or the zigzag varint residuals of its integers. */
function writeGroup(w: ByteWriter, columns: ReadonlyArray<ArrayLike<number>>, residuals: Residuals): void {
  const scaled = scaleColumns(columns);
  if (!scaled) {
    w.byte(RAW_F64);
    for (const col of columns) for (let i = 0; i < col.length; i++) w.f64(col[i]!);
    return;
  }
  const { scale, ints } = scaled;
  w.byte(modeOf(scale, ints));
  for (const res of residuals(ints)) for (let i = 0; i < res.length; i++) w.zigzag(res[i]!);
}

/** Residual of each value against the previous value of the same instrument (0 before the first). */
function deltaByInstrument(ints: Float64Array, inst: ArrayLike<number>, instruments: number): Float64Array {
  const prev = new Float64Array(instruments);
  const out = new Float64Array(ints.length);
  for (let i = 0; i < ints.length; i++) {
    const k = inst[i]!;
    out[i] = ints[i]! - prev[k]!;
    prev[k] = ints[i]!;
  }
  return out;
}

const identity: Residuals = (ints) => ints;

/** Integer trade ids in canonical decimal form (no sign, no leading zero, ≤ 15 digits) are stored as varints. */
const INTEGER_ID = /^(0|[1-9][0-9]{0,14})$/;

/**
 * Why a tick cannot be recorded, or undefined: its tsEvent and tsInit must be finite. The chunk header's tsInit range
 * is what replay skips and stops by, and a chunk of NaN times would have none (data/FORMAT.md).
 */
export function nonFiniteTime(t: Tick): string | undefined {
  if (!Number.isFinite(t.tsInit)) return `tsInit is ${t.tsInit}; times must be finite numbers`;
  if (!Number.isFinite(t.tsEvent)) return `tsEvent is ${t.tsEvent}; times must be finite numbers`;
  return undefined;
}

/** "quote of EURUSD.FXCM at tsInit 1399248000123", for messages. */
export function describeTick(t: Tick): string {
  return `${String(t.kind)} of ${String(t.instrumentId)} at tsInit ${t.tsInit}`;
}

/** Ticks → one chunk; throws a RangeError naming the tick when a time is not finite. */
export function encodeChunk(ticks: readonly Tick[]): EncodedChunk {
  const n = ticks.length;
  const index = new Map<string, number>();
  const inst = new Uint32Array(n);
  const kinds = new Uint8Array(n);
  const tsEvent = new Float64Array(n);
  const tsInit = new Float64Array(n);
  const quotes: Quote[] = [], books: BookSnapshot[] = [], trades: Trade[] = [], bars: Bar[] = [];
  const qInst: number[] = [], bInst: number[] = [], tInst: number[] = [], rInst: number[] = [];
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ticks[i]!;
    const bad = nonFiniteTime(t);
    if (bad) throw new RangeError(`cannot record tick ${i} of the chunk (${describeTick(t)}): ${bad}`);
    let k = index.get(t.instrumentId);
    if (k === undefined) index.set(t.instrumentId, (k = index.size));
    inst[i] = k;
    kinds[i] = KIND_CODES[t.kind];
    tsEvent[i] = t.tsEvent;
    tsInit[i] = t.tsInit;
    if (t.tsInit < minTs) minTs = t.tsInit;
    if (t.tsInit > maxTs) maxTs = t.tsInit;
    switch (t.kind) {
      case 'quote': quotes.push(t); qInst.push(k); break;
      case 'book': books.push(t); bInst.push(k); break;
      case 'trade': trades.push(t); tInst.push(k); break;
      case 'bar': bars.push(t); rInst.push(k); break;
      default: assertNever(t, 'tick kind');
    }
  }
  const ni = index.size;

  const meta = new ByteWriter(64);
  meta.varint(ni);
  for (const id of index.keys()) meta.string(id);
  for (const c of [quotes.length, books.length, trades.length, bars.length]) meta.varint(c);

  const w = new ByteWriter(Math.max(1024, n * 6));
  if ([quotes, books, trades, bars].filter((g) => g.length > 0).length > 1) w.bytes(kinds);
  if (ni > 1) for (let i = 0; i < n; i++) w.varint(inst[i]!);
  writeGroup(w, [tsEvent, tsInit], ([ev, init]) => {
    const dEv = new Float64Array(n);
    const dInit = new Float64Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      dEv[i] = ev![i]! - prev;
      prev = ev![i]!;
      dInit[i] = init![i]! - ev![i]!;
    }
    return [dEv, dInit];
  });
  if (quotes.length > 0) encodeQuotes(w, quotes, qInst, ni);
  if (books.length > 0) encodeBooks(w, books, bInst, ni);
  if (trades.length > 0) encodeTrades(w, trades, tInst, ni);
  if (bars.length > 0) encodeBars(w, bars, rInst, ni);
  return { ticks: n, meta: meta.result(), payload: w.result(), minTs, maxTs };
}

function encodeQuotes(w: ByteWriter, quotes: readonly Quote[], inst: readonly number[], ni: number): void {
  const n = quotes.length;
  const bid = new Float64Array(n);
  const ask = new Float64Array(n);
  const flags = new Uint8Array(n);
  let bidSizes = 0;
  let askSizes = 0;
  for (let i = 0; i < n; i++) {
    const q = quotes[i]!;
    bid[i] = q.bid;
    ask[i] = q.ask;
    if (q.bidSize !== undefined) {
      flags[i] = 1;
      bidSizes++;
    }
    if (q.askSize !== undefined) {
      flags[i]! |= 2;
      askSizes++;
    }
  }
  writeGroup(w, [bid, ask], ([b, a]) => {
    const spread = new Float64Array(n);
    for (let i = 0; i < n; i++) spread[i] = a![i]! - b![i]!;
    return [deltaByInstrument(b!, inst, ni), deltaByInstrument(spread, inst, ni)];
  });
  if (bidSizes + askSizes === 0) {
    w.byte(0);
    return;
  }
  w.byte(1);
  w.bytes(flags);
  for (const [side, bit, count] of [['bidSize', 1, bidSizes], ['askSize', 2, askSizes]] as const) {
    // Only the quotes that have this size, in order; deltas against the previous one of the same instrument.
    const values = new Float64Array(count);
    const sideInst = new Uint32Array(count);
    for (let i = 0, j = 0; i < n; i++) {
      if ((flags[i]! & bit) === 0) continue;
      values[j] = quotes[i]![side]!;
      sideInst[j++] = inst[i]!;
    }
    writeGroup(w, [values], ([v]) => [deltaByInstrument(v!, sideInst, ni)]);
  }
}

/**
 * Book levels, book by book, bids then asks. Each level is predicted by the same level of the previous book of the
 * same instrument and side, or, past that book's depth, by the level above it in the current book.
 */
export function bookResiduals(ints: Float64Array, inst: ArrayLike<number>, bidDepth: ArrayLike<number>, askDepth: ArrayLike<number>, ni: number): Float64Array {
  const out = new Float64Array(ints.length);
  const prevStart = new Float64Array(ni * 2);
  const prevLen = new Float64Array(ni * 2);
  let p = 0;
  for (let j = 0; j < bidDepth.length; j++) {
    for (let s = 0; s < 2; s++) {
      const depth = s === 0 ? bidDepth[j]! : askDepth[j]!;
      const slot = inst[j]! * 2 + s;
      const ps = prevStart[slot]!;
      const pl = prevLen[slot]!;
      for (let l = 0; l < depth; l++) {
        const pred = l < pl ? ints[ps + l]! : l > 0 ? ints[p + l - 1]! : 0;
        out[p + l] = ints[p + l]! - pred;
      }
      prevStart[slot] = p;
      prevLen[slot] = depth;
      p += depth;
    }
  }
  return out;
}

function encodeBooks(w: ByteWriter, books: readonly BookSnapshot[], inst: readonly number[], ni: number): void {
  const bidDepth = books.map((b) => b.bids.length);
  const askDepth = books.map((b) => b.asks.length);
  for (const d of bidDepth) w.varint(d);
  for (const d of askDepth) w.varint(d);
  const levels = books.flatMap((b) => [...b.bids, ...b.asks]);
  const residuals: Residuals = ([x]) => [bookResiduals(x!, inst, bidDepth, askDepth, ni)];
  writeGroup(w, [levels.map((l) => l.price)], residuals);
  writeGroup(w, [levels.map((l) => l.size)], residuals);
}

function encodeTrades(w: ByteWriter, trades: readonly Trade[], inst: readonly number[], ni: number): void {
  writeGroup(w, [trades.map((t) => t.price)], ([p]) => [deltaByInstrument(p!, inst, ni)]);
  writeGroup(w, [trades.map((t) => t.size)], identity);
  const flags = trades.map((t) => {
    const aggressor = t.aggressor === 'buy' ? AGGRESSOR_BUY : t.aggressor === 'sell' ? AGGRESSOR_SELL : 0;
    const id = t.tradeId === undefined ? 0 : INTEGER_ID.test(t.tradeId) ? TRADE_ID_INTEGER : TRADE_ID_TEXT;
    return aggressor | (id << TRADE_ID_SHIFT);
  });
  w.bytes(new Uint8Array(flags));
  const prevId = new Float64Array(ni);
  for (let i = 0; i < trades.length; i++) {
    const kind = flags[i]! >> TRADE_ID_SHIFT;
    const id = trades[i]!.tradeId!;
    if (kind === TRADE_ID_INTEGER) {
      const v = Number(id);
      w.zigzag(v - prevId[inst[i]!]!);
      prevId[inst[i]!] = v;
    } else if (kind === TRADE_ID_TEXT) {
      w.string(id);
    }
  }
}

function encodeBars(w: ByteWriter, bars: readonly Bar[], inst: readonly number[], ni: number): void {
  writeGroup(w, [bars.map((b) => b.periodMs)], ([p]) => [deltaByInstrument(p!, inst, ni)]);
  const cols = [bars.map((b) => b.close), bars.map((b) => b.open), bars.map((b) => b.high), bars.map((b) => b.low)];
  writeGroup(w, cols, ([c, o, h, l]) => {
    const m = bars.length;
    const rc = new Float64Array(m), ro = new Float64Array(m), rh = new Float64Array(m), rl = new Float64Array(m);
    const prevClose = new Float64Array(ni);
    for (let i = 0; i < m; i++) {
      const k = inst[i]!;
      const close = c![i]!, open = o![i]!;
      rc[i] = close - prevClose[k]!;
      ro[i] = open - prevClose[k]!;
      rh[i] = h![i]! - Math.max(open, close);
      rl[i] = l![i]! - Math.min(open, close);
      prevClose[k] = close;
    }
    return [rc, ro, rh, rl];
  });
  writeGroup(w, [bars.map((b) => b.volume)], identity);
}
