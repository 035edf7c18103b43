/**
 * Walks a decoded chunk in file order, building a Tick object only for the ticks actually taken. Codes were
 * validated by decodeChunk, so the walk itself cannot fail.
 */
import type { BookLevel, Tick, Trade } from '../../model/tick.js';
import { AGGRESSOR_BUY, AGGRESSOR_MASK, TRADE_ID_INTEGER, TRADE_ID_SHIFT, type DecodedChunk } from './columns.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ChunkCursor {
  /** Index of the next tick. */
  i = 0;
  private q = 0;
  private b = 0;
  private t = 0;
  private r = 0;

  constructor(readonly chunk: DecodedChunk) {}

  get done(): boolean {
    return this.i >= this.chunk.ticks;
  }

  /** tsInit of the next tick. */
  ts(): number {
    const c = this.chunk.tsInit;
    return c.data[this.i]! / c.div;
  }

  /** Steps over the next tick without building it. */
  skip(): void {
    const c = this.chunk;
    switch (c.kind ? c.kind[this.i] : c.soleKind) {
      case 0: this.q++; break;
      case 1: this.b++; break;
      case 2: this.t++; break;
      default: this.r++;
    }
    this.i++;
  }

  next(): Tick {
    const c = this.chunk;
    const i = this.i++;
    const instrumentId = c.instruments[c.instrument ? c.instrument[i]! : 0]!;
    const tsEvent = c.tsEvent.data[i]! / c.tsEvent.div;
    const tsInit = c.tsInit.data[i]! / c.tsInit.div;
    switch (c.kind ? c.kind[i] : c.soleKind) {
      case 0: {
        const q = c.quotes!;
        const j = this.q++;
        const bid = q.bid.data[j]! / q.bid.div;
        const ask = q.ask.data[j]! / q.ask.div;
        const f = q.sizeFlags ? q.sizeFlags[j]! : 0;
        if (f === 0) return { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask };
        const bidSize = f & 1 ? q.bidSize!.data[j]! / q.bidSize!.div : undefined;
        const askSize = f & 2 ? q.askSize!.data[j]! / q.askSize!.div : undefined;
        if (f === 3) return { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, bidSize: bidSize!, askSize: askSize! };
        return f === 1
          ? { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, bidSize: bidSize! }
          : { kind: 'quote', instrumentId, tsEvent, tsInit, bid, ask, askSize: askSize! };
      }
      case 1: {
        const bk = c.books!;
        const j = this.b++;
        const start = bk.start[j]!;
        const mid = start + bk.bidDepth[j]!;
        const end = bk.start[j + 1]!;
        const level = (l: number): BookLevel => ({ price: bk.price.data[l]! / bk.price.div, size: bk.size.data[l]! / bk.size.div });
        const bids: BookLevel[] = [];
        const asks: BookLevel[] = [];
        for (let l = start; l < mid; l++) bids.push(level(l));
        for (let l = mid; l < end; l++) asks.push(level(l));
        return { kind: 'book', instrumentId, tsEvent, tsInit, bids, asks };
      }
      case 2: {
        const tr = c.trades!;
        const j = this.t++;
        const f = tr.flags[j]!;
        const a = f & AGGRESSOR_MASK;
        const id = f >> TRADE_ID_SHIFT;
        const trade: Mutable<Trade> = {
          kind: 'trade', instrumentId, tsEvent, tsInit, price: tr.price.data[j]! / tr.price.div, size: tr.size.data[j]! / tr.size.div,
        };
        if (a !== 0) trade.aggressor = a === AGGRESSOR_BUY ? 'buy' : 'sell';
        if (id !== 0) trade.tradeId = id === TRADE_ID_INTEGER ? String(tr.idNumber![j]) : tr.idText![j]!;
        return trade;
      }
      default: {
        const br = c.bars!;
        const j = this.r++;
        return {
          kind: 'bar', instrumentId, tsEvent, tsInit, periodMs: br.periodMs.data[j]! / br.periodMs.div,
          open: br.open.data[j]! / br.open.div, high: br.high.data[j]! / br.high.div, low: br.low.data[j]! / br.low.div,
          close: br.close.data[j]! / br.close.div, volume: br.volume.data[j]! / br.volume.div,
        };
      }
    }
  }
}
