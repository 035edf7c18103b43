/**
 * Trade statistics of round trips (round-trips.ts), all from net PnL (after fees): a win is a trip with net PnL > 0,
 * a loss one with net PnL < 0, a trip at exactly 0 is neither (it still counts in the win rate's denominator).
 * Sums are exact decimals; means are quotients (34 significant digits), rounded only for display.
 *
 * - win rate = wins / trips
 * - profit factor = Σ net PnL of wins / |Σ net PnL of losses|; 'infinite' when there are wins and no loss, undefined
 *   without a win or a loss
 * - expectancy = mean net PnL per trip
 * - average win / loss = mean net PnL of the wins / of the losses; largest win / loss the extremes
 */
import { D, Decimal, ZERO } from '../model/decimal.js';
import type { RoundTrip } from './round-trips.js';

export interface TradeStats {
  readonly trips: number;
  readonly wins: number;
  readonly losses: number;
  /** Trips with net PnL exactly 0. */
  readonly breakeven: number;
  /** wins / trips, undefined without trips. */
  readonly winRate: number | undefined;
  /** Σ net PnL of the wins (≥ 0), exact. */
  readonly grossProfit: string;
  /** Σ net PnL of the losses (≤ 0), exact. */
  readonly grossLoss: string;
  readonly profitFactor: number | 'infinite' | undefined;
  /** Σ net PnL, exact. */
  readonly netPnl: string;
  /** Σ fees, exact. */
  readonly fees: string;
  readonly expectancy: string | undefined;
  readonly avgWin: string | undefined;
  readonly avgLoss: string | undefined;
  readonly largestWin: string | undefined;
  readonly largestLoss: string | undefined;
  /** Mean trip duration in ms, undefined without trips. */
  readonly avgDurationMs: number | undefined;
}

const mean = (sum: Decimal, n: number): string | undefined => (n === 0 ? undefined : Decimal.div(sum, n).toString());

export function tradeStats(trips: readonly RoundTrip[]): TradeStats {
  let [wins, losses, breakeven] = [0, 0, 0];
  let [grossProfit, grossLoss, net, fees] = [ZERO, ZERO, ZERO, ZERO];
  let largestWin: Decimal | undefined;
  let largestLoss: Decimal | undefined;
  let duration = 0;
  for (const t of trips) {
    const x = D(t.netPnl);
    net = net.plus(x);
    fees = fees.plus(t.fees);
    duration += t.durationMs;
    if (x.isPos() && !x.isZero()) {
      wins++;
      grossProfit = grossProfit.plus(x);
      if (largestWin === undefined || x.gt(largestWin)) largestWin = x;
    } else if (x.isNeg() && !x.isZero()) {
      losses++;
      grossLoss = grossLoss.plus(x);
      if (largestLoss === undefined || x.lt(largestLoss)) largestLoss = x;
    } else breakeven++;
  }
  const n = trips.length;
  const profitFactor = losses > 0 ? Decimal.div(grossProfit, grossLoss.abs()).toNumber() : wins > 0 ? 'infinite' as const : undefined;
  return {
    trips: n,
    wins,
    losses,
    breakeven,
    winRate: n === 0 ? undefined : wins / n,
    grossProfit: grossProfit.toString(),
    grossLoss: grossLoss.toString(),
    profitFactor,
    netPnl: net.toString(),
    fees: fees.toString(),
    expectancy: mean(net, n),
    avgWin: mean(grossProfit, wins),
    avgLoss: mean(grossLoss, losses),
    largestWin: largestWin?.toString(),
    largestLoss: largestLoss?.toString(),
    avgDurationMs: n === 0 ? undefined : duration / n,
  };
}

/** Trade statistics per group (strategy, tag, …), groups sorted by name. */
export function tradeStatsBy<T extends RoundTrip>(trips: readonly T[], keyOf: (t: T) => string): Array<{ key: string; stats: TradeStats }> {
  const groups = new Map<string, T[]>();
  for (const t of trips) {
    const k = keyOf(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, g]) => ({ key, stats: tradeStats(g) }));
}

/** A trip's return: net PnL / entry notional (quantity × average entry price × contract size). */
export function tripReturn(t: RoundTrip, contractSize = 1): number | undefined {
  const notional = D(t.quantity).times(t.entryPrice || 0).times(contractSize);
  return notional.isZero() ? undefined : Decimal.div(t.netPnl, notional).toNumber();
}
