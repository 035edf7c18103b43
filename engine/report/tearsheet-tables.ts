/**
 * The tearsheet's statistics and tables: trade statistics (overall, per strategy, per tag), buy-and-hold benchmark,
 * daily and monthly returns, the round-trip list, denials and rejections. Money is the exact decimal rounded half-even
 * for display (its exact text in the tooltip); every database string goes through escapeHtml.
 */
import type { RunSummary } from '../kernel/summary.js';
import { D } from '../model/decimal.js';
import { escapeHtml as e } from './escape-html.js';
import { count, decimal, duration, groupDecimal, percent, signClass, utc } from './format.js';
import type { ProblemCount } from './order-problems.js';
import type { DayReturn, YearRow } from './period-returns.js';
import type { RunReport, TripRow } from './run-report.js';
import { tradeStats, tradeStatsBy, type TradeStats } from './trade-stats.js';

/** At most this many round trips are listed; the page says how many were left out. */
export const MAX_TRIP_ROWS = 5000;

const num = (text: string, cls = '', title?: string): string =>
  `<td class="num${cls ? ` ${cls}` : ''}"${title === undefined ? '' : ` title="${e(title)}"`}>${e(text)}</td>`;
/** Exact money rounded for display, the exact text in the tooltip. */
const moneyCell = (x: string | undefined, digits = 2): string =>
  (x === undefined ? num('—') : num(decimal(x, digits), signClass(D(x).toNumber()), x));
const pct = (x: number | undefined, digits = 2): string => (x === undefined ? '—' : percent(x, digits));

function table(id: string, head: ReadonlyArray<readonly [string, boolean]>, rows: string[], tall = false, cls = ''): string {
  const ths = head.map(([h, isNum]) => `<th${isNum ? ' class="num"' : ''}>${e(h)}</th>`).join('');
  return `<div class="table-wrap${tall ? ' tall' : ''}"><table id="${id}"${cls ? ` class="${cls}"` : ''}><thead><tr>${ths}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

/** "1.85", "∞ (no losing trip)" or "— (no win or loss)". */
export function profitFactorText(pf: TradeStats['profitFactor']): string {
  if (pf === 'infinite') return '∞ (no losing trip)';
  if (pf === undefined) return '— (no win or loss)';
  return pf.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function card(label: string, stat: string, value: string, opts: { cls?: string; sub?: string; title?: string } = {}): string {
  return `<div class="figure"><div class="label">${e(label)}</div><div class="value${opts.cls ? ` ${opts.cls}` : ''}" data-stat="${stat}"` +
    `${opts.title === undefined ? '' : ` title="${e(opts.title)}"`}>${e(value)}</div>${opts.sub ? `<div class="sub">${e(opts.sub)}</div>` : ''}</div>`;
}

const moneyCard = (label: string, stat: string, x: string | undefined, sub?: string): string =>
  card(label, stat, x === undefined ? '—' : decimal(x), { cls: x === undefined ? '' : signClass(D(x).toNumber()), title: x, sub });

export function tradeStatsSection(r: RunReport): string {
  const s = tradeStats(r.trips);
  // per instrument only when there are several (with one it is the overall share)
  const perInstrument = r.exposure.byInstrument.length < 2 ? '' : r.exposure.byInstrument.map((i) => `${i.instrumentId} ${pct(i.share, 1)}`).join(', ');
  const summaryTrades = r.summary?.trades;
  const cards = [
    card('round trips', 'trips', count(s.trips), { sub: `${count(s.wins)} won, ${count(s.losses)} lost${s.breakeven ? `, ${count(s.breakeven)} at 0` : ''}` }),
    card('win rate', 'win-rate', pct(s.winRate, 1), { sub: 'trips with net PnL > 0' }),
    card('profit factor', 'profit-factor', profitFactorText(s.profitFactor), { sub: 'gross wins / |gross losses|, net of fees' }),
    moneyCard('net PnL of the trips', 'net-pnl', s.netPnl, `fees ${decimal(s.fees)} included`),
    moneyCard('expectancy', 'expectancy', s.expectancy, 'mean net PnL per trip'),
    moneyCard('average win', 'avg-win', s.avgWin, s.largestWin === undefined ? undefined : `largest ${decimal(s.largestWin)}`),
    moneyCard('average loss', 'avg-loss', s.avgLoss, s.largestLoss === undefined ? undefined : `largest ${decimal(s.largestLoss)}`),
    card('average duration', 'avg-duration', s.avgDurationMs === undefined ? '—' : duration(s.avgDurationMs)),
    card('exposure', 'exposure', pct(r.exposure.overall, 1), {
      sub: `of the run's time, any position open${perInstrument ? `; ${perInstrument}` : ''}`,
    }),
  ];
  const notes = [
    'Closed round trips per strategy and instrument (average cost; a flip closes one trip and opens the next), net of fees; a position still open at the end is not a trip.',
  ];
  const open = r.exposure.openAtEnd;
  if (open.length > 0) {
    notes.push(`Still open at the end, so in no trip above: ${open.map((o) => `${o.strategyId} ${o.instrumentId} ${o.quantity.startsWith('-') ? 'short' : 'long'} ${groupDecimal(o.quantity.replace(/^-/, ''))}`).join('; ')}.`);
  }
  if (summaryTrades !== undefined && summaryTrades !== s.trips) {
    notes.push(`The run summary counts ${count(summaryTrades)} round trips of the portfolio's position per instrument (strategies netted); kept apart per strategy there are ${count(s.trips)}.`);
  }
  return `<div class="figures" id="trade-stats">\n${cards.join('\n')}\n</div>${notes.map((n) => `<p class="note">${e(n)}</p>`).join('')}
<h3>By strategy</h3>${groupTable('strategy-table', 'strategy', tradeStatsBy(r.trips, (t) => t.strategyId))}
${strategyPartsTable(r)}
<h3>By tag</h3>${groupTable('tag-table', 'tag (of the opening order)', tradeStatsBy(r.trips, (t) => t.tag ?? '(no tag)'))}`;
}

