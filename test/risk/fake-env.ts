/** Test fixtures for the risk layer: instruments, command/order builders and a mutable fake RiskEnv. */
import type { ModifyOrder, SubmitOrder } from '../../engine/model/commands.js';
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import type { Order } from '../../engine/model/order.js';
import type { CheckContext, RiskEnv, TradingState } from '../../engine/risk/index.js';

export const BTC = defineInstrument({
  id: 'BTCUSD.SIM',
  venue: 'SIM',
  venueSymbol: 'BTCUSD',
  base: 'BTC',
  quote: 'USD',
  tickSize: 0.01,
  stepSize: 0.0001,
  minQty: 0.0001,
  minNotional: 10,
});

/** Coarse grid (tick 0.05, step 0.1) with price and quantity bounds. */
export const ETH = defineInstrument({
  id: 'ETHUSD.ALT',
  venue: 'ALT',
  venueSymbol: 'ETHUSD',
  base: 'ETH',
  quote: 'USD',
  tickSize: 0.05,
  stepSize: 0.1,
  minQty: 0.1,
  maxQty: 100,
  minPrice: 1,
  maxPrice: 100_000,
});

export interface FakeEnv extends RiskEnv {
  /** Engine time; tests move it. */
  t: number;
  readonly instruments: Map<string, Instrument>;
  readonly positions: Map<string, number>;
  readonly mids: Map<string, number>;
  readonly orders: Order[];
}

export function fakeEnv(init: { instruments?: Instrument[]; t?: number } = {}): FakeEnv {
  const env: FakeEnv = {
    t: init.t ?? 1_000_000,
    instruments: new Map((init.instruments ?? [BTC, ETH]).map((i) => [i.id, i])),
    positions: new Map(),
    mids: new Map(),
    orders: [],
    instrument: (id) => env.instruments.get(id),
    positionQty: (id) => env.positions.get(id) ?? 0,
    openOrders: (strategyId) => env.orders.filter((o) => o.strategyId === strategyId),
    openOrdersFor: (instrumentId) => env.orders.filter((o) => o.instrumentId === instrumentId),
    order: (id) => env.orders.find((o) => o.clientOrderId === id),
    lastMid: (id) => env.mids.get(id),
    now: () => env.t,
  };
  return env;
}

let counter = 0;

/** A limit buy of 0.01 BTCUSD.SIM at 50000 (notional 500) unless overridden. */
export function submit(over: Partial<SubmitOrder> = {}): SubmitOrder {
  return {
    kind: 'SubmitOrder',
    clientOrderId: `s1-1-${++counter}`,
    strategyId: 's1',
    instrumentId: BTC.id,
    side: 'buy',
    type: 'limit',
    quantity: 0.01,
    price: 50_000,
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    tsInit: 0,
    ...over,
  };
}

export function marketOrder(over: Partial<SubmitOrder> = {}): SubmitOrder {
  const { price: _price, ...rest } = submit({ type: 'market', timeInForce: 'IOC', ...over });
  return rest;
}

/** An open (ACCEPTED) order as the engine tracks it: limit buy 0.01 BTCUSD.SIM at 50000 unless overridden. */
export function openOrder(over: Partial<Order> = {}): Order {
  return {
    clientOrderId: `o-1-${++counter}`,
    strategyId: 's1',
    instrumentId: BTC.id,
    venue: 'SIM',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    tsInit: 0,
    quantity: 0.01,
    price: 50_000,
    status: 'ACCEPTED',
    filledQty: 0,
    tsLast: 0,
    ...over,
  };
}

export function modify(order: Order, over: Partial<ModifyOrder> = {}): ModifyOrder {
  return {
    kind: 'ModifyOrder',
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    side: order.side,
    tsInit: 0,
    ...over,
  };
}

export function ctx(instrument: Instrument = BTC, over: { state?: TradingState; modifying?: Order } = {}): CheckContext {
  return { instrument, state: over.state ?? 'ACTIVE', ...(over.modifying ? { modifying: over.modifying } : {}) };
}

/** The default limits of a test: round / truncate, nothing else. */
export const NO_LIMITS = {} as const;
