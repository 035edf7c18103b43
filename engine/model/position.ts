import type { Decimal } from './decimal.js';
import type { InstrumentId, Millis } from './ids.js';

/**
 * Net position of one instrument, exact. `costBasis` is the signed cost of the open quantity (Σ qty × price of what is
 * still open, average-cost method), so a round trip's realized PnL is exact even when the average price is not.
 */
export interface Position {
  readonly instrumentId: InstrumentId;
  /** Signed: long > 0, short < 0. */
  readonly quantity: Decimal;
  readonly costBasis: Decimal;
  readonly realizedPnl: Decimal;
  readonly fees: Decimal;
  readonly fillCount: number;
  readonly tsLast: Millis;
}

/** Numbers for strategies and summaries. */
export interface PositionView {
  readonly instrumentId: InstrumentId;
  readonly side: 'long' | 'short' | 'flat';
  readonly quantity: number;
  readonly avgPrice: number | undefined;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
}
