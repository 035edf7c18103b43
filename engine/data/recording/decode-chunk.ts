/** One chunk's meta and uncompressed payload → its columnar form (the inverse of encode-chunk.ts). */
import { ByteReader } from './bytes.js';
import {
  AGGRESSOR_MASK, TRADE_ID_INTEGER, TRADE_ID_SHIFT, TRADE_ID_TEXT, barColumns, bookColumns, decodedChunk, quoteColumns, tradeColumns,
  type BarColumns, type BookColumns, type DecodedChunk, type QuoteColumns, type TradeColumns,
} from './columns.js';
import { KINDS } from './format.js';
import { allocColumn, isRaw, type NumColumn } from './scale.js';

/** A structurally impossible chunk (only reachable with a CRC collision or a bug); the reader adds file and offset. */
export class CorruptChunk extends Error {}

export interface ChunkMeta {
  readonly instruments: readonly string[];
  /** Ticks per kind, in KINDS order. */
  readonly counts: readonly number[];
}

export function decodeMeta(meta: Uint8Array): ChunkMeta {
  const r = new ByteReader(meta);
  const ni = r.varint();
  if (ni > meta.length) throw new CorruptChunk(`instrument count ${ni} exceeds the meta size`);
  const instruments: string[] = [];
  for (let i = 0; i < ni; i++) instruments.push(r.string());
  const counts = KINDS.map(() => r.varint());
  if (r.pos !== meta.length) throw new CorruptChunk('meta has trailing bytes');
  return { instruments, counts };
}

type Inst = ArrayLike<number> | undefined;

function readRaw(r: ByteReader, col: NumColumn, n: number): void {
  for (let j = 0; j < n; j++) col.data[j] = r.f64();
}

function readPlain(r: ByteReader, col: NumColumn, n: number): void {
  const d = col.data;
  for (let j = 0; j < n; j++) d[j] = r.zigzag();
}

/** Values delta-coded against the previous value of the same instrument. */
function readDelta(r: ByteReader, col: NumColumn, n: number, inst: Inst, ni: number): void {
  const d = col.data;
  if (!inst) {
    let prev = 0;
    for (let j = 0; j < n; j++) d[j] = prev += r.zigzag();
    return;
  }
  const prev = new Float64Array(ni);
  for (let j = 0; j < n; j++) {
    const k = inst[j]!;
    d[j] = prev[k] = prev[k]! + r.zigzag();
  }
}

/** A single-column group: mode byte, then values via `read` (or raw float64). */
function readColumn(r: ByteReader, n: number, read: (col: NumColumn) => void): NumColumn {
  const mode = r.byte();
  const col = allocColumn(mode, n);
  if (isRaw(mode)) readRaw(r, col, n);
  else read(col);
  return col;
}

