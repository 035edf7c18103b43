/**
 * The run summary as stored (runs.summary_json) is read back from a file: check its shape once here, so the
 * renderer can trust it. Optional figures (capital, drawdown fraction, Sharpe, …) may be absent; JSON drops undefined.
 */
import type { RunSummary, StrategyResult } from '../kernel/summary.js';
import type { VenueSyncStatus } from '../kernel/venue-sync.js';
import type { PositionView } from '../model/position.js';
import type { ReturnsPeriod } from '../portfolio/metrics.js';
import { err, ok, type Result } from '../model/result.js';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const optionalNumber = (x: unknown): number | undefined => (isNumber(x) ? x : undefined);

const REQUIRED_NUMBERS = [
  'runId', 'from', 'to', 'ticks', 'orders', 'fills', 'denied', 'rejected', 'realizedPnl', 'unrealizedPnl', 'fees', 'netPnl',
  'trades', 'maxDrawdown',
] as const;

function positionOf(x: unknown, i: number): Result<PositionView> {
  if (!isObject(x) || typeof x.instrumentId !== 'string') return err(`positions[${i}] has no instrumentId`);
  const side = x.side === 'long' || x.side === 'short' || x.side === 'flat' ? x.side : undefined;
  if (!side) return err(`positions[${i}].side is ${JSON.stringify(x.side)}`);
  for (const k of ['quantity', 'realizedPnl', 'unrealizedPnl', 'fees'] as const) {
    if (!isNumber(x[k])) return err(`positions[${i}].${k} is not a number`);
  }
  return ok({
    instrumentId: x.instrumentId, side, quantity: x.quantity as number, avgPrice: optionalNumber(x.avgPrice),
    realizedPnl: x.realizedPnl as number, unrealizedPnl: x.unrealizedPnl as number, fees: x.fees as number,
  });
}

function countsOf(x: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isObject(x)) for (const [k, v] of Object.entries(x)) if (isNumber(v)) out[k] = v;
  return out;
}

const VENUE_NUMBERS = [
  'fillMark', 'reconciliations', 'failedReconciliations', 'fillsRecovered', 'ordersAdopted', 'ordersSettled', 'cancelsResent', 'inFlightChecks',
] as const;

/** A live venue's sync record as stored; undefined when it is not one (it is then left out, not guessed). */
function venueOf(x: unknown): VenueSyncStatus | undefined {
  if (!isObject(x) || typeof x.venue !== 'string' || VENUE_NUMBERS.some((k) => !isNumber(x[k]))) return undefined;
  const p = x.positions;
  const positions = isObject(p) && typeof p.ok === 'boolean' && Array.isArray(p.differences)
    ? { venue: x.venue, ok: p.ok, compared: isNumber(p.compared) ? p.compared : 0, prices: countsOf(p.prices), differences: p.differences.filter(isObject).map((d) => ({ instrumentId: String(d.instrumentId), engine: String(d.engine), venue: String(d.venue) })) }
    : undefined;
  return {
    venue: x.venue, state: String(x.state) as VenueSyncStatus['state'], connection: String(x.connection) as VenueSyncStatus['connection'],
    holdReason: typeof x.holdReason === 'string' ? x.holdReason : undefined, fillMark: x.fillMark as number,
    lastReconciledAt: optionalNumber(x.lastReconciledAt), reconciliations: x.reconciliations as number,
    failedReconciliations: x.failedReconciliations as number, lastError: typeof x.lastError === 'string' ? x.lastError : undefined,
    fillsRecovered: x.fillsRecovered as number, ordersAdopted: x.ordersAdopted as number, ordersSettled: x.ordersSettled as number,
    cancelsResent: x.cancelsResent as number, inFlightChecks: x.inFlightChecks as number,
    flagged: Array.isArray(x.flagged) ? x.flagged.map(String) : [], positions,
  };
}

const isPeriod = (x: unknown): x is ReturnsPeriod => x === 'day' || x === 'hour';
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
/** The exact PnL texts, when stored (summaries since they were added) and all four are decimal text. */
const exactOf = (x: unknown): x is NonNullable<RunSummary['exact']> =>
  isObject(x) && (['realizedPnl', 'unrealizedPnl', 'fees', 'netPnl'] as const).every((k) => typeof x[k] === 'string' && DECIMAL_TEXT.test(x[k]));

/** One strategy's part of a run as stored (summary.byStrategy: its own positions and PnL; summaries since it was added). */
export type StrategyPart = StrategyResult;

