/** `engine status`: a running session's state as one screen of text (from the control plane's `engine.status/1`). */
import type { FillRow, OpenOrderRow, PositionRow, ProgressView, SessionView, StatsView, StrategyView, SweepRunView, VenueView } from '../control/source.js';

export interface StatusAnswer {
  readonly session: SessionView;
  readonly venues: readonly VenueView[];
  readonly strategies: readonly StrategyView[];
  readonly positions: readonly PositionRow[];
  readonly orders: readonly OpenOrderRow[];
  readonly fills: readonly FillRow[];
  readonly stats: StatsView;
}

const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const stamp = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const money = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const duration = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const age = (ms: number | null): string => (ms === null ? 'no data yet' : ms < 1000 ? `${ms} ms ago` : `${(ms / 1000).toFixed(1)} s ago`);

function venueLines(v: VenueView): string[] {
  const rate = v.rateLimit ? `  rate ${v.rateLimit.used}/${v.rateLimit.limit} (${v.rateLimit.spec})` : '';
  const mark = v.fillMark === null ? '' : `  fills complete until ${time(v.fillMark)}`;
  const lines = [`  ${v.venue.padEnd(12)} ${v.connection.padEnd(12)} ${v.sync.padEnd(11)} last data ${age(v.lastMessageAgeMs)}${mark}${rate}`];
  if (v.holdReason) lines.push(`  ${''.padEnd(12)} NEW ORDERS HELD: ${v.holdReason}`);
  if (v.lastError) lines.push(`  ${''.padEnd(12)} last reconciliation error: ${v.lastError}`);
  if (v.flagged.length > 0) lines.push(`  ${''.padEnd(12)} FLAGGED (state unknown, look at the venue): ${v.flagged.join(', ')}`);
  return lines;
}

function positionLine(p: PositionRow): string {
  const who = p.strategyId === undefined ? p.instrumentId.padEnd(16) : `  ${p.strategyId}`.padEnd(16);
  return `  ${who} ${p.side.padEnd(5)} ${p.quantity.padStart(12)}  avg ${p.avgPrice === null ? '-' : String(p.avgPrice)}  ` +
    `realized ${money(p.realizedPnl)}  unrealized ${money(p.unrealizedPnl)}  fees ${money(p.fees)}`;
}

const orderLine = (o: OpenOrderRow): string =>
  `  ${o.clientOrderId.padEnd(18)} ${o.side.padEnd(4)} ${String(o.quantity).padStart(10)} @ ${o.price === null ? 'market' : String(o.price)}  ` +
  `${o.status}${o.inFlight ? ' (outcome unknown)' : ''}${o.flagged ? ' FLAGGED' : ''}  ${o.venue}  filled ${o.filledQty}`;

const fillLine = (f: FillRow): string =>
  `  ${time(f.ts)}  ${f.clientOrderId.padEnd(18)} ${f.side.padEnd(4)} ${String(f.qty).padStart(10)} @ ${f.price}  ${f.liquidity}  fee ${f.fee} ${f.feeCurrency}`;

function progressLine(p: ProgressView): string {
  const parts = [`  ${p.fraction === null ? 'progress unknown (the end of the data is not known)' : `${(p.fraction * 100).toFixed(1)} % done`}`, `${p.ticks.toLocaleString('en-US')} ticks`];
  if (p.etaMs !== null) parts.push(`about ${duration(p.etaMs)} left`);
  return parts.join(' · ');
}

function sweepRunLine(r: SweepRunView): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const state = r.status === 'running' && r.progress?.fraction != null ? `running ${(r.progress.fraction * 100).toFixed(0)} %`
    : r.status === 'finished' ? `finished  run ${r.runId}  net PnL ${money(r.netPnl ?? 0)}`
    : r.status === 'failed' ? `FAILED: ${r.error ?? ''}` : r.status;
  return `  #${String(r.index + 1).padEnd(4)} ${params.padEnd(28)} ${state}`;
}

/** A backtest or sweep (read-only): its progress, a sweep's runs, and what a replay has (no venues to steer). */
function replayLines(s: StatusAnswer): string[] {
  const x = s.session;
  const runs = x.sweep?.runs ?? [];
  const head = runs.length > 0
    ? `sweep of ${runs.length} backtests · portfolio ${x.portfolio} · running for ${duration(x.uptimeMs)} (read-only)`
    : `backtest run ${x.runId} · portfolio ${x.portfolio} · running for ${duration(x.uptimeMs)} · engine time ${stamp(x.engineTime)} (read-only)`;
  return [head, ...(x.progress ? [progressLine(x.progress)] : []), ...(runs.length > 0 ? ['runs', ...runs.map(sweepRunLine)] : [])];
}

export function formatStatus(s: StatusAnswer): string {
  const x = s.session;
  if (x.sweep !== undefined) return replayLines(s).join('\n');
  const lines = [
    ...(x.mode === 'backtest' ? replayLines(s) : [
      `${x.mode} run ${x.runId} · portfolio ${x.portfolio} · up ${duration(x.uptimeMs)} · engine time ${stamp(x.engineTime)} · trading ${x.tradingState}`,
    ]),
    'venues',
    ...s.venues.flatMap(venueLines),
    'strategies',
    ...s.strategies.map((st) => `  ${st.id.padEnd(16)} ${st.status.padEnd(8)} open orders ${st.openOrders}${st.lastError ? `  last error: ${st.lastError}` : ''}`),
    'positions',
    ...(s.positions.length === 0 ? ['  (none)'] : [...s.positions].sort((a, b) => a.instrumentId.localeCompare(b.instrumentId) || (a.strategyId ?? '').localeCompare(b.strategyId ?? '')).map(positionLine)),
    `open orders (${s.orders.length})`,
    ...s.orders.slice(0, 20).map(orderLine),
    ...(s.orders.length > 20 ? [`  … ${s.orders.length - 20} more`] : []),
    'recent fills',
    ...(s.fills.length === 0 ? ['  (none)'] : s.fills.slice(-10).map(fillLine)),
  ];
  const denials = Object.entries(s.stats.deniedByCode).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`orders ${s.stats.orders}  fills ${s.stats.fills}  denied ${s.stats.denied}${denials ? ` (${denials})` : ''}  rejected ${s.stats.rejected}  net PnL ${money(s.stats.netPnl)}`);
  return lines.join('\n');
}

/** The one line a paper/live session prints on a terminal every few seconds. */
export function formatStatusLine(s: Pick<StatusAnswer, 'session' | 'venues' | 'stats'> & { readonly openOrders: number }): string {
  const venues = s.venues.map((v) => `${v.venue} ${v.holdReason ? 'HELD' : v.sync === 'synced' || v.sync === 'simulated' ? 'ok' : v.sync}`).join(' ');
  return `${time(s.session.engineTime)}  ${s.session.tradingState}  fills ${s.stats.fills}  open ${s.openOrders}  net PnL ${money(s.stats.netPnl)}  ${venues}`;
}