export function decodeChunk(meta: ChunkMeta, payload: Uint8Array, ticks: number): DecodedChunk {
  const { instruments, counts } = meta;
  const ni = instruments.length;
  const n = ticks;
  if (counts.reduce((a, b) => a + b, 0) !== n) throw new CorruptChunk('counts per kind do not add up to the tick count');
  if (n > 0 && ni === 0) throw new CorruptChunk('ticks without instruments');
  // Every tick takes at least two payload bytes (its two timestamp residuals): a bound before allocating n-sized arrays.
  if (n > payload.length) throw new CorruptChunk(`${n} ticks cannot fit in ${payload.length} payload bytes`);
  // A plain Uint8Array view, so slice() below copies (Buffer#slice would return a view pinning the whole payload).
  const r = new ByteReader(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength));
  const present = counts.filter((c) => c > 0).length;
  const kind = present > 1 ? r.buf.slice(r.pos, (r.pos += n)) : undefined;
  if (kind) {
    if (kind.length !== n) throw new CorruptChunk('kind column is cut short');
    const seen = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const k = kind[i]!;
      if (k >= seen.length) throw new CorruptChunk(`invalid kind code ${k}`);
      seen[k]!++;
    }
    if (seen.some((c, k) => c !== counts[k])) throw new CorruptChunk('kind column disagrees with the counts');
  }
  const soleKind = Math.max(0, counts.findIndex((c) => c > 0));
  let instrument: Uint16Array | Uint32Array | undefined;
  if (ni > 1) {
    instrument = ni <= 0x10000 ? new Uint16Array(n) : new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const k = r.varint();
      if (k >= ni) throw new CorruptChunk(`instrument index ${k} out of range`);
      instrument[i] = k;
    }
  }
  const instOf = (code: number): Inst => {
    if (!instrument || !kind) return instrument;
    const out = new Uint32Array(counts[code]!);
    for (let i = 0, j = 0; i < n; i++) if (kind[i] === code) out[j++] = instrument[i]!;
    return out;
  };

  const tsMode = r.byte();
  const tsEvent = allocColumn(tsMode, n);
  const tsInit = allocColumn(tsMode, n);
  if (isRaw(tsMode)) {
    readRaw(r, tsEvent, n);
    readRaw(r, tsInit, n);
  } else {
    const ev = tsEvent.data, init = tsInit.data;
    let prev = 0;
    for (let i = 0; i < n; i++) ev[i] = prev += r.zigzag();
    for (let i = 0; i < n; i++) init[i] = ev[i]! + r.zigzag();
  }
  const [nq, nb, nt, nr] = counts as [number, number, number, number];
  const quotes = nq > 0 ? decodeQuotes(r, nq, instOf(0), ni) : undefined;
  const books = nb > 0 ? decodeBooks(r, nb, instOf(1), ni) : undefined;
  const trades = nt > 0 ? decodeTrades(r, nt, instOf(2), ni) : undefined;
  const bars = nr > 0 ? decodeBars(r, nr, instOf(3), ni) : undefined;
  if (r.pos !== payload.length) throw new CorruptChunk(`payload has ${payload.length - r.pos} trailing bytes`);
  return decodedChunk(n, instruments, kind, soleKind, instrument, tsEvent, tsInit, quotes, books, trades, bars);
}

function decodeQuotes(r: ByteReader, nq: number, inst: Inst, ni: number): QuoteColumns {
  const mode = r.byte();
  const bid = allocColumn(mode, nq);
  const ask = allocColumn(mode, nq);
  if (isRaw(mode)) {
    readRaw(r, bid, nq);
    readRaw(r, ask, nq);
  } else {
    readDelta(r, bid, nq, inst, ni);
    const b = bid.data, a = ask.data;
    const prev = new Float64Array(ni);
    for (let j = 0; j < nq; j++) {
      const k = inst ? inst[j]! : 0;
      const spread = (prev[k] = prev[k]! + r.zigzag());
      a[j] = b[j]! + spread;
    }
  }
  if (r.byte() === 0) return quoteColumns(nq, bid, ask, undefined, undefined, undefined);
  const sizeFlags = r.buf.slice(r.pos, (r.pos += nq));
  if (sizeFlags.length !== nq) throw new CorruptChunk('quote size flags are cut short');
  const side = (bit: number): NumColumn | undefined => {
    let present = 0;
    for (let j = 0; j < nq; j++) if (sizeFlags[j]! & bit) present++;
    const mode = r.byte();
    const col = allocColumn(mode, present > 0 ? nq : 0);
    const d = col.data;
    const prev = new Float64Array(ni);
    const raw = isRaw(mode);
    // One entry per quote, filled where the flag says present; deltas run over the present values of each instrument.
    for (let j = 0; j < nq; j++) {
      if ((sizeFlags[j]! & bit) === 0) continue;
      if (raw) {
        d[j] = r.f64();
      } else {
        const k = inst ? inst[j]! : 0;
        d[j] = prev[k] = prev[k]! + r.zigzag();
      }
    }
    return present > 0 ? col : undefined;
  };
  return quoteColumns(nq, bid, ask, sizeFlags, side(1), side(2));
}

