/**
 * After a reconciliation, the venue's positions (where it keeps them) against the portfolio's: equal, or the
 * differences in words. What to do on a difference (halt, warn, or take the venue's) is the config's choice.
 */
import type { ExecutionEngine } from '../execution/execution-engine.js';
import { D } from '../model/decimal.js';
import type { InstrumentId, Millis, VenueId } from '../model/ids.js';
import type { PositionReport } from '../model/reports.js';
import type { Portfolio } from '../portfolio/portfolio.js';

export interface PositionDifference {
  readonly instrumentId: InstrumentId;
  /** Signed quantities, exact decimal text. */
  readonly engine: string;
  readonly venue: string;
}

export interface PositionCheck {
  readonly venue: VenueId;
  readonly ok: boolean;
  readonly compared: number;
  readonly differences: readonly PositionDifference[];
  /** The venue's average price per instrument, where it gave one. */
  readonly prices: Readonly<Record<InstrumentId, number>>;
}

/** Every instrument either side holds at `venue` (instrument ids end in `.<venue>`); flat on both sides is equal. */
export function comparePositions(venue: VenueId, portfolio: Portfolio, reports: readonly PositionReport[]): PositionCheck {
  const atVenue = (id: InstrumentId): boolean => id.endsWith(`.${venue}`);
  const theirs = new Map<InstrumentId, string>();
  const prices: Record<InstrumentId, number> = {};
  for (const r of reports) {
    theirs.set(r.instrumentId, D(theirs.get(r.instrumentId) ?? 0).plus(r.quantity).toString());
    if (r.avgPrice !== undefined) prices[r.instrumentId] = r.avgPrice;
  }
  const ids = new Set<InstrumentId>([...theirs.keys(), ...portfolio.all().map((p) => p.instrumentId).filter(atVenue)]);
  const differences: PositionDifference[] = [];
  for (const id of [...ids].sort()) {
    const engine = portfolio.position(id).quantity.toString();
    const v = theirs.get(id) ?? '0';
    if (!D(engine).eq(v)) differences.push({ instrumentId: id, engine, venue: v });
  }
  return { venue, ok: differences.length === 0, compared: ids.size, differences, prices };
}

/** One line per difference, for the log and the summary. */
export const describePositionCheck = (c: PositionCheck): string =>
  c.ok
    ? `positions at ${c.venue} equal the venue's (${c.compared} instrument(s))`
    : `positions at ${c.venue} differ from the venue's: ${c.differences.map((d) => `${d.instrumentId} engine ${d.engine}, venue ${d.venue}`).join('; ')}`;

/**
 * `live.onPositionMismatch: 'venue'`: the venue's position is the truth. Each difference becomes an order of the
 * `reconcile` id, adopted as filled by the difference at the venue's average price (or the last mark), so the
 * portfolio equals the venue and positions stay the sum of stored fills. Returns the differences it could not align
 * (no price to value them at).
 */
export function alignToVenue(
  exec: Pick<ExecutionEngine, 'adopt' | 'onVenueEvent'>,
  check: PositionCheck,
  priceOf: (id: InstrumentId) => number | undefined,
  now: Millis,
): PositionDifference[] {
  const left: PositionDifference[] = [];
  check.differences.forEach((d, i) => {
    const price = priceOf(d.instrumentId);
    if (price === undefined) return void left.push(d);
    const delta = D(d.venue).minus(d.engine);
    const side = delta.gt(0) ? 'buy' : 'sell';
    const qty = delta.abs().toNumber();
    const clientOrderId = `reconcile-${Math.floor(now)}-${i + 1}`;
    const venueOrderId = `align-${clientOrderId}`;
    const reason = `positions aligned to the venue: ${d.instrumentId} was ${d.engine} here, ${d.venue} at ${check.venue}`;
    exec.adopt({
      venue: check.venue, instrumentId: d.instrumentId, clientOrderId, venueOrderId, side, type: 'market', timeInForce: 'IOC',
      status: 'FILLED', quantity: qty, filledQty: qty, price, tsLast: now,
    }, 'reconcile', reason);
    exec.onVenueEvent({
      kind: 'OrderFilled', clientOrderId, instrumentId: d.instrumentId, tsEvent: now, venue: check.venue, venueOrderId, tradeId: venueOrderId,
      side, lastQty: qty, lastPrice: price, fee: 0, feeCurrency: '', liquidity: 'taker',
    });
  });
  return left;
}
