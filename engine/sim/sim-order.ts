import type { TimerHandle } from '../clock/clock.js';
import type { Decimal } from '../model/decimal.js';
import type { ClientOrderId, Millis, VenueOrderId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from '../model/order.js';
import type { OrderStatusReport } from '../model/reports.js';

/**
 * One of our orders as the simulated venue holds it. Quantities are whole numbers of the instrument's qty steps
 * (`qtyGrid` units), so every sum and difference is exact integer arithmetic; numbers leave through `qtyGrid.fromUnits`.
 */
export interface SimOrder {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  /** Fills only ever reduce the venue's position in the instrument (see OrderLedger.fillable). */
  readonly reduceOnly: boolean;
  readonly expireAt: Millis | undefined;
  /** Limit price (an exact carrier on the price grid); undefined for market orders. */
  price: number | undefined;
  qtyUnits: number;
  filledUnits: number;
  /** Time priority: arrival counter, renewed when a modify changes the price or raises the quantity. */
  seq: number;
  status: OrderStatus;
  /** Price of the first fill: the average price while there is one fill (most orders), with no decimal.js on the way. */
  firstFillPrice: number | undefined;
  /** Σ price × qty of the fills, exact; made at the second fill. */
  fillNotional: Decimal | undefined;
  tsLast: Millis;
  /** GTD expiry timer while the order is open. */
  expiry: TimerHandle | undefined;
}

export const leavesUnits = (o: SimOrder): number => o.qtyUnits - o.filledUnits;
export const isDone = (o: SimOrder): boolean => o.filledUnits >= o.qtyUnits;
export const isOpen = (o: SimOrder): boolean => o.status === 'ACCEPTED' || o.status === 'PARTIALLY_FILLED';

export function statusReportOf(o: SimOrder, venue: string): OrderStatusReport {
  const grid = o.instrument.qtyGrid;
  const filledQty = grid.fromUnits(o.filledUnits);
  return {
    venue,
    instrumentId: o.instrument.id,
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    status: o.status,
    quantity: grid.fromUnits(o.qtyUnits),
    filledQty,
    ...(o.price !== undefined ? { price: o.price } : {}),
    ...(o.filledUnits > 0 ? { avgFillPrice: o.fillNotional !== undefined ? o.fillNotional.div(filledQty).toNumber() : o.firstFillPrice } : {}),
    tsLast: o.tsLast,
  };
}