function readBookLevels(r: ByteReader, col: NumColumn, inst: Inst, start: Uint32Array, bidDepth: Uint32Array, ni: number): void {
  const d = col.data;
  const prevStart = new Float64Array(ni * 2);
  const prevLen = new Float64Array(ni * 2);
  for (let j = 0; j < bidDepth.length; j++) {
    const k = inst ? inst[j]! : 0;
    for (let s = 0; s < 2; s++) {
      const p = s === 0 ? start[j]! : start[j]! + bidDepth[j]!;
      const depth = s === 0 ? bidDepth[j]! : start[j + 1]! - p;
      const slot = k * 2 + s;
      const ps = prevStart[slot]!;
      const pl = prevLen[slot]!;
      for (let l = 0; l < depth; l++) {
        const pred = l < pl ? d[ps + l]! : l > 0 ? d[p + l - 1]! : 0;
        d[p + l] = pred + r.zigzag();
      }
      prevStart[slot] = p;
      prevLen[slot] = depth;
    }
  }
}

function decodeBooks(r: ByteReader, nb: number, inst: Inst, ni: number): BookColumns {
  const bidDepth = new Uint32Array(nb);
  const start = new Uint32Array(nb + 1);
  for (let j = 0; j < nb; j++) bidDepth[j] = r.varint();
  let total = 0;
  for (let j = 0; j < nb; j++) {
    start[j] = total;
    total += bidDepth[j]! + r.varint();
    if (total > r.buf.length) throw new CorruptChunk('book depths exceed the payload size');
  }
  start[nb] = total;
  const levels = (col: NumColumn): void => readBookLevels(r, col, inst, start, bidDepth, ni);
  const price = readColumn(r, total, levels);
  const size = readColumn(r, total, levels);
  return bookColumns(nb, start, bidDepth, price, size);
}

function decodeTrades(r: ByteReader, nt: number, inst: Inst, ni: number): TradeColumns {
  const price = readColumn(r, nt, (col) => readDelta(r, col, nt, inst, ni));
  const size = readColumn(r, nt, (col) => readPlain(r, col, nt));
  const flags = r.buf.slice(r.pos, (r.pos += nt));
  if (flags.length !== nt) throw new CorruptChunk('trade flags are cut short');
  if (flags.some((f) => (f & AGGRESSOR_MASK) === 3 || f >> TRADE_ID_SHIFT > TRADE_ID_TEXT)) throw new CorruptChunk('invalid trade flags');
  let idNumber: Float64Array | undefined;
  let idText: Array<string | undefined> | undefined;
  const prev = new Float64Array(ni);
  for (let j = 0; j < nt; j++) {
    const id = flags[j]! >> TRADE_ID_SHIFT;
    if (id === TRADE_ID_INTEGER) {
      const k = inst ? inst[j]! : 0;
      (idNumber ??= new Float64Array(nt))[j] = prev[k] = prev[k]! + r.zigzag();
    } else if (id === TRADE_ID_TEXT) {
      (idText ??= new Array<string | undefined>(nt))[j] = r.string();
    }
  }
  return tradeColumns(nt, price, size, flags, idNumber, idText);
}

function decodeBars(r: ByteReader, nr: number, inst: Inst, ni: number): BarColumns {
  const periodMs = readColumn(r, nr, (col) => readDelta(r, col, nr, inst, ni));
  const mode = r.byte();
  const [close, open, high, low] = [0, 1, 2, 3].map(() => allocColumn(mode, nr)) as [NumColumn, NumColumn, NumColumn, NumColumn];
  if (isRaw(mode)) {
    for (const col of [close, open, high, low]) readRaw(r, col, nr);
  } else {
    readDelta(r, close, nr, inst, ni);
    const c = close.data, o = open.data;
    const prevClose = new Float64Array(ni);
    for (let j = 0; j < nr; j++) {
      const k = inst ? inst[j]! : 0;
      o[j] = prevClose[k]! + r.zigzag();
      prevClose[k] = c[j]!;
    }
    for (let j = 0; j < nr; j++) high.data[j] = Math.max(o[j]!, c[j]!) + r.zigzag();
    for (let j = 0; j < nr; j++) low.data[j] = Math.min(o[j]!, c[j]!) + r.zigzag();
  }
  const volume = readColumn(r, nr, (col) => readPlain(r, col, nr));
  return barColumns(nr, periodMs, open, high, low, close, volume);
}
