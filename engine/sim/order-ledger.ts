import type { Clock } from '../clock/clock.js';
import { fillNotionalAfter } from '../model/decimal.js';
import type { Liquidity, VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, InstrumentId, Millis, VenueId, VenueOrderId } from '../model/ids.js';
import type { OrderStatus } from '../model/order.js';
import type { FillReport, OrderStatusReport } from '../model/reports.js';
import { createRetention, type Retention, type RetentionLimits } from '../model/retention.js';
import type { FeeModel } from './fees.js';
import { REDUCE_ONLY, type FillSink } from './instrument-market.js';
import { isDone, isOpen, leavesUnits, statusReportOf, type SimOrder } from './sim-order.js';

export interface OrderLedgerOptions {
  readonly venue: VenueId;
  readonly idPrefix: string;
  readonly clock: Clock;
  readonly fees: FeeModel;
  readonly emit: (e: VenueOrderEvent) => void;
  /** Net position per instrument in qty steps (+ long, − short) before the first fill; absent = flat. */
  readonly initialPositionUnits?: ReadonlyMap<InstrumentId, number>;
  /**
   * Closed orders and fills the venue keeps (defaults in model/retention.ts): an order dropped from memory is unknown
   * to the venue (a cancel of it is refused as unknown), and `fillsSince` reaches back only over the fills kept.
   */
  readonly retention?: RetentionLimits;
}

/**
 * The venue's record of our orders and fills: ids (deterministic counters), order state, fill history, the net
 * position per instrument (from its own fills, in qty steps), and the `FillSink` matching reports to. It emits
 * OrderFilled / OrderCanceled; state changes happen before the event goes out, so a subscriber that asks for reports
 * sees them.
 *
 * REDUCE-ONLY (the cap of NautilusTrader's matching engine): a reduce-only order may only fill against the opposite side
 * of the venue's position, and at most |position| (`fillable`). When a fill of it leaves nothing more to reduce (the position
 * is flat) its remainder is canceled at once with reason 'REDUCE_ONLY'; matching does the same with a reduce-only order
 * that reaches the market (arrival, or a tick that would fill it) with nothing to reduce.
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

export function createOrderLedger(opts: OrderLedgerOptions): OrderLedger {
  const { venue, idPrefix, clock, fees, emit } = opts;
  const clientIds = new Map<ClientOrderId, SimOrder>();
  const venueIds = new Map<VenueOrderId, SimOrder>();
  /** Open orders in acceptance order. */
  const open = new Set<SimOrder>();
  /** Fills in time order (tsEvent never decreases), the newest kept. */
  const fillLog = createRetention<FillReport>(opts.retention);
  const closedOrders = createRetention<SimOrder>(opts.retention, (order) => {
    clientIds.delete(order.clientOrderId);
    venueIds.delete(order.venueOrderId);
  });
  /** Net position in qty steps per instrument: exact integer arithmetic. */
  const positions = new Map<InstrumentId, number>(opts.initialPositionUnits);
  let orderCount = 0;
  let tradeCount = 0;
  let seqCount = 0;

  const close = (order: SimOrder, status: OrderStatus): void => {
    order.status = status;
    order.tsLast = clock.now();
    order.expiry?.cancel();
    order.expiry = undefined;
    if (open.delete(order)) closedOrders.add(order, order.tsLast);
  };

  /** Units a fill of `order` can take off the position (0 unless the order is on the side opposite to it). */
  const reducible = (order: SimOrder): number => {
    const position = positions.get(order.instrument.id) ?? 0;
    return order.side === 'buy' ? Math.max(0, -position) : Math.max(0, position);
  };

  const cancel = (order: SimOrder, reason: string): void => {
    close(order, 'CANCELED');
    emit({ kind: 'OrderCanceled', clientOrderId: order.clientOrderId, instrumentId: order.instrument.id, tsEvent: clock.now(), reason });
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
    cancel,

    fillable: (order) => (order.reduceOnly ? Math.min(leavesUnits(order), reducible(order)) : leavesUnits(order)),

    fill(order: SimOrder, units: number, price: number, liquidity: Liquidity): void {
      const instrument = order.instrument;
      if (order.reduceOnly && units > reducible(order)) throw new Error(`reduce-only ${order.clientOrderId} filled beyond its position`);
      positions.set(instrument.id, (positions.get(instrument.id) ?? 0) + (order.side === 'buy' ? units : -units));
      const qty = instrument.qtyGrid.fromUnits(units);
      const now = clock.now();
      if (order.filledUnits === 0) order.firstFillPrice = price;
      else order.fillNotional = fillNotionalAfter(order.fillNotional, order.firstFillPrice!, instrument.qtyGrid.fromUnits(order.filledUnits), price, qty);
      order.filledUnits += units;
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
      fillLog.add({ venue, instrumentId, clientOrderId, venueOrderId, tradeId, side, lastQty: qty, lastPrice: price, fee, feeCurrency, liquidity, tsEvent: now }, now);
      emit({ kind: 'OrderFilled', clientOrderId, instrumentId, tsEvent: now, venue, venueOrderId, tradeId, side, lastQty: qty, lastPrice: price, fee, feeCurrency, liquidity });
      if (order.reduceOnly && isOpen(order) && reducible(order) === 0) cancel(order, REDUCE_ONLY);
    },

    openReports: () => Array.from(open, (o) => statusReportOf(o, venue)),
    fillsSince: (t) => fillLog.slice(firstAtOrAfter(fillLog, t)),
  };
}

/** Index of the first fill with tsEvent ≥ t (binary search: the log is in time order). */
function firstAtOrAfter(log: Retention<FillReport>, t: Millis): number {
  let lo = 0;
  let hi = log.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log.at(mid).tsEvent < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