/** Each strategy's own result from the summary (its positions kept apart): open positions included, all fees. */
function strategyPartsTable(r: RunReport): string {
  const parts = r.strategyParts;
  if (parts === undefined || parts.length === 0) return '';
  const rows = [...parts].sort((a, b) => (a.strategyId < b.strategyId ? -1 : a.strategyId > b.strategyId ? 1 : 0)).map((p) => {
    const open = p.positions.filter((x) => x.side !== 'flat').map((x) => `${x.instrumentId} ${x.side} ${groupDecimal(String(Math.abs(x.quantity)))}`).join(', ');
    return `<tr data-key="${e(p.strategyId)}"><td class="id">${e(p.strategyId)}</td>${num(count(p.fills))}${moneyCell(p.exact.realizedPnl)}` +
      `${moneyCell(p.exact.unrealizedPnl)}${num(decimal(p.exact.fees), '', p.exact.fees)}${moneyCell(p.exact.netPnl)}<td>${e(open || 'flat')}</td></tr>`;
  });
  return `<h3>Each strategy's PnL (run summary)</h3>${table('strategy-pnl-table', [
    ['strategy', false], ['fills', true], ['realized', true], ['unrealized', true], ['fees', true], ['net PnL', true], ['open at the end', false],
  ], rows)}<p class="note">Each strategy's own positions (the fills of its orders): all its fees, and what it still held at the end marked to the last price.</p>`;
}

function groupTable(id: string, what: string, groups: ReadonlyArray<{ key: string; stats: TradeStats }>): string {
  if (groups.length === 0) return '<p class="note">no closed round trip</p>';
  const rows = groups.map(({ key, stats: s }) => `<tr data-key="${e(key)}"><td class="id">${e(key)}</td>${num(count(s.trips))}${num(pct(s.winRate, 1))}` +
    `${num(profitFactorText(s.profitFactor))}${moneyCell(s.expectancy)}${moneyCell(s.netPnl)}${num(decimal(s.fees), '', s.fees)}</tr>`);
  return table(id, [[what, false], ['trips', true], ['win rate', true], ['profit factor', true], ['expectancy', true], ['net PnL', true], ['fees', true]], rows);
}

