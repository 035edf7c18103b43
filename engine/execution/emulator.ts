/**
 * The order emulator (issue 13): stop-market, stop-limit, market-if-touched and limit-if-touched orders are held by the
 * engine, in every mode alike, and released as market or limit orders when the price they watch touches their trigger.
 *
 * Per instrument, armed orders sit in sorted trigger books, one per watched price (last, bid, ask, mid) and direction:
 * an "up" book (released when the price rises to the trigger: buy stops, sell if-touched) is a min-heap on the
 * trigger, a "down" book (a fall to it: sell stops, buy if-touched) a max-heap. A tick costs O(1) per book that holds
 * nothing to release and O(log n) per release, whatever the number of armed orders. Orders released by one price are
 * released in trigger order (the nearest first), then in the order they were armed.
 *
 * What a tick shows: a quote (or a book's best levels) moves bid, ask and mid; a trade moves last; a bar moves last
 * along open → low → high → close when it closed up (or flat), open → high → low → close when it closed down, so a
 * bar that touched both a stop and a take-profit releases them in that stated order. A trigger that already holds
 * when the order is placed releases on the next tick that shows the watched price.
 *
 * Trailing stops keep a trigger that follows the watched price at their distance, in their favour only (a sell stop
 * up with the price, a buy stop down), updated then checked at each observation; they sit in a list per instrument
 * (O(trailing stops of the instrument) a tick), since a trigger that moves every tick does not stay put in a heap.
 */
import { addExact, subExact } from '../model/decimal.js';
import type { InstrumentId } from '../model/ids.js';
import type { Order } from '../model/order.js';
import { midOf, type Tick } from '../model/tick.js';

type Source = 'last' | 'bid' | 'ask' | 'mid';

interface Entry {
  readonly order: Order;
  readonly price: number;
  readonly seq: number;
  live: boolean;
}

/** A binary heap of entries; `up` pops the lowest trigger first, a down book the highest. */
class TriggerBook {
  private readonly heap: Entry[] = [];
  constructor(private readonly up: boolean) {}

  get size(): number {
    return this.heap.length;
  }

  private before(a: Entry, b: Entry): boolean {
    if (a.price !== b.price) return this.up ? a.price < b.price : a.price > b.price;
    return a.seq < b.seq;
  }

  push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** The next live entry the price `observed` releases, taken out of the book; undefined when there is none. */
  take(observed: number): Entry | undefined {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0]!;
      if (top.live && (this.up ? observed < top.price : observed > top.price)) return undefined;
      this.pop();
      if (top.live) return top;
    }
    return undefined;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

interface Books {
  readonly up: Record<Source, TriggerBook>;
  readonly down: Record<Source, TriggerBook>;
}

const newBooks = (): Books => ({
  up: { last: new TriggerBook(true), bid: new TriggerBook(true), ask: new TriggerBook(true), mid: new TriggerBook(true) },
  down: { last: new TriggerBook(false), bid: new TriggerBook(false), ask: new TriggerBook(false), mid: new TriggerBook(false) },
});

export interface Emulator {
  /** Holds an order with a trigger until a tick touches it. */
  arm(order: Order): void;
  /** Takes an armed order out (canceled); false when it was not armed. */
  disarm(order: Order): boolean;
  /** An armed order's trigger now (a trailing stop's moves with the price); undefined when it is not armed. */
  triggerOf(order: Order): number | undefined;
  /** Releases (through the callback given at creation) every armed order this tick touches. */
  onTick(tick: Tick): void;
  /** Orders armed now. */
  readonly armed: number;
  /** The same count as a field of a fixed object that follows it (read on every tick without a call). */
  readonly gauge: { readonly armed: number };
}

/** The watched price and direction of an order's trigger. */
function placement(order: Order): { source: Source; up: boolean } {
  const t = order.trigger!;
  const buy = order.side === 'buy';
  const source: Source = t.on === 'last' ? 'last' : t.on === 'mid' ? 'mid' : buy ? 'ask' : 'bid';
  // a buy stop waits for the price to rise to it, a sell stop for a fall; if-touched orders the other way
  const up = t.kind === 'stop' ? buy : !buy;
  return { source, up };
}

/** A trailing stop: its trigger moves with the watched price, so it is kept in a list, not in a sorted book. */
interface Trail {
  readonly order: Order;
  readonly source: Source;
  /** Released on a rise to the trigger (a buy stop, which trails the price down) or a fall (a sell stop, trailing up). */
  readonly up: boolean;
  readonly offset: number;
  trigger: number;
  live: boolean;
}

/**
 * `release` gets each order a tick touches; `moved` each trailing stop whose trigger a tick moved without releasing it
 * (the engine stores the move, so a restart re-arms it where it was).
 */
