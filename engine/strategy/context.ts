import type { Observable, SchedulerLike } from 'rxjs';
import type { Logger } from 'pino';
import type { OrderIntent, SubmitIntent } from '../model/commands.js';
import type { OrderEvent } from '../model/events.js';
import type { ClientOrderId, InstrumentId, Millis, StrategyId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { OrderView, TimeInForce, TriggerType } from '../model/order.js';
import type { PositionView } from '../model/position.js';
import type { Bar, BookSnapshot, Quote, Tick, Trade } from '../model/tick.js';

/** Options of buy/sell: a price makes it a limit order. */
export interface OrderOptions {
  /** The limit price (with `stop` or `touch`: a stop-limit or limit-if-touched order). */
  price?: number | string;
  /** A stop order, held by the engine until the watched price reaches this (a buy at or above, a sell at or below). */
  stop?: number | string;
  /** An if-touched order: released when the watched price reaches this the other way (a buy at or below, a sell at or above). */
  touch?: number | string;
  /** What `stop` / `touch` watches: last trade (default), bid_ask (a buy the ask, a sell the bid) or mid. */
  trigger?: TriggerType;
  /**
   * A trailing stop-market: the stop follows the watched price at this distance (in price) in the order's favour, never
   * back. Starts at `stop` when given, else this far from the watched price now.
   */
  trailing?: number | string;
  /** The same distance in ticks of the instrument. */
  trailingTicks?: number;
  /**
   * One-cancels-other with this open order of the strategy on the same instrument (and the rest of its group): a fill
   * of one reduces the others, and only one of them is at the venue at a time (README "OCO and OTO").
   */
  ocoWith?: ClientOrderId;
  /**
   * One-triggers-other: held until `parent` fills, sized to what it filled — a stop / if-touched / trailing order armed
   * at its first fill, a plain order sent once it has filled all it will (README "OCO and OTO").
   */
  parent?: ClientOrderId;
  timeInForce?: TimeInForce;
  expireAt?: Millis;
  postOnly?: boolean;
  reduceOnly?: boolean;
  tag?: string;
}

export interface BracketOrder {
  readonly instrumentId: InstrumentId;
  readonly side: 'buy' | 'sell';
  readonly quantity: number | string;
  /** The entry's limit price; a market entry without it. */
  readonly price?: number | string;
  /** The take-profit's price: released (as a limit at this price) when the watched price reaches it. */
  readonly takeProfit: number | string;
  /** The stop-loss's trigger: released as a market order when the watched price reaches it. */
  readonly stopLoss: number | string;
  /** What the exits watch (default `last`). */
  readonly trigger?: TriggerType;
  readonly tag?: string;
}

/** Per-strategy key/value state that persists across restarts (JSON values). */
export interface StrategyState {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/**
 * Everything a strategy may touch. It never sees a socket or the database; every order goes through the risk layer.
 * Order methods return the client order id at once; the outcome (including a risk denial) arrives as an OrderEvent.
 */
export interface StrategyContext<P = Record<string, unknown>, V = unknown> {
  readonly id: StrategyId;
  readonly params: Readonly<P>;
  /** This instance's working memory, from the definition's `vars(params)`. */
  readonly vars: V;
  readonly log: Logger;
  /** Engine time: simulated in backtests. */
  now(): Millis;
  /** RxJS scheduler on engine time, for bufferTime / debounceTime / interval … */
  readonly scheduler: SchedulerLike;

  submit(order: Omit<SubmitIntent, 'kind'>): ClientOrderId;
  buy(instrumentId: InstrumentId, quantity: number | string, options?: OrderOptions): ClientOrderId;
  sell(instrumentId: InstrumentId, quantity: number | string, options?: OrderOptions): ClientOrderId;
  /**
   * An entry with a take-profit and a stop-loss: the exits (emulated, the other side) wait for the entry to fill, are
   * sized to what it filled, and are one-cancels-other (the README's "Brackets"). Returns the three client order ids.
   */
  bracket(order: BracketOrder): { entry: ClientOrderId; takeProfit: ClientOrderId; stopLoss: ClientOrderId };
  cancel(clientOrderId: ClientOrderId): void;
  cancelAll(instrumentId?: InstrumentId): void;
  modify(clientOrderId: ClientOrderId, changes: { price?: number | string; quantity?: number | string }): void;
  /** Any intent (what an RxJS pipeline emits); returns the client order id of a submit. */
  execute(intent: OrderIntent): ClientOrderId | undefined;

  /**
   * This strategy's own position: the fills of its orders only. Another strategy trading the same instrument, or an
   * operator's flatten, does not move it.
   */
  position(instrumentId: InstrumentId): PositionView;
  /** The account's (portfolio's) position: every strategy's fills and the operator's together, as the venue sees it. */
  accountPosition(instrumentId: InstrumentId): PositionView;
  openOrders(instrumentId?: InstrumentId): readonly OrderView[];
  order(clientOrderId: ClientOrderId): OrderView | undefined;
  instrument(instrumentId: InstrumentId): Instrument | undefined;
  lastQuote(instrumentId: InstrumentId): Quote | undefined;
  lastBook(instrumentId: InstrumentId): BookSnapshot | undefined;
  lastTrade(instrumentId: InstrumentId): Trade | undefined;
  lastBar(instrumentId: InstrumentId): Bar | undefined;

  /** Calls onTimer(ctx, name) after delayMs of engine time (every delayMs with repeat). Same name replaces. */
  setTimer(name: string, delayMs: number, options?: { repeat?: boolean }): void;
  cancelTimer(name: string): void;

  readonly state: StrategyState;

  /** Ticks this strategy receives, optionally of one instrument. */
  ticks$(instrumentId?: InstrumentId): Observable<Tick>;
  /** This strategy's order events. */
  readonly orderEvents$: Observable<OrderEvent>;

  /** Stops this strategy: cancels its open orders and calls onStop. */
  stop(reason?: string): void;
}