export function benchmarkSection(r: RunReport): string {
  const s = r.summary;
  const capital = s?.capital;
  const net = s?.exact?.netPnl ?? (s === undefined ? undefined : String(s.netPnl));
  const strategyReturn = net !== undefined && capital !== undefined && capital > 0 ? D(net).div(capital).toNumber() : undefined;
  const strategyLine = net === undefined
    ? '<p class="note">no summary stored: no strategy return</p>'
    : `<p class="benchmark-strategy">strategy: net PnL <b class="${signClass(D(net).toNumber())}" title="${e(net)}">${e(decimal(net))}</b>` +
      (strategyReturn === undefined
        ? ' <span class="note">(no backtest.capital: no return to set beside the benchmark)</span></p>'
        : `, return <b class="${signClass(strategyReturn)}" data-stat="strategy-return">${e(percent(strategyReturn))}</b> on a capital of ${e(decimal(String(capital)))}</p>`);
  if (!r.prices.ok) {
    return `${strategyLine}<p class="note warn" id="prices-problem">No benchmark and no price chart: ${e(r.prices.problem)}.</p>`;
  }
  const rows = r.prices.series.map((p) => `<tr><td class="id">${e(p.instrumentId)}</td><td>${e(p.kind)}</td>` +
    `${num(p.first.price)}<td>${e(utc(p.first.ts))}</td>${num(p.last.price)}<td>${e(utc(p.last.ts))}</td>` +
    `${num(pct(p.buyHoldReturn), p.buyHoldReturn === undefined ? '' : signClass(p.buyHoldReturn))}` +
    `${num(strategyReturn === undefined ? '—' : percent(strategyReturn), strategyReturn === undefined ? '' : signClass(strategyReturn))}</tr>`);
  return `${strategyLine}${table('benchmark-table', [
    ['instrument', false], ['price', false], ['first price', true], ['at (UTC)', false], ['last price', true], ['at (UTC)', false],
    ['buy and hold', true], ['strategy', true],
  ], rows)}<p class="note">Buy and hold: last price / first price − 1 over the run, without fees, from ${e(r.prices.files.join(', '))}. The strategy's return is its net PnL over backtest.capital, for all instruments together.</p>`;
}

