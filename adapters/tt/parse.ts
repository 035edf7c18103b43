/** TT wire records → the engine's instruments, fill and position reports, and risk limits. */
import { Decimal } from 'decimal.js';
import type { InstrumentId, VenueId } from '../../engine/model/ids.js';
import type { InstrumentSpec } from '../../engine/model/instrument.js';
import type { OrderStatus } from '../../engine/model/order.js';
import type { FillReport, OrderStatusReport, PositionReport } from '../../engine/model/reports.js';
import { err, ok, type Result } from '../../engine/model/result.js';
import type { VenueLimits } from '../../engine/risk/venue-limits.js';
import { symbolOfAlias } from './format.js';
import type { TtFillWire, TtInstrumentWire, TtLimitsWire, TtOrderWire, TtPositionWire } from './wire.js';

/** A fill of the TT ledger: the engine's report, with TT's exact nanosecond time and record id beside it. */
export interface TtFill extends FillReport {
  readonly transactTimeNs: bigint;
  readonly recordId: string;
  readonly accountId: string;
}

/**
 * An engine instrument spec from a TT future: tick size, and the point value as the contract size (the notional and
 * PnL multiplier, so PnL is in the instrument's currency, not points). Refused with a reason when TT's own numbers
 * disagree (tick value ≠ tick size × point value) or cannot be traded.
 */
export function instrumentSpecOf(w: TtInstrumentWire, venue: VenueId): Result<InstrumentSpec> {
  if (!(w.tickSize > 0) || !(w.pointValue > 0)) return err(`${w.alias}: tick size ${w.tickSize} and point value ${w.pointValue} must be positive`);
  if (!new Decimal(w.tickSize).times(w.pointValue).equals(new Decimal(w.tickValue))) {
    return err(`${w.alias}: tick value ${w.tickValue} is not tick size ${w.tickSize} × point value ${w.pointValue}`);
  }
  const symbol = symbolOfAlias(w.alias);
  if (symbol === '') return err(`instrument ${w.id}: alias ${JSON.stringify(w.alias)} gives no symbol`);
  return ok({
    id: `${symbol}.${venue}`,
    venue,
    venueSymbol: w.id,
    base: w.productSymbol,
    quote: w.currency,
    tickSize: w.tickSize,
    stepSize: 1,
    minQty: w.minQty ?? 1,
    contractSize: w.pointValue,
  });
}

export function fillReportOf(w: TtFillWire, instrumentId: InstrumentId, venue: VenueId): TtFill {
  return {
    venue,
    instrumentId,
    ...(w.clOrdId === undefined ? {} : { clientOrderId: w.clOrdId }),
    venueOrderId: w.orderId,
    tradeId: w.execId,
    side: w.side,
    lastQty: Number(w.lastQty),
    lastPrice: w.lastPx,
    fee: Number(w.fee),
    feeCurrency: w.currency,
    liquidity: w.aggressor ? 'taker' : 'maker',
    tsEvent: Number(w.transactTime / 1_000_000n),
    transactTimeNs: w.transactTime,
    recordId: w.recordId,
    accountId: w.accountId,
  };
}

/** FIX OrdStatus (TT's ledger) → the engine's order status; undefined for one the engine has no word for. */
const STATUSES: Readonly<Record<string, OrderStatus>> = {
  '0': 'ACCEPTED', '1': 'PARTIALLY_FILLED', '2': 'FILLED', '4': 'CANCELED', '5': 'ACCEPTED', '6': 'PENDING_CANCEL', '8': 'REJECTED', 'C': 'EXPIRED', 'E': 'PENDING_UPDATE',
};

/** A ledger order as the engine's status report, or a reason it cannot be one. */
export function orderReportOf(w: TtOrderWire, instrumentId: InstrumentId, venue: VenueId): Result<OrderStatusReport> {
  const status = STATUSES[w.ordStatus];
  if (status === undefined) return err(`order ${w.orderId}: OrdStatus ${JSON.stringify(w.ordStatus)} is not one the engine knows`);
  return ok({
    venue, instrumentId, ...(w.clOrdId === undefined ? {} : { clientOrderId: w.clOrdId }), venueOrderId: w.orderId, side: w.side, type: w.type,
    timeInForce: 'GTC', status, quantity: Number(w.orderQty), filledQty: Number(w.cumQty),
    ...(w.price === undefined ? {} : { price: w.price }), ...(w.avgPx === undefined ? {} : { avgFillPrice: w.avgPx }),
    tsLast: Number(w.transactTime / 1_000_000n),
  });
}

export function positionReportOf(w: TtPositionWire, instrumentId: InstrumentId, venue: VenueId, tsLast: number): PositionReport {
  return { venue, instrumentId, quantity: Number(w.netPosition), tsLast };
}

/**
 * The account's limits as engine risk limits, per instrument of each limited product: maxOrderQty and maxPositionQty;
 * a product (or the whole account) not allowed to trade gets maxOrderQty 0, so every order is denied locally.
 */
export function riskLimitsOf(w: TtLimitsWire, instrumentsOfProduct: (productId: string) => readonly InstrumentId[]): VenueLimits {
  const maxOrderQty: Record<string, number> = {};
  const maxPositionQty: Record<string, number> = {};
  for (const l of w.limits) {
    for (const id of instrumentsOfProduct(l.productId)) {
      if (!w.tradingAllowed || !l.tradingAllowed) maxOrderQty[id] = 0;
      else if (l.maxOrderQty !== undefined) maxOrderQty[id] = l.maxOrderQty;
      if (l.maxPosition !== undefined) maxPositionQty[id] = l.maxPosition;
    }
  }
  if (!w.tradingAllowed) maxOrderQty['*'] = 0;
  return { maxOrderQty, maxPositionQty };
}
