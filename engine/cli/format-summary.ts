import { describePositionCheck } from '../kernel/position-check.js';
import type { RunSummary } from '../kernel/summary.js';
import type { VenueSyncStatus } from '../kernel/venue-sync.js';
import { decimal, figure, groupNotes } from '../report/format.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const fmt = (x: number, digits = 2): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** What keeping a live venue in sync did, in a line or a few. */
function formatVenueSync(v: VenueSyncStatus): string[] {
  const lines = [
    `venue ${v.venue}: ${v.reconciliations} reconciliation(s)${v.failedReconciliations ? ` (${v.failedReconciliations} failed and retried)` : ''}, ` +
      `${v.fillsRecovered} fill(s) recovered, ${v.ordersAdopted} order(s) adopted, ${v.ordersSettled} settled, ${v.cancelsResent} cancel(s) sent again, ` +
      `${v.inFlightChecks} in-flight check(s); fills complete until ${iso(v.fillMark)}`,
  ];
  lines.push(`  ${v.positions ? describePositionCheck(v.positions) : `positions at ${v.venue} not compared: the venue reports none`}`);
  if (v.flagged.length > 0) lines.push(`  FLAGGED: ${v.flagged.length} order(s) whose state the venue never told: ${v.flagged.join(', ')}`);
  if (v.lastError !== undefined) lines.push(`  last reconciliation error: ${v.lastError}`);
  return lines;
}

/** Sharpe, Sortino, CAGR, Calmar from the period returns, "—" where hidden and a line saying why. */
export function performanceLines(s: RunSummary): string[] {
  if (s.returnsPeriod === undefined) {
    // stored before returns were resampled: its Sharpe is of the changes per equity interval (annualised per minute)
    return [`sharpe ${figure(s.sharpe)} (stored by an older version: per equity interval, not comparable)`];
  }
  const cagr = s.cagr === undefined ? '—' : `${fmt(100 * s.cagr)} %/year`;
  return [
    `${s.returnsPeriod === 'day' ? 'daily' : 'hourly'} returns ${s.returnCount ?? 0} (365-day year)  sharpe ${figure(s.sharpe)}  sortino ${figure(s.sortino)}  cagr ${cagr}  calmar ${figure(s.calmar)}`,
    ...groupNotes(s.metricNotes ?? []).map((n) => `  ${n}`),
  ];
}

/** The human summary of a run. PnL and fees: exact decimals rounded half-even to 4 decimals for display. */
export function formatSummary(s: RunSummary, extra: { readonly elapsedMs: number; readonly db: string }): string {
  const lines = [
    `run ${s.runId} (${s.mode}, portfolio ${s.portfolioId})  ${iso(s.from)} → ${iso(s.to)}`,
    `ticks ${s.ticks.toLocaleString('en-US')} in ${fmt(extra.elapsedMs / 1000)} s (${Math.round(s.ticks / Math.max(extra.elapsedMs / 1000, 1e-9)).toLocaleString('en-US')} ticks/s)`,
    `orders ${s.orders}  fills ${s.fills}  denied ${s.denied}  rejected ${s.rejected}`,
  ];
  if (s.interrupted !== undefined) lines.splice(1, 0, `INTERRUPTED (${s.interrupted}) at ${iso(s.to)}: replayed and stored up to there, the rest of the data not`);
  const denials = Object.entries(s.deniedByCode);
  if (denials.length) lines.push(`denials: ${denials.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push('positions:');
  if (s.positions.length === 0) lines.push('  (none)');
  for (const p of s.positions) {
    lines.push(`  ${p.instrumentId.padEnd(14)} ${p.side.padEnd(5)} qty ${String(p.quantity).padStart(10)}  avg ${p.avgPrice ?? '-'}  realized ${decimal(p.realizedPnl, 4)}  unrealized ${decimal(p.unrealizedPnl, 4)}  fees ${decimal(p.fees, 4)}`);
  }
  // the exact decimal texts when the summary has them (older stored ones: their numbers, read as shortest decimals)
  const x = s.exact ?? s;
  lines.push(`pnl: realized ${decimal(x.realizedPnl, 4)}  unrealized ${decimal(x.unrealizedPnl, 4)}  fees ${decimal(x.fees, 4)}  net ${decimal(x.netPnl, 4)}`);
  // with more than one strategy trading, each one's own positions and PnL (the lines above are the account's sums)
  if ((s.byStrategy?.length ?? 0) > 1) {
    lines.push('by strategy (each its own fills; the account above is their sum):');
    for (const r of s.byStrategy!) {
      const held = r.positions.filter((p) => p.side !== 'flat').map((p) => `${p.instrumentId} ${p.side} ${p.quantity}`).join(', ') || 'flat';
      lines.push(`  ${r.strategyId.padEnd(16)} fills ${String(r.fills).padStart(6)}  realized ${decimal(r.exact.realizedPnl, 4)}  unrealized ${decimal(r.exact.unrealizedPnl, 4)}  fees ${decimal(r.exact.fees, 4)}  net ${decimal(r.exact.netPnl, 4)}  (${held})`);
    }
  }
  const ddPct = s.maxDrawdownFraction === undefined ? '' : ` (${fmt(100 * s.maxDrawdownFraction)} % of the peak)`;
  lines.push(`round trips ${s.trades}  max drawdown ${decimal(s.maxDrawdown, 4)}${ddPct}`);
  lines.push(...performanceLines(s));
  for (const f of s.strategyFailures) lines.push(`strategy ${f.id} FAILED in ${f.during}: ${f.error}`);
  const a = s.anomalies;
  if (Object.values(a).some((v) => v > 0)) lines.push(`anomalies: ${JSON.stringify(a)}`);
  lines.push(s.positionsVerified === true ? 'positions verified against stored fills: ok' : `positions DO NOT match stored fills:\n  ${s.positionsVerified.join('\n  ')}`);
  for (const v of s.venues ?? []) lines.push(...formatVenueSync(v));
  if (s.canceledAtStop !== undefined) lines.push(`stop: ${s.canceledAtStop} open order(s) canceled`);
  if (s.openAtEnd.length > 0) {
    const venues = [...new Set(s.openAtEnd.map((o) => o.venue))].join(', ');
    lines.push(`NOT A CLEAN STOP: ${s.openAtEnd.length} order(s) still open or in an unknown state: ${s.openAtEnd.slice(0, 10).map((o) => `${o.clientOrderId} ${o.status}`).join(', ')}${s.openAtEnd.length > 10 ? ' …' : ''}`);
    lines.push(`  check them at ${venues} and cancel what still rests there; the next start of this portfolio takes them over and settles them`);
  }
  lines.push(`database: ${extra.db}`);
  return lines.join('\n');
}
