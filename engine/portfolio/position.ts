/**
 * Positions from fills: pure functions, exact (decimal.js), average-cost method.
 * `costBasis` is the signed cost of the open quantity; closing part of a position removes the matching share of it,
 * closing all of it removes exactly what is left. Every sum, difference and product here is exact (./exact.ts):
 * the one rounded value is a partial close's share of the cost basis (a quotient, 34 significant digits), and what it
 * rounds off stays in the cost basis, so over a round trip realized PnL is exactly Σ sell notional − Σ buy notional
 * (times the contract size) and a break-even trip is exactly 0, not 1e-30.
 * Realized PnL is gross; fees are kept apart (net = realizedPnl − fees).
 */
import { Decimal, ZERO } from '../model/decimal.js';
import type { InstrumentId, Millis } from '../model/ids.js';
import type { OrderSide } from '../model/order.js';
import type { Position, PositionView } from '../model/position.js';
import { add, exact, mul, out, sub } from './exact.js';

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
 * stored fill when a run is verified): the sign is handled by add/sub rather than by a signed copy, the absolute
 * quantity is taken once, and multiplications by 1 are skipped. test/portfolio/position.test.ts checks it against the
 * plain formulation on random fills, test/portfolio/position-exact.test.ts against Σ sells − Σ buys.
 */
export function applyFill(pos: Position, fill: FillLike, contractSize = 1): Position {
  const price = exact(fill.lastPrice);
  const qty = exact(fill.lastQty);
  const buy = fill.side === 'buy';
  const q = pos.quantity;
  const short = q.isNeg();
  let quantity: Decimal;
  let costBasis: Decimal;
  let realized = pos.realizedPnl;

  if (q.isZero() || short === !buy) {
    // opening or adding
    quantity = buy ? add(q, qty) : sub(q, qty);
    const cost = mul(qty, price);
    costBasis = buy ? add(pos.costBasis, cost) : sub(pos.costBasis, cost);
  } else {
    const held = q.abs();
    const cmp = qty.cmp(held);
    const closeAbs = cmp <= 0 ? qty : held;
    // the closed part's share of the cost basis: the one rounded value (a quotient); all of it when closing all
    const costRemoved = cmp >= 0 ? pos.costBasis : Decimal.div(mul(pos.costBasis, closeAbs), held);
    // cash of the closing part, signed by the position's direction, minus what that part cost
    const cash = mul(closeAbs, price);
    let pnl = short ? sub(cash.neg(), costRemoved) : sub(cash, costRemoved);
    if (contractSize !== 1) pnl = mul(pnl, contractSize);
    realized = add(realized, pnl);
    quantity = buy ? add(q, qty) : sub(q, qty);
    costBasis = sub(pos.costBasis, costRemoved);
    if (!quantity.isZero() && quantity.isNeg() !== short) {
      // flipped: what is left of the fill opens the other way at the fill price
      costBasis = mul(quantity, price);
    }
  }
  return {
    instrumentId: pos.instrumentId,
    quantity: out(quantity),
    costBasis: out(costBasis),
    realizedPnl: realized === pos.realizedPnl ? realized : out(realized),
    fees: fill.fee === 0 ? pos.fees : out(add(pos.fees, fill.fee)),
    fillCount: pos.fillCount + 1,
    tsLast: fill.tsEvent,
  };
}

/** The average entry price (34 significant digits: a quotient, for views; PnL never uses it). */
export function avgPrice(pos: Position): Decimal | undefined {
  return pos.quantity.isZero() ? undefined : Decimal.div(pos.costBasis, pos.quantity);
}

/** Exact: quantity × mark − cost basis, times the contract size. */
export function unrealizedPnl(pos: Position, mark: number | undefined, contractSize = 1): Decimal {
  if (pos.quantity.isZero() || mark === undefined || !Number.isFinite(mark)) return ZERO;
  const pnl = sub(mul(pos.quantity, mark), pos.costBasis);
  return out(contractSize === 1 ? pnl : mul(pnl, contractSize));
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
