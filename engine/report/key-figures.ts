/** The key-figure cards of a run: PnL, drawdown, Sharpe, activity. */
import type { RunSummary } from '../kernel/summary.js';
import { escapeHtml as e } from './escape-html.js';
import { count, decimal, figure, money, percent, signClass } from './format.js';
import type { EquityPoint } from './run-report.js';

function card(label: string, value: string, opts: { cls?: string; sub?: string; main?: boolean; title?: string } = {}): string {
  const title = opts.title === undefined ? '' : ` title="${e(opts.title)}"`;
  return `<div class="figure${opts.main ? ' main' : ''}"><div class="label">${e(label)}</div>` +
    `<div class="value${opts.cls ? ` ${opts.cls}` : ''}"${title}>${e(value)}</div>` +
    `${opts.sub ? `<div class="sub">${e(opts.sub)}</div>` : ''}</div>`;
}

/** Shown to 2 decimals (half-even, from the exact decimal); the exact value in the tooltip. */
const pnl = (label: string, x: number, exact: string | undefined, main = false): string =>
  card(label, decimal(exact ?? x), { cls: signClass(x), main, title: exact ?? String(x) });

const PERIOD_WORD = { day: 'daily', hour: 'hourly' } as const;

/** Sharpe, Sortino, CAGR, Calmar: "—" when hidden, the reason below. */
function ratioCards(s: RunSummary): string[] {
  if (s.returnsPeriod === undefined) {
    return [card('Sharpe (old)', figure(s.sharpe), { sub: 'stored by an older version: per equity interval, not comparable' })];
  }
  const period = PERIOD_WORD[s.returnsPeriod];
  const why = (name: string): string | undefined => {
    const note = (s.metricNotes ?? []).find((n) => n.startsWith(`${name}: `));
    return note?.slice(name.length + 2);
  };
  const sub = (name: string): string => why(name) ?? `${s.returnCount ?? 0} ${period} returns, 365-day year`;
  return [
    card('Sharpe (annualised)', figure(s.sharpe), { sub: sub('Sharpe') }),
    card('Sortino (annualised)', figure(s.sortino), { sub: sub('Sortino') }),
    card('CAGR', s.cagr === undefined ? '—' : percent(s.cagr), { sub: why('CAGR') ?? 'per year, on backtest.capital' }),
    card('Calmar', figure(s.calmar), { sub: why('Calmar') ?? 'CAGR / max drawdown' }),
  ];
}

export function keyFigures(s: RunSummary, equity: readonly EquityPoint[]): string {
  const denials = Object.entries(s.deniedByCode).filter(([, n]) => (n ?? 0) > 0);
  const last = equity.at(-1);
  const cards = [
    pnl('net PnL', s.netPnl, s.exact?.netPnl, true),
    pnl('realized PnL', s.realizedPnl, s.exact?.realizedPnl),
    pnl('unrealized PnL', s.unrealizedPnl, s.exact?.unrealizedPnl),
    card('fees', decimal(s.exact?.fees ?? s.fees), { title: s.exact?.fees ?? String(s.fees) }),
    card('max drawdown', decimal(s.maxDrawdown), {
      cls: s.maxDrawdown > 0 ? 'neg' : '', title: String(s.maxDrawdown),
      sub: s.maxDrawdownFraction === undefined ? 'no % without a capital' : `${percent(s.maxDrawdownFraction)} of the peak`,
    }),
    ...ratioCards(s),
    card('round trips', count(s.trades)),
    card('orders', count(s.orders), { sub: `${count(s.rejected)} rejected by the venue` }),
    card('fills', count(s.fills)),
    card('denied', count(s.denied), { sub: denials.length ? denials.map(([k, n]) => `${k} ${count(n ?? 0)}`).join(', ') : 'by the risk layer' }),
    card('ticks', count(s.ticks)),
    card('final equity', last === undefined ? '-' : money(last.equity), {
      sub: s.capital === undefined ? 'PnL only: no capital set' : `capital ${money(s.capital)}`,
    }),
  ];
  return `<div class="figures">\n${cards.join('\n')}\n</div>`;
}
