/**
 * The venue without its network: users and session keys, the market, orders and fills per user, and the engine's
 * matching (createSimVenue). It lives for the whole simulator, so state survives a stop/restart of the listener.
 */
import type { Clock } from '../../../engine/clock/clock.js';
import { D, type Decimal } from '../../../engine/model/decimal.js';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { InstrumentId } from '../../../engine/model/ids.js';
import type { Instrument } from '../../../engine/model/instrument.js';
import { createSimVenue, type SimVenue } from '../../../engine/sim/index.js';
import { createSimMarket, type SimMarket } from './market.js';
import type { TransactFillWire, TransactOrderState, TransactOrderWire, TransactSide, TransactSymbolSpec, TransactTif } from './protocol.js';

export interface TransactUser {
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
}

export interface SessionRecord {
  readonly key: string;
  readonly username: string;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface OrderRecord {
  readonly username: string;
  readonly orderId: string;
  readonly clientId: string;
  readonly simId: string;
  readonly symbol: string;
  readonly side: TransactSide;
  readonly type: 'LIMIT' | 'MARKET';
  readonly tif: TransactTif;
  readonly qty: Decimal;
  readonly price: Decimal | null;
  filled: Decimal;
  notional: Decimal;
  state: TransactOrderState;
  text?: string;
  time: number;
}

/** Where topic messages go (the network layer). */
export interface TopicSink {
  order(username: string, order: TransactOrderWire): void;
  fill(username: string, fill: TransactFillWire): void;
}

export type CancelOutcome = { readonly ok: true } | { readonly ok: false; readonly text: string };

export interface VenueCore {
  readonly market: SimMarket;
  readonly sim: SimVenue;
  readonly users: readonly TransactUser[];
  readonly sessions: Map<string, SessionRecord>;
  sessionTtlMs: number;
  readonly orders: Map<string, Map<string, OrderRecord>>;
  readonly fills: Map<string, TransactFillWire[]>;
  readonly clock: Clock;
  nextOrderId(): string;
  ordersOf(username: string): Map<string, OrderRecord>;
  add(order: OrderRecord): void;
  awaitCancel(order: OrderRecord): Promise<CancelOutcome>;
  setSink(sink: TopicSink): void;
  dispose(): void;
}

export function orderWire(o: OrderRecord): TransactOrderWire {
  return {
    order_id: o.orderId, client_id: o.clientId, symbol: o.symbol, side: o.side, type: o.type, tif: o.tif, qty: o.qty.toString(),
    price: o.price === null ? null : o.price.toString(), filled_qty: o.filled.toString(),
    avg_price: o.filled.isZero() ? null : o.notional.div(o.filled).toString(), state: o.state,
    ...(o.text !== undefined ? { text: o.text } : {}), time: o.time,
  };
}

export function createVenueCore(opts: { venue: string; clock: Clock; seed: number; symbols: readonly TransactSymbolSpec[]; users: readonly TransactUser[]; sessionTtlMs: number }): VenueCore {
  const { clock } = opts;
  const market = createSimMarket({ venue: opts.venue, specs: opts.symbols, clock, seed: opts.seed });
  const instruments = new Map<InstrumentId, Instrument>();
  for (const s of opts.symbols) instruments.set(market.instrument(s.symbol)!.id, market.instrument(s.symbol)!);
  const sim = createSimVenue({ venue: opts.venue, clock, instruments, idPrefix: `TX${clock.now()}` });
  const orders = new Map<string, Map<string, OrderRecord>>();
  const bySim = new Map<string, OrderRecord>();
  const fills = new Map<string, TransactFillWire[]>();
  const cancelWaiters = new Map<string, ((o: CancelOutcome) => void)[]>();
  let sink: TopicSink = { order: () => undefined, fill: () => undefined };
  let orderSeq = 0;
  let fillSeq = 0;

  const ordersOf = (u: string): Map<string, OrderRecord> => {
    let m = orders.get(u);
    if (!m) orders.set(u, (m = new Map()));
    return m;
  };
  const push = (o: OrderRecord): void => sink.order(o.username, orderWire(o));
  const settleCancel = (o: OrderRecord, outcome: CancelOutcome): void => {
    const ws = cancelWaiters.get(o.simId) ?? [];
    cancelWaiters.delete(o.simId);
    for (const w of ws) w(outcome);
  };

  const handle = (e: VenueOrderEvent): void => {
    const o = bySim.get(e.clientOrderId);
    if (!o) return;
    const now = clock.now();
    o.time = now;
    switch (e.kind) {
      case 'OrderAccepted':
        if (o.state === 'PENDING') (o.state = 'WORKING'), push(o);
        return;
      case 'OrderRejected':
        o.state = 'REJECTED';
        o.text = e.reason;
        return push(o);
      case 'OrderFilled': {
        o.filled = o.filled.plus(e.lastQty);
        o.notional = o.notional.plus(D(e.lastPrice).times(e.lastQty));
        if (o.state === 'PENDING') o.state = 'WORKING';
        if (o.filled.gte(o.qty)) o.state = 'FILLED';
        const fill: TransactFillWire = {
          fill_id: `F${++fillSeq}`, order_id: o.orderId, client_id: o.clientId, symbol: o.symbol, side: o.side, qty: String(e.lastQty),
          price: String(e.lastPrice), fee: String(e.fee), fee_currency: e.feeCurrency, liquidity: e.liquidity === 'maker' ? 'MAKER' : 'TAKER', time: now,
        };
        let list = fills.get(o.username);
        if (!list) fills.set(o.username, (list = []));
        list.push(fill);
        sink.fill(o.username, fill);
        return push(o);
      }
      case 'OrderCanceled':
      case 'OrderExpired':
        o.state = e.kind === 'OrderCanceled' ? 'CANCELED' : 'EXPIRED';
        push(o);
        return settleCancel(o, { ok: true });
      case 'OrderCancelRejected':
        return settleCancel(o, { ok: false, text: `order is ${o.state}, not working` });
      case 'OrderUpdated':
      case 'OrderModifyRejected':
        return;
    }
  };
  const subscription = sim.events$.subscribe(handle);
  const unhook = market.onUpdate((u) => {
    for (const t of u.ticks) sim.onTick(t);
  });
  market.step();

  return {
    market, sim, clock, orders, fills,
    users: opts.users,
    sessions: new Map(),
    sessionTtlMs: opts.sessionTtlMs,
    nextOrderId: () => `T-${clock.now()}-${++orderSeq}`,
    ordersOf,
    add(o) {
      ordersOf(o.username).set(o.clientId, o);
      bySim.set(o.simId, o);
      push(o);
    },
    awaitCancel(o) {
      return new Promise((resolve) => {
        const list = cancelWaiters.get(o.simId) ?? [];
        list.push(resolve);
        cancelWaiters.set(o.simId, list);
      });
    },
    setSink: (s) => void (sink = s),
    dispose() {
      unhook();
      subscription.unsubscribe();
      market.stop();
    },
  };
}

