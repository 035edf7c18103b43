import type { InstrumentId } from '../model/ids.js';
import { midOf, type Bar, type BookSnapshot, type Quote, type Tick, type Trade } from '../model/tick.js';

/** The last tick of each kind per instrument, and the mid (or last trade / bar close) used to mark positions. */
export interface MarketCache {
  /** Stores the ticks of one instrument: bound to its slot once (the kernel keeps one per instrument). */
  updaterFor(id: InstrumentId): (tick: Tick) => void;
  lastQuote(id: InstrumentId): Quote | undefined;
  lastBook(id: InstrumentId): BookSnapshot | undefined;
  lastTrade(id: InstrumentId): Trade | undefined;
  lastBar(id: InstrumentId): Bar | undefined;
  lastMid(id: InstrumentId): number | undefined;
}

/** The last ticks of one instrument; the kernel binds an updater to each slot once (the cache sees every tick). */
interface Slot {
  quote: Quote | undefined;
  book: BookSnapshot | undefined;
  trade: Trade | undefined;
  bar: Bar | undefined;
  mid: number | undefined;
}

export function createMarketCache(): MarketCache {
  const slots = new Map<InstrumentId, Slot>();
  const slotOf = (id: InstrumentId): Slot => {
    let s = slots.get(id);
    if (s === undefined) {
      s = { quote: undefined, book: undefined, trade: undefined, bar: undefined, mid: undefined };
      slots.set(id, s);
    }
    return s;
  };
  /** Stores the tick, and its mark when the tick gives a finite one. */
  const updateSlot = (s: Slot, tick: Tick): void => {
    let mark: number | undefined;
    switch (tick.kind) {
      case 'quote':
        s.quote = tick;
        mark = midOf(tick);
        break;
      case 'book':
        s.book = tick;
        mark = midOf(tick);
        break;
      case 'trade':
        s.trade = tick;
        mark = tick.price;
        break;
      case 'bar':
        s.bar = tick;
        mark = tick.close;
        break;
    }
    if (mark !== undefined && Number.isFinite(mark)) s.mid = mark;
  };
  return {
    updaterFor(id) {
      const s = slotOf(id);
      return (tick) => updateSlot(s, tick);
    },
    lastQuote: (id) => slots.get(id)?.quote,
    lastBook: (id) => slots.get(id)?.book,
    lastTrade: (id) => slots.get(id)?.trade,
    lastBar: (id) => slots.get(id)?.bar,
    lastMid: (id) => slots.get(id)?.mid,
  };
}
