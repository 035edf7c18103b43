/**
 * Positions from fills: pure functions, exact (decimal.js), average-cost method.
 * `costBasis` is the signed cost of the open quantity; closing part of a position removes the matching share of it,
 * closing all of it removes exactly what is left, so a round trip's realized PnL is exact.
 * Realized PnL is gross; fees are kept apart (net = realizedPnl − fees).
 */
import { D, ZERO, type Decimal } from '../model/decimal.js';
import type { InstrumentId, Millis } from '../model/ids.js';
import type { OrderSide } from '../model/order.js';
import type { Position, PositionView } from '../model/position.js';

/** The part of a fill a position needs (an OrderFilled or a FillReport has these). */
export interface FillLike {
  readonly side: OrderSide;
  readonly lastQty: number | string;
  readonly lastPrice: number | string;
  readonly fee: number | string;
  readonly tsEvent: Millis;
}

export function emptyPosition(instrumentId: InstrumentId): Position {
  return { instrumentId, quantity: ZERO, costBasis: ZERO, realizedPnl: ZERO, fees: ZERO, fillCount: 0, tsLast: 0 };
}

/**
 * The position after one fill. Written for few decimal.js allocations (it runs for every fill, and again for every
 * stored fill when a run is verified): the sign is handled by plus/minus rather than by a signed copy, the absolute
 * quantity is taken once, and multiplications by 1 are skipped. test/portfolio/position.test.ts checks it against the
 * plain formulation on random fills.
 */
export function applyFill(pos: Position, fill: FillLike, contractSize = 1): Position {
  const price = D(fill.lastPrice);
  const qty = D(fill.lastQty);
  const buy = fill.side === 'buy';
  const q = pos.quantity;
  const short = q.isNeg();
  let quantity: Decimal;
  let costBasis: Decimal;
  let realized = pos.realizedPnl;

  if (q.isZero() || short === !buy) {
    // opening or adding
    quantity = buy ? q.plus(qty) : q.minus(qty);
    const cost = qty.times(price);
    costBasis = buy ? pos.costBasis.plus(cost) : pos.costBasis.minus(cost);
  } else {
    const held = q.abs();
    const cmp = qty.cmp(held);
    const closeAbs = cmp <= 0 ? qty : held;
    const costRemoved = cmp >= 0 ? pos.costBasis : pos.costBasis.times(closeAbs).div(held);
    // cash of the closing part, signed by the position's direction, minus what that part cost
    const cash = closeAbs.times(price);
    let pnl = (short ? cash.neg() : cash).minus(costRemoved);
    if (contractSize !== 1) pnl = pnl.times(contractSize);
    realized = realized.plus(pnl);
    quantity = buy ? q.plus(qty) : q.minus(qty);
    costBasis = pos.costBasis.minus(costRemoved);
    if (!quantity.isZero() && quantity.isNeg() !== short) {
      // flipped: what is left of the fill opens the other way at the fill price
      costBasis = quantity.times(price);
    }
  }
  return {
    instrumentId: pos.instrumentId,
    quantity,
    costBasis,
    realizedPnl: realized,
    fees: fill.fee === 0 ? pos.fees : pos.fees.plus(D(fill.fee)),
    fillCount: pos.fillCount + 1,
    tsLast: fill.tsEvent,
  };
}

export function avgPrice(pos: Position): Decimal | undefined {
  return pos.quantity.isZero() ? undefined : pos.costBasis.div(pos.quantity);
}

export function unrealizedPnl(pos: Position, mark: number | undefined, contractSize = 1): Decimal {
  if (pos.quantity.isZero() || mark === undefined || !Number.isFinite(mark)) return ZERO;
  return pos.quantity.times(mark).minus(pos.costBasis).times(contractSize);
}

export function positionView(pos: Position, mark: number | undefined, contractSize = 1): PositionView {
  const avg = avgPrice(pos);
  return {
    instrumentId: pos.instrumentId,
    side: pos.quantity.isZero() ? 'flat' : pos.quantity.isNeg() ? 'short' : 'long',
    quantity: pos.quantity.toNumber(),
    avgPrice: avg?.toNumber(),
    realizedPnl: pos.realizedPnl.toNumber(),
    unrealizedPnl: unrealizedPnl(pos, mark, contractSize).toNumber(),
    fees: pos.fees.toNumber(),
  };
}

/** Positions rebuilt from a fill history (in order); used to verify the stored positions on reopen. */
export function positionsFromFills(
  fills: Iterable<FillLike & { readonly instrumentId: InstrumentId }>,
  contractSizeOf: (id: InstrumentId) => number = () => 1,
): Map<InstrumentId, Position> {
  const out = new Map<InstrumentId, Position>();
  for (const f of fills) {
    const prev = out.get(f.instrumentId) ?? emptyPosition(f.instrumentId);
    out.set(f.instrumentId, applyFill(prev, f, contractSizeOf(f.instrumentId)));
  }
  return out;
}

/** Exact serialisation for storage and comparison. */
export function serializePosition(pos: Position): {
  instrumentId: string; quantity: string; costBasis: string; realizedPnl: string; fees: string; fillCount: number; tsLast: number;
} {
  return {
    instrumentId: pos.instrumentId,
    quantity: pos.quantity.toString(),
    costBasis: pos.costBasis.toString(),
    realizedPnl: pos.realizedPnl.toString(),
    fees: pos.fees.toString(),
    fillCount: pos.fillCount,
    tsLast: pos.tsLast,
  };
}
