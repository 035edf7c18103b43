import type { InstrumentId, Millis } from './ids.js';

interface TickBase {
  readonly instrumentId: InstrumentId;
  /** Venue time. */
  readonly tsEvent: Millis;
  /** Engine time when the tick entered the engine. */
  readonly tsInit: Millis;
}

/** Top of book. A missing size means the venue did not say: treated as unlimited by the simulator. */
export interface Quote extends TickBase {
  readonly kind: 'quote';
  readonly bid: number;
  readonly ask: number;
  readonly bidSize?: number;
  readonly askSize?: number;
}

export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** N levels a side, best first. */
export interface BookSnapshot extends TickBase {
  readonly kind: 'book';
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface Trade extends TickBase {
  readonly kind: 'trade';
  readonly price: number;
  readonly size: number;
  readonly aggressor?: 'buy' | 'sell';
  readonly tradeId?: string;
}

/** A bar; tsEvent is the bar's close time, periodMs its length. */
export interface Bar extends TickBase {
  readonly kind: 'bar';
  readonly periodMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export type Tick = Quote | BookSnapshot | Trade | Bar;
export type TickKind = Tick['kind'];

/** Mid price of a quote or book, undefined when a side is empty. */
export function midOf(tick: Quote | BookSnapshot): number | undefined {
  if (tick.kind === 'quote') return (tick.bid + tick.ask) / 2;
  const b = tick.bids[0];
  const a = tick.asks[0];
  return b && a ? (b.price + a.price) / 2 : undefined;
}
