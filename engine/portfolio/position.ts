/**
 * Positions from fills: pure functions, exact, average-cost method.
 * `costBasis` is the signed cost of the open quantity; closing part of a position removes the matching share of it,
 * closing all of it removes exactly what is left. Every sum, difference and product here is exact (amount.ts: scaled
 * integers, decimal.js past their range): the one rounded value is a partial close's share of the cost basis when that
 * quotient does not terminate (34 significant digits), and what it rounds off stays in the cost basis, so over a round
 * trip realized PnL is exactly Σ sell notional − Σ buy notional (times the contract size) and a break-even trip is
 * exactly 0, not 1e-30. Realized PnL is gross; fees are kept apart (net = realizedPnl − fees).
 */
import { add, Amount, mul, mulDiv, sub } from '../model/amount.js';
import { Decimal } from '../model/decimal.js';
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

/** A fill whose numbers are read once (exactFill), for applying it to more than one position. */
export interface ExactFill {
  readonly side: OrderSide;
  readonly lastQty: Amount;
  readonly lastPrice: Amount;
  readonly fee: Amount;
  readonly tsEvent: Millis;
}

/** The fill with its quantity, price and fee read as exact amounts (each once: a fill moves two positions). */
export function exactFill(fill: FillLike): ExactFill {
  return { side: fill.side, lastQty: amount(fill.lastQty), lastPrice: amount(fill.lastPrice), fee: amount(fill.fee), tsEvent: fill.tsEvent };
}

export function emptyPosition(instrumentId: InstrumentId): Position {
  return { instrumentId, quantity: Amount.ZERO, costBasis: Amount.ZERO, realizedPnl: Amount.ZERO, fees: Amount.ZERO, fillCount: 0, tsLast: 0 };
}

const amount = (x: number | string | Amount): Amount => (typeof x === 'number' ? Amount.of(x) : typeof x === 'string' ? Amount.parse(x) : x);

/**
 * The position after one fill. It runs for every fill, and again for every stored fill when a run is verified: in
 * scaled integers while they hold the values (no decimal.js at all), with the sign handled by add/sub rather than by a
 * signed copy and multiplications by 1 skipped. test/portfolio/position.test.ts checks it against the plain
 * formulation in decimal.js on random fills, test/portfolio/position-exact.test.ts against Σ sells − Σ buys.
 */
export function applyFill(pos: Position, fill: FillLike | ExactFill, contractSize = 1): Position {
  const price = amount(fill.lastPrice);
  const qty = amount(fill.lastQty);
  const buy = fill.side === 'buy';
  const q = pos.quantity;
  const short = q.isNeg();
  let quantity: Amount;
  let costBasis: Amount;
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
    const costRemoved = cmp >= 0 ? pos.costBasis : mulDiv(pos.costBasis, closeAbs, held);
    // cash of the closing part, signed by the position's direction, minus what that part cost
    const cash = mul(closeAbs, price);
    let pnl = short ? sub(cash.neg(), costRemoved) : sub(cash, costRemoved);
    if (contractSize !== 1) pnl = mul(pnl, Amount.of(contractSize));
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
    quantity,
    costBasis,
    realizedPnl: realized,
    fees: fill.fee === 0 || fill.fee === '0' ? pos.fees : add(pos.fees, amount(fill.fee)),
    fillCount: pos.fillCount + 1,
    tsLast: fill.tsEvent,
  };
}

/** The average entry price (34 significant digits: a quotient, for views; PnL never uses it). */
export function avgPrice(pos: Position): Decimal | undefined {
  return pos.quantity.isZero() ? undefined : Decimal.div(pos.costBasis.toDecimal(), pos.quantity.toDecimal());
}

/**
 * A mark as a decimal: its shortest text, read to 15 significant digits. A mark is market data, often a mid computed in
 * floats ((0.1 + 0.2) / 2 = 0.15000000000000002); its 16th and 17th digits are that float residue, not a price, and
 * would reach the PnL (-2.3999999999999995 for -2.4). A double holds 15 significant digits exactly.
 */
export function markAmount(mark: number): Amount {
  const a = Amount.of(mark);
  return Number.isNaN(a.units) ? Amount.ofDecimal(new Decimal(mark).toSignificantDigits(15)) : a;
}

/** Exact: quantity × mark − cost basis, times the contract size (the mark read by markAmount). */
export function unrealizedPnl(pos: Position, mark: number | undefined, contractSize = 1): Amount {
  if (pos.quantity.isZero() || mark === undefined || !Number.isFinite(mark)) return Amount.ZERO;
  const pnl = sub(mul(pos.quantity, markAmount(mark)), pos.costBasis);
  return contractSize === 1 ? pnl : mul(pnl, Amount.of(contractSize));
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