export function createEmulator(release: (order: Order, observed: number) => void, moved?: (order: Order, trigger: number) => void): Emulator {
  const books = new Map<InstrumentId, Books>();
  const entries = new Map<Order, Entry>();
  const trails = new Map<InstrumentId, Trail[]>();
  const trailOf = new Map<Order, Trail>();
  // the count of armed orders, kept as a plain field: the kernel reads it on every tick (no getter chain there)
  const gauge = { armed: 0 };
  const recount = (): void => {
    gauge.armed = entries.size + trailOf.size;
  };
  let seq = 0;

  /** Moves each live trailing trigger of the instrument watching `source` in the order's favour, then releases what it touches. */
  const follow = (list: Trail[], source: Source, observed: number): void => {
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (!t.live || t.source !== source) continue;
      // exact sums of the short decimals (a peak of 1.3883 less 0.0003 is 1.388, not 1.3880000000000001)
      const before = t.trigger;
      if (t.up) t.trigger = Math.min(t.trigger, addExact(observed, t.offset));
      else t.trigger = Math.max(t.trigger, subExact(observed, t.offset));
      if (t.up ? observed >= t.trigger : observed <= t.trigger) {
        t.live = false;
        trailOf.delete(t.order);
        recount();
        release(t.order, observed);
      } else if (t.trigger !== before) moved?.(t.order, t.trigger);
    }
    if (list.some((t) => !t.live)) {
      const kept = list.filter((t) => t.live);
      list.length = 0;
      list.push(...kept);
    }
  };

  const booksOf = (id: InstrumentId): Books => {
    let b = books.get(id);
    if (b === undefined) {
      books.set(id, (b = newBooks()));
      lastId = undefined;
    }
    return b;
  };

  /** Releases what `observed` touches in one book (nothing to do, the common case, costs a size check). */
  const drain = (book: TriggerBook, observed: number): void => {
    if (book.size === 0) return;
    for (let e = book.take(observed); e !== undefined; e = book.take(observed)) {
      e.live = false;
      entries.delete(e.order);
      recount();
      release(e.order, observed);
    }
  };
  /** Releases what `observed` touches in both books of one watched price (and moves the trailing stops watching it). */
  let trailing: Trail[] | undefined;
  const observe = (up: TriggerBook, down: TriggerBook, source: Source, observed: number): void => {
    if (!Number.isFinite(observed)) return;
    drain(up, observed);
    drain(down, observed);
    if (trailing !== undefined && trailing.length > 0) follow(trailing, source, observed);
  };
  // the last instrument's books and trailing list: a run of its ticks skips both lookups (both are made once per
  // instrument and never replaced, so only a new instrument's first arm clears this)
  let lastId: InstrumentId | undefined;
  let lastBooks: Books | undefined;
  let lastTrailing: Trail[] | undefined;

  return {
    arm(order) {
      if (order.trigger === undefined) throw new Error(`order ${order.clientOrderId} has no trigger to emulate`);
      if (entries.has(order) || trailOf.has(order)) return;
      const { source, up } = placement(order);
      if (order.trigger.trailing !== undefined) {
        const t: Trail = { order, source, up, offset: order.trigger.trailing, trigger: order.trigger.price, live: true };
        trailOf.set(order, t);
        recount();
        let list = trails.get(order.instrumentId);
        if (list === undefined) {
          trails.set(order.instrumentId, (list = []));
          lastId = undefined;
        }
        list.push(t);
        booksOf(order.instrumentId);
        return;
      }
      const entry: Entry = { order, price: order.trigger.price, seq: seq++, live: true };
      entries.set(order, entry);
      recount();
      const b = booksOf(order.instrumentId);
      (up ? b.up : b.down)[source].push(entry);
    },
    disarm(order) {
      const t = trailOf.get(order);
      if (t !== undefined) {
        t.live = false; // dropped from its list at the next tick of its instrument
        trailOf.delete(order);
        recount();
        return true;
      }
      const e = entries.get(order);
      if (e === undefined) return false;
      e.live = false; // left in its book, skipped when it comes up
      entries.delete(order);
      recount();
      return true;
    },
    triggerOf: (order) => trailOf.get(order)?.trigger ?? entries.get(order)?.price,
    onTick(tick) {
      if (entries.size === 0 && trailOf.size === 0) return;
      const id = tick.instrumentId;
      if (id !== lastId) {
        lastBooks = books.get(id);
        lastTrailing = trails.get(id);
        lastId = id;
      }
      const b = lastBooks;
      if (b === undefined) return;
      trailing = lastTrailing;
      const { up, down } = b;
      switch (tick.kind) {
        case 'quote':
          observe(up.bid, down.bid, 'bid', tick.bid);
          observe(up.ask, down.ask, 'ask', tick.ask);
          observe(up.mid, down.mid, 'mid', midOf(tick)!);
          return;
        case 'book': {
          const bid = tick.bids[0]?.price;
          const ask = tick.asks[0]?.price;
          if (bid !== undefined) observe(up.bid, down.bid, 'bid', bid);
          if (ask !== undefined) observe(up.ask, down.ask, 'ask', ask);
          const mid = midOf(tick);
          if (mid !== undefined) observe(up.mid, down.mid, 'mid', mid);
          return;
        }
        case 'trade':
          observe(up.last, down.last, 'last', tick.price);
          return;
        case 'bar': {
          const path = tick.close >= tick.open ? [tick.open, tick.low, tick.high, tick.close] : [tick.open, tick.high, tick.low, tick.close];
          for (const p of path) observe(up.last, down.last, 'last', p);
          return;
        }
      }
    },
    get armed() {
      return entries.size + trailOf.size;
    },
    gauge,
  };
}
