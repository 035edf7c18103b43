import type { ClientOrderId, InstrumentId, Millis, TradeId, VenueId, VenueOrderId } from './ids.js';
import type { Liquidity } from './events.js';
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from './order.js';

/** Venue snapshots, used by reconciliation. */
export interface OrderStatusReport {
  readonly venue: VenueId;
  readonly instrumentId: InstrumentId;
  readonly clientOrderId?: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly status: OrderStatus;
  readonly quantity: number;
  readonly filledQty: number;
  readonly price?: number;
  readonly avgFillPrice?: number;
  readonly tsLast: Millis;
}

export interface FillReport {
  readonly venue: VenueId;
  readonly instrumentId: InstrumentId;
  readonly clientOrderId?: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly tradeId: TradeId;
  readonly side: OrderSide;
  readonly lastQty: number;
  readonly lastPrice: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: Liquidity;
  readonly tsEvent: Millis;
}

export interface PositionReport {
  readonly venue: VenueId;
  readonly instrumentId: InstrumentId;
  /** Signed: long > 0, short < 0. */
  readonly quantity: number;
  readonly avgPrice?: number;
  readonly tsLast: Millis;
}
