import type { Clock } from '../clock/clock.js';
import { D, ZERO } from '../model/decimal.js';
import type { Liquidity, VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, Millis, VenueId, VenueOrderId } from '../model/ids.js';
import type { OrderStatus } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';
import type { FeeModel } from './fees.js';
import type { FillSink } from './instrument-market.js';
import { isDone, statusReportOf, type SimOrder } from './sim-order.js';

/**
 * The venue's record of our orders and fills: ids (deterministic counters), order state, fill history, and the
 * `FillSink` matching reports to. It emits OrderFilled / OrderCanceled; state changes happen before the event goes out,
 * so a subscriber that asks for reports sees them.
 */
export interface OrderLedger extends FillSink {
  byClientId(id: ClientOrderId): SimOrder | undefined;
  byVenueId(id: VenueOrderId): SimOrder | undefined;
  /** `${idPrefix}-${n}`, n = 1, 2, … in acceptance order. */
  nextVenueOrderId(): VenueOrderId;
  /** Time-priority counter. */
  nextSeq(): number;
  /** Registers a newly accepted order as open. */
  add(order: SimOrder): void;
  /** Moves an order to a terminal status (no event). */
  close(order: SimOrder, status: OrderStatus): void;
  openReports(): OrderStatusReport[];
  fillsSince(t: Millis): FillReport[];
}

export function createOrderLedger(venue: VenueId, idPrefix: string, clock: Clock, fees: FeeModel, emit: (e: VenueOrderEvent) => void): OrderLedger {
  const clientIds = new Map<ClientOrderId, SimOrder>();
  const venueIds = new Map<VenueOrderId, SimOrder>();
  /** Open orders in acceptance order. */
  const open = new Set<SimOrder>();
  /** Every fill in time order (tsEvent never decreases). */
  const fillLog: FillReport[] = [];
  let orderCount = 0;
  let tradeCount = 0;
  let seqCount = 0;

  const close = (order: SimOrder, status: OrderStatus): void => {
    order.status = status;
    order.tsLast = clock.now();
    order.expiry?.cancel();
    order.expiry = undefined;
    open.delete(order);
  };

  return {
    byClientId: (id) => clientIds.get(id),
    byVenueId: (id) => venueIds.get(id),
    nextVenueOrderId: () => `${idPrefix}-${++orderCount}`,
    nextSeq: () => ++seqCount,
    add(order) {
      clientIds.set(order.clientOrderId, order);
      venueIds.set(order.venueOrderId, order);
      open.add(order);
    },
    close,

    fill(order: SimOrder, units: number, price: number, liquidity: Liquidity): void {
      const instrument = order.instrument;
      const qty = instrument.qtyGrid.fromUnits(units);
      const now = clock.now();
      order.filledUnits += units;
      order.fillNotional = (order.fillNotional ?? ZERO).plus(D(price).times(qty));
      if (isDone(order)) close(order, 'FILLED');
      else {
        order.status = 'PARTIALLY_FILLED';
        order.tsLast = now;
      }
      const tradeId = `${idPrefix}-T${++tradeCount}`;
      const fee = fees.fee(instrument, liquidity, price, qty);
      const feeCurrency = instrument.quote;
      const { clientOrderId, venueOrderId, side } = order;
      const instrumentId = instrument.id;
      fillLog.push({ venue, instrumentId, clientOrderId, venueOrderId, tradeId, side, lastQty: qty, lastPrice: price, fee, feeCurrency, liquidity, tsEvent: now });
      emit({ kind: 'OrderFilled', clientOrderId, instrumentId, tsEvent: now, venue, venueOrderId, tradeId, side, lastQty: qty, lastPrice: price, fee, feeCurrency, liquidity });
    },

    cancel(order: SimOrder, reason: string): void {
      close(order, 'CANCELED');
      emit({ kind: 'OrderCanceled', clientOrderId: order.clientOrderId, instrumentId: order.instrument.id, tsEvent: clock.now(), reason });
    },

    openReports: () => Array.from(open, (o) => statusReportOf(o, venue)),
    fillsSince: (t) => fillLog.slice(firstAtOrAfter(fillLog, t)),
  };
}

/** Index of the first fill with tsEvent ≥ t (binary search: the log is in time order). */
function firstAtOrAfter(log: readonly FillReport[], t: Millis): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.tsEvent < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
