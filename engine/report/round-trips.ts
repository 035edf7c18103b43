/**
 * Round trips from a run's fills, per instrument — per (strategy, instrument) when the fills name their strategy, as
 * positions are kept per strategy — average-cost method (engine/portfolio/position.ts applyFill): a trip
 * opens when the position leaves flat and closes when it is flat again or flips (the count the summary's "round trips"
 * gives: engine/kernel/run-stats.ts). Adding to the position and partial closes belong to the open trip; a fill that
 * flips the position closes the trip with the part that was held and opens the next one with the rest (its fee split
 * in proportion). Sums, products and PnL are exact (amount.ts); the average prices are quotients (34 significant
 * digits). Trips are listed in the order they closed; those still open at the end of the run are not listed.
 */
import { add, Amount, mul, mulDiv, sub } from '../model/amount.js';
import { Decimal } from '../model/decimal.js';
import { applyFill, emptyPosition } from '../portfolio/position.js';
import type { Position } from '../model/position.js';

export interface TripFill {
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  /** Exact decimal text, as stored. */
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly tsEvent: number;
  /** When given, trips are kept apart per strategy: two strategies on one instrument each have their own. */
  readonly strategyId?: string;
  /** The fill's order; a trip carries the one of its opening fill (`openedBy`). */
  readonly clientOrderId?: string;
}

export interface RoundTrip {
  readonly instrumentId: string;
  /** The strategy of the fills, when they named it. */
  readonly strategyId?: string;
  /** The client order id of the fill that opened the trip, when the fills carry it. */
  readonly openedBy?: string;
  readonly side: 'long' | 'short';
  readonly entryTime: number;
  readonly exitTime: number;
  /** Quantity opened (and so closed) over the trip. */
  readonly quantity: string;
  readonly entryPrice: string;
  readonly exitPrice: string;
  /** Realized PnL, gross of fees, times the contract size. */
  readonly pnl: string;
  readonly fees: string;
  /** pnl − fees. */
  readonly netPnl: string;
  readonly durationMs: number;
  readonly fills: number;
}

interface Open {
  openedBy: string | undefined;
  side: 'long' | 'short';
  entryTime: number;
  entryQty: Amount;
  entryNotional: Amount;
  exitQty: Amount;
  exitNotional: Amount;
  pnl: Amount;
  fees: Amount;
  fills: number;
}

const text = (a: Amount): string => a.toString();
const avg = (notional: Amount, qty: Amount): string => (qty.isZero() ? '' : Decimal.div(notional.toDecimal(), qty.toDecimal()).toString());

export function roundTrips(fills: Iterable<TripFill>, contractSizeOf: (instrumentId: string) => number = () => 1): RoundTrip[] {
  const out: RoundTrip[] = [];
  const positions = new Map<string, Position>();
  const open = new Map<string, Open>();
  for (const f of fills) {
    const key = f.strategyId === undefined ? f.instrumentId : `${f.strategyId}\u0000${f.instrumentId}`;
    const before = positions.get(key) ?? emptyPosition(f.instrumentId);
    const after = applyFill(before, { side: f.side, lastQty: f.qty, lastPrice: f.price, fee: f.fee, tsEvent: f.tsEvent }, contractSizeOf(f.instrumentId));
    positions.set(key, after);
    const qty = Amount.parse(f.qty);
    const price = Amount.parse(f.price);
    const fee = Amount.parse(f.fee);
    const pnl = sub(after.realizedPnl, before.realizedPnl);
    const start = (q: Amount, feePart: Amount): Open => ({
      openedBy: f.clientOrderId,
      side: after.quantity.isNeg() ? 'short' : 'long',
      entryTime: f.tsEvent,
      entryQty: q,
      entryNotional: mul(q, price),
      exitQty: Amount.ZERO,
      exitNotional: Amount.ZERO,
      pnl: Amount.ZERO,
      fees: feePart,
      fills: 1,
    });
    const trip = open.get(key);
    if (trip === undefined) {
      if (!after.quantity.isZero()) open.set(key, start(qty, fee));
      continue;
    }
    const adding = (trip.side === 'long') === (f.side === 'buy');
    if (adding) {
      trip.entryQty = add(trip.entryQty, qty);
      trip.entryNotional = add(trip.entryNotional, mul(qty, price));
      trip.fees = add(trip.fees, fee);
      trip.fills++;
      continue;
    }
    const held = before.quantity.abs();
    const closing = qty.cmp(held) <= 0 ? qty : held;
    const closeFee = closing === qty ? fee : mulDiv(fee, closing, qty);
    trip.exitQty = add(trip.exitQty, closing);
    trip.exitNotional = add(trip.exitNotional, mul(closing, price));
    trip.pnl = add(trip.pnl, pnl);
    trip.fees = add(trip.fees, closeFee);
    trip.fills++;
    if (!after.quantity.isZero() && after.quantity.isNeg() === before.quantity.isNeg()) continue; // partial close
    out.push({
      instrumentId: f.instrumentId,
      ...(f.strategyId !== undefined && { strategyId: f.strategyId }),
      ...(trip.openedBy !== undefined && { openedBy: trip.openedBy }),
      side: trip.side,
      entryTime: trip.entryTime,
      exitTime: f.tsEvent,
      quantity: text(trip.entryQty),
      entryPrice: avg(trip.entryNotional, trip.entryQty),
      exitPrice: avg(trip.exitNotional, trip.exitQty),
      pnl: text(trip.pnl),
      fees: text(trip.fees),
      netPnl: text(sub(trip.pnl, trip.fees)),
      durationMs: f.tsEvent - trip.entryTime,
      fills: trip.fills,
    });
    open.delete(key);
    if (!after.quantity.isZero()) open.set(key, start(sub(qty, closing), sub(fee, closeFee))); // flipped
  }
  return out;
}
