/** The key-figure cards of a run: PnL, drawdown, Sharpe, activity. */
import type { RunSummary } from '../kernel/summary.js';
import { escapeHtml as e } from './escape-html.js';
import { count, money, percent, signClass } from './format.js';
import type { EquityPoint } from './run-report.js';

function card(label: string, value: string, opts: { cls?: string; sub?: string; main?: boolean; title?: string } = {}): string {
  const title = opts.title === undefined ? '' : ` title="${e(opts.title)}"`;
  return `<div class="figure${opts.main ? ' main' : ''}"><div class="label">${e(label)}</div>` +
    `<div class="value${opts.cls ? ` ${opts.cls}` : ''}"${title}>${e(value)}</div>` +
    `${opts.sub ? `<div class="sub">${e(opts.sub)}</div>` : ''}</div>`;
}

const pnl = (label: string, x: number, main = false): string => card(label, money(x), { cls: signClass(x), main, title: String(x) });

export function keyFigures(s: RunSummary, equity: readonly EquityPoint[]): string {
  const denials = Object.entries(s.deniedByCode).filter(([, n]) => (n ?? 0) > 0);
  const last = equity.at(-1);
  const cards = [
    pnl('net PnL', s.netPnl, true),
    pnl('realized PnL', s.realizedPnl),
    pnl('unrealized PnL', s.unrealizedPnl),
    card('fees', money(s.fees), { title: String(s.fees) }),
    card('max drawdown', money(s.maxDrawdown), {
      cls: s.maxDrawdown > 0 ? 'neg' : '', title: String(s.maxDrawdown),
      sub: s.maxDrawdownPct === undefined ? 'no % without a capital' : `${percent(s.maxDrawdownPct)} of the peak`,
    }),
    card('Sharpe (annualised)', s.sharpe === undefined ? '-' : s.sharpe.toFixed(2), { sub: s.sharpe === undefined ? 'not enough variation' : undefined }),
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
