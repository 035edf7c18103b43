import type { Amount } from './amount.js';
import type { InstrumentId, Millis } from './ids.js';

/**
 * Net position of one instrument, exact (scaled integers, decimal.js past their range: amount.ts). `costBasis` is the
 * signed cost of the open quantity (Σ qty × price of what is still open, average-cost method), so a round trip's
 * realized PnL is exact even when the average price is not.
 */
export interface Position {
  readonly instrumentId: InstrumentId;
  /** Signed: long > 0, short < 0. */
  readonly quantity: Amount;
  readonly costBasis: Amount;
  readonly realizedPnl: Amount;
  readonly fees: Amount;
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
