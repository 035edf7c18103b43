/** Deriv answers → domain events and reports: a contract's buy and its close (sale or settlement) as fills. */
import { Decimal } from '../../engine/model/decimal.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { ClientOrderId, InstrumentId, VenueId } from '../../engine/model/ids.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import type { OrderSide } from '../../engine/model/order.js';

/** Price per unit of payout, exact to the decimal (stake / payout). */
export const unitPrice = (amount: number, payout: number): number => new Decimal(amount).div(payout).toNumber();

export interface ContractFill {
  readonly venue: VenueId;
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly contractId: number;
  readonly transactionId: number;
  readonly side: OrderSide;
  readonly payout: number;
  /** Stake paid (buy) or amount received (sale, settlement). */
  readonly amount: number;
  readonly currency: string;
  readonly tsEvent: number;
}

/** A buy or a close of a contract as the order's acceptance and its one fill. */
export function fillEvents(f: ContractFill): VenueOrderEvent[] {
  const venueOrderId = String(f.contractId);
  return [
    { kind: 'OrderAccepted', clientOrderId: f.clientOrderId, instrumentId: f.instrumentId, tsEvent: f.tsEvent, venueOrderId },
    {
      kind: 'OrderFilled', clientOrderId: f.clientOrderId, instrumentId: f.instrumentId, tsEvent: f.tsEvent, venue: f.venue, venueOrderId,
      tradeId: String(f.transactionId), side: f.side, lastQty: f.payout, lastPrice: unitPrice(f.amount, f.payout), fee: 0, feeCurrency: f.currency, liquidity: 'taker',
    },
  ];
}

export function toFillReport(f: ContractFill): FillReport {
  return {
    venue: f.venue, instrumentId: f.instrumentId, clientOrderId: f.clientOrderId, venueOrderId: String(f.contractId), tradeId: String(f.transactionId),
    side: f.side, lastQty: f.payout, lastPrice: unitPrice(f.amount, f.payout), fee: 0, feeCurrency: f.currency, liquidity: 'taker', tsEvent: f.tsEvent,
  };
}

export function filledReport(f: ContractFill, limit: number | undefined): OrderStatusReport {
  return {
    venue: f.venue, instrumentId: f.instrumentId, clientOrderId: f.clientOrderId, venueOrderId: String(f.contractId), side: f.side,
    type: limit === undefined ? 'market' : 'limit', timeInForce: 'IOC', status: 'FILLED', quantity: f.payout, filledQty: f.payout,
    ...(limit === undefined ? {} : { price: limit }), avgFillPrice: unitPrice(f.amount, f.payout), tsLast: f.tsEvent,
  };
}