const returnCell = (x: { change: string; ret: number | undefined } | undefined, relative: boolean): string => {
  if (x === undefined) return '<td class="num empty"></td>';
  if (relative && x.ret !== undefined) return num(percent(x.ret), signClass(x.ret), `change ${x.change}`);
  return moneyCell(x.change);
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function returnsSection(days: readonly DayReturn[], months: readonly YearRow[], relative: boolean): string {
  const what = relative ? 'return (equity over the previous day\'s, − 1)' : 'change of equity (money: no backtest.capital)';
  if (days.length === 0) return '<p class="note">no daily return: the equity samples do not span two UTC days\' ends</p>';
  const dayRows = days.map((d) => `<tr><td>${e(d.day)}</td>${num(decimal(String(d.equity)), '', String(d.equity))}${moneyCell(d.change)}` +
    `${num(d.ret === undefined ? '—' : percent(d.ret), d.ret === undefined ? '' : signClass(d.ret))}</tr>`);
  const grid = months.map((y) => `<tr><td>${y.year}</td>${y.months.map((m) => returnCell(m, relative)).join('')}${returnCell(y.total, relative)}</tr>`);
  return `<h3>Monthly</h3>${table('monthly-table', [['year', false], ...MONTHS.map((m) => [m, true] as const), ['total', true]], grid)}
<p class="note">Each cell: the ${e(what)} compounded over the month's days.</p>
<h3>Daily</h3>${table('daily-table', [['day (UTC)', false], ['equity at the end', true], ['change', true], ['return', true]], dayRows, true)}
<p class="note">${count(days.length)} daily returns: the equity at the end of each UTC day, day over day (the first day from the first sample), as Sharpe uses them.</p>`;
}

/** Digits for average prices: those of the instrument's fill prices, plus two. */
function priceText(x: string, digits: number): string {
  const dot = x.indexOf('.');
  return dot < 0 || x.length - dot - 1 <= digits + 2 ? x : decimal(x, digits + 2);
}

export function tripsTable(trips: readonly TripRow[], priceDigits: (instrumentId: string) => number): string {
  if (trips.length === 0) return '<p class="note">no closed round trip</p>';
  const shown = trips.slice(0, MAX_TRIP_ROWS);
  const rows = shown.map((t, i) => {
    const d = priceDigits(t.instrumentId);
    return `<tr>${num(String(i + 1))}<td>${e(utc(t.entryTime))}</td><td>${e(utc(t.exitTime))}</td><td class="id">${e(t.instrumentId)}</td>` +
      `<td class="${t.side === 'long' ? 'buy' : 'sell'}">${e(t.side)}</td>${num(groupDecimal(t.quantity))}` +
      `${num(priceText(t.entryPrice, d), '', t.entryPrice)}${num(priceText(t.exitPrice, d), '', t.exitPrice)}` +
      `${num(decimal(t.netPnl, 4), signClass(D(t.netPnl).toNumber()), `${t.netPnl} = PnL ${t.pnl} − fees ${t.fees}`)}${num(t.return === undefined ? '—' : percent(t.return, 3), t.return === undefined ? '' : signClass(t.return))}` +
      `${num(duration(t.durationMs))}<td class="id">${e(t.strategyId)}</td><td class="id">${e(t.tag ?? '')}</td></tr>`;
  });
  const note = trips.length > shown.length
    ? `<p class="note">showing the first ${count(shown.length)} of ${count(trips.length)} round trips (engine export-run --what trades writes them all)</p>`
    : `<p class="note">${count(trips.length)} round trips, in the order they closed; PnL net of fees (the tooltip has the PnL and the fees), return = net PnL / entry notional</p>`;
  return table('trips-table', [
    ['#', true], ['entry (UTC)', false], ['exit (UTC)', false], ['instrument', false], ['side', false], ['qty', true],
    ['entry price', true], ['exit price', true], ['net PnL', true], ['return', true], ['duration', true], ['strategy', false], ['tag', false],
  ], rows, true, 'compact') + note;
}

export function problemsSection(problems: readonly ProblemCount[], s: RunSummary | undefined): string {
  const denied = s?.denied ?? 0;
  const rejected = s?.rejected ?? 0;
  if (problems.length === 0) {
    const codes = Object.entries(s?.deniedByCode ?? {}).filter(([, n]) => (n ?? 0) > 0);
    if (codes.length === 0 && rejected === 0) return '<p class="note">no order was denied by the risk layer or rejected by the venue</p>';
    // the event log is gone (or was not kept): the summary's counts only
    const rows = codes.map(([code, n]) => `<tr><td>denied</td><td class="id">${e(code)}</td>${num(count(n ?? 0))}<td></td></tr>`);
    if (rejected > 0) rows.push(`<tr><td>rejected</td><td>(reasons not in the event log)</td>${num(count(rejected))}<td></td></tr>`);
    return table('problems-table', [['what', false], ['reason', false], ['orders', true], ['first message', false]], rows);
  }
  // a rejection's reason is its message: not repeated
  const rows = problems.map((p) => `<tr><td>${e(p.what)}</td><td class="id">${e(p.reason)}</td>${num(count(p.count))}<td class="wrap">${e(p.example === p.reason ? '' : p.example)}</td></tr>`);
  return `${table('problems-table', [['what', false], ['reason', false], ['orders', true], ['first message', false]], rows)}
<p class="note">${count(denied)} denied by the risk layer, ${count(rejected)} rejected by the venue (summary); by reason from the run's event log</p>`;
}
