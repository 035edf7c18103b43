import type { InstrumentId } from '../model/ids.js';
import { midOf, type Bar, type BookSnapshot, type Quote, type Tick, type Trade } from '../model/tick.js';

/** The last tick of each kind per instrument, and the mid (or last trade / bar close) used to mark positions. */
export interface MarketCache {
  update(tick: Tick): number | undefined;
  lastQuote(id: InstrumentId): Quote | undefined;
  lastBook(id: InstrumentId): BookSnapshot | undefined;
  lastTrade(id: InstrumentId): Trade | undefined;
  lastBar(id: InstrumentId): Bar | undefined;
  lastMid(id: InstrumentId): number | undefined;
}

export function createMarketCache(): MarketCache {
  const quotes = new Map<InstrumentId, Quote>();
  const books = new Map<InstrumentId, BookSnapshot>();
  const trades = new Map<InstrumentId, Trade>();
  const bars = new Map<InstrumentId, Bar>();
  const mids = new Map<InstrumentId, number>();
  return {
    /** Stores the tick; returns the new mark price when the tick gives one. */
    update(tick) {
      let mark: number | undefined;
      switch (tick.kind) {
        case 'quote':
          quotes.set(tick.instrumentId, tick);
          mark = midOf(tick);
          break;
        case 'book':
          books.set(tick.instrumentId, tick);
          mark = midOf(tick);
          break;
        case 'trade':
          trades.set(tick.instrumentId, tick);
          mark = tick.price;
          break;
        case 'bar':
          bars.set(tick.instrumentId, tick);
          mark = tick.close;
          break;
      }
      if (mark !== undefined && Number.isFinite(mark)) mids.set(tick.instrumentId, mark);
      return mark;
    },
    lastQuote: (id) => quotes.get(id),
    lastBook: (id) => books.get(id),
    lastTrade: (id) => trades.get(id),
    lastBar: (id) => bars.get(id),
    lastMid: (id) => mids.get(id),
  };
}
