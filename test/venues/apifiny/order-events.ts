/**
 * The matching engine's VenueOrderEvents become Apifiny order states, fills, balance moves and user stream frames:
 * OrderAccepted → SUBMITTED; OrderFilled → a fill (SUBMITTED while working, FILLED when complete); OrderCanceled →
 * CANCELLED, or PART_FILLED when part was filled (see protocol.ts); OrderRejected → REJECTED. Every change pushes an
 * order update.
 */
import type { Clock } from '../../../engine/clock/clock.js';
import { D, ZERO, type Decimal } from '../../../engine/model/decimal.js';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { AccountRegistry } from './accounts.js';
import type { BalanceChange } from './balances.js';
import { lastFillWire, orderUpdateWire, orderWire, type OrderRecord, type OrderStore } from './order-store.js';
import type { UserStreamSink } from './venue-core.js';

export type CancelOutcome = { readonly kind: 'canceled' } | { readonly kind: 'rejected'; readonly reason: string };

export interface OrderEventHandler {
  handle(e: VenueOrderEvent): void;
  /** Pushes the order's current state on the user stream. */
  pushUpdate(order: OrderRecord): void;
  /** Resolves when the matching engine answers the cancel sent for `order`. */
  awaitCancel(order: OrderRecord): Promise<CancelOutcome>;
}

export interface OrderEventDeps {
  readonly venue: string;
  readonly clock: Clock;
  readonly store: OrderStore;
  readonly accounts: AccountRegistry;
  readonly streams: UserStreamSink;
}

export function createOrderEventHandler(deps: OrderEventDeps): OrderEventHandler {
  const { clock, store, accounts, streams } = deps;
  const cancelWaiters = new Map<string, ((o: CancelOutcome) => void)[]>();

  const pushUpdate = (o: OrderRecord): void =>
    streams.pushOrder(o.accountId, { logTimestamp: clock.now(), payload: orderUpdateWire(o) });

  const settle = (o: OrderRecord, outcome: CancelOutcome): void => {
    o.cancelPending = false;
    const waiters = cancelWaiters.get(o.simId);
    cancelWaiters.delete(o.simId);
    for (const w of waiters ?? []) w(outcome);
  };

  /** Gives back what is still frozen for a finished order. */
  const releaseAll = (o: OrderRecord, now: number): void => {
    if (o.frozenRemaining.isZero()) return;
    const frozen = o.frozenRemaining.neg();
    o.frozenRemaining = ZERO;
    accounts.get(o.accountId)?.balances.apply([{ currency: o.frozenCurrency, frozen }], now);
  };

  function onFill(o: OrderRecord, e: Extract<VenueOrderEvent, { kind: 'OrderFilled' }>, now: number): void {
    const qty = D(e.lastQty);
    const notional = D(e.lastPrice).times(qty);
    const base = o.baseCurrency;
    const quote = o.quoteCurrency;
    o.filledQuantity = o.filledQuantity.plus(qty);
    o.fillNotional = o.fillNotional.plus(notional);
    o.filledUpdatedAt = now;
    o.updatedAt = now;
    o.status = o.filledQuantity.gte(o.quantity) ? 'FILLED' : 'SUBMITTED';
    o.lastFill = {
      commission: e.fee,
      commissionCurrency: e.feeCurrency,
      quantity: e.lastQty,
      price: e.lastPrice,
      createdAt: now,
      isTaker: e.liquidity === 'taker',
      tradeId: e.tradeId,
    };
    const fee = D(e.fee);
    const used: Decimal = e.side === 'buy' ? notional.plus(fee) : qty;
    const release = minOf(o.frozenRemaining, used);
    o.frozenRemaining = o.frozenRemaining.minus(release);
    const changes: BalanceChange[] =
      e.side === 'buy'
        ? [{ currency: quote, amount: notional.plus(fee).neg(), frozen: release.neg() }, { currency: base, amount: qty }]
        : [{ currency: base, amount: qty.neg(), frozen: release.neg() }, { currency: quote, amount: notional.minus(fee) }];
    accounts.get(o.accountId)?.balances.apply(changes, now);
    store.addFill({ accountId: o.accountId, symbol: o.symbol, orderId: o.orderId, wire: { ...orderWire(o), ...lastFillWire(o.lastFill) } });
    if (o.status === 'FILLED') releaseAll(o, now);
  }

  return {
    pushUpdate,
    handle(e) {
      const o = store.bySimId(e.clientOrderId);
      if (o === undefined) return;
      const now = clock.now();
      switch (e.kind) {
        case 'OrderAccepted':
          if (o.status !== 'PENDING_SUBMIT') return;
          o.status = 'SUBMITTED';
          o.updatedAt = now;
          return pushUpdate(o);
        case 'OrderRejected':
          o.status = 'REJECTED';
          o.updatedAt = now;
          releaseAll(o, now);
          return pushUpdate(o);
        case 'OrderFilled':
          onFill(o, e, now);
          return pushUpdate(o);
        case 'OrderCanceled':
        case 'OrderExpired':
          o.status = o.filledQuantity.isZero() ? 'CANCELLED' : 'PART_FILLED';
          o.cancelledUpdatedAt = now;
          o.updatedAt = now;
          releaseAll(o, now);
          pushUpdate(o);
          return settle(o, { kind: 'canceled' });
        case 'OrderCancelRejected':
          return settle(o, { kind: 'rejected', reason: e.reason });
        case 'OrderUpdated':
        case 'OrderModifyRejected':
          return; // Apifiny Connect has no modify: never sent
      }
    },
    awaitCancel(o) {
      return new Promise((resolve) => {
        const list = cancelWaiters.get(o.simId) ?? [];
        list.push(resolve);
        cancelWaiters.set(o.simId, list);
      });
    },
  };
}

const minOf = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b);