/** The stored per-strategy parts, or undefined when there are none or one of them is not well-formed (then none is shown). */
export function parseStrategyParts(x: unknown): StrategyPart[] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out: StrategyPart[] = [];
  for (const s of x) {
    if (!isObject(s) || typeof s.strategyId !== 'string' || !isNumber(s.fills) || !Array.isArray(s.positions) || !exactOf(s.exact)) return undefined;
    if ((['realizedPnl', 'unrealizedPnl', 'fees', 'netPnl'] as const).some((k) => !isNumber(s[k]))) return undefined;
    const positions: PositionView[] = [];
    for (const [i, p] of s.positions.entries()) {
      const r = positionOf(p, i);
      if (!r.ok) return undefined;
      positions.push(r.value);
    }
    out.push({
      strategyId: s.strategyId, fills: s.fills, positions, realizedPnl: s.realizedPnl as number, unrealizedPnl: s.unrealizedPnl as number,
      fees: s.fees as number, netPnl: s.netPnl as number, exact: s.exact,
    });
  }
  return out;
}

/**
 * A RunSummary from stored JSON, or what is wrong with it. Older summaries still load: `maxDrawdownPct` (a fraction,
 * despite its name) is read as maxDrawdownFraction; Sortino, CAGR, Calmar, the returns period and the exact texts are
 * simply absent from them (and Sharpe there is the old per-interval one).
 */
export function parseRunSummary(x: unknown): Result<RunSummary> {
  if (!isObject(x)) return err('the stored summary is not an object');
  for (const k of REQUIRED_NUMBERS) if (!isNumber(x[k])) return err(`the stored summary has no number ${k}`);
  if (typeof x.mode !== 'string' || typeof x.portfolioId !== 'string') return err('the stored summary has no mode or portfolioId');
  if (!Array.isArray(x.positions)) return err('the stored summary has no positions list');
  const positions: PositionView[] = [];
  for (const [i, p] of x.positions.entries()) {
    const r = positionOf(p, i);
    if (!r.ok) return err(`the stored summary's ${r.error}`);
    positions.push(r.value);
  }
  const failures = Array.isArray(x.strategyFailures) ? x.strategyFailures.filter(isObject) : [];
  const a = countsOf(x.anomalies);
  const verified = x.positionsVerified === true ? true : Array.isArray(x.positionsVerified) ? x.positionsVerified.map(String) : ['not recorded'];
  const n = (k: (typeof REQUIRED_NUMBERS)[number]): number => x[k] as number;
  const byStrategy = parseStrategyParts(x.byStrategy);
  return ok({
    runId: n('runId'), mode: x.mode, portfolioId: x.portfolioId, from: n('from'), to: n('to'), ticks: n('ticks'),
    orders: n('orders'), fills: n('fills'), denied: n('denied'), deniedByCode: countsOf(x.deniedByCode), rejected: n('rejected'),
    positions, realizedPnl: n('realizedPnl'), unrealizedPnl: n('unrealizedPnl'), fees: n('fees'), netPnl: n('netPnl'),
    trades: n('trades'), capital: optionalNumber(x.capital), maxDrawdown: n('maxDrawdown'),
    // summaries stored before maxDrawdownFraction called the same fraction maxDrawdownPct
    maxDrawdownFraction: optionalNumber(x.maxDrawdownFraction) ?? optionalNumber(x.maxDrawdownPct),
    sharpe: optionalNumber(x.sharpe),
    ...(isPeriod(x.returnsPeriod) && { returnsPeriod: x.returnsPeriod }),
    ...(isNumber(x.returnCount) && { returnCount: x.returnCount }),
    sortino: optionalNumber(x.sortino), cagr: optionalNumber(x.cagr), calmar: optionalNumber(x.calmar),
    ...(Array.isArray(x.metricNotes) && { metricNotes: x.metricNotes.map(String) }),
    ...(exactOf(x.exact) && { exact: x.exact }),
    strategyFailures: failures.map((f) => ({ id: String(f.id), during: String(f.during), error: String(f.error) })),
    anomalies: {
      duplicateFills: a.duplicateFills ?? 0, conflictingFills: a.conflictingFills ?? 0, overfills: a.overfills ?? 0,
      invalidTransitions: a.invalidTransitions ?? 0, unknownOrderEvents: a.unknownOrderEvents ?? 0,
    },
    positionsVerified: verified,
    ...(byStrategy !== undefined && { byStrategy }),
    ...(Array.isArray(x.venues) && { venues: x.venues.map(venueOf).filter((v): v is VenueSyncStatus => v !== undefined) }),
    ...(isNumber(x.canceledAtStop) && { canceledAtStop: x.canceledAtStop }),
    ...(typeof x.interrupted === 'string' && { interrupted: x.interrupted }),
    openAtEnd: Array.isArray(x.openAtEnd)
      ? x.openAtEnd.filter(isObject).map((o) => ({ clientOrderId: String(o.clientOrderId), status: String(o.status), venue: String(o.venue) }))
      : [],
  });
}
