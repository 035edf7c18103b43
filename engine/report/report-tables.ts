/** The report's tables: per instrument, positions, fills. Every database string goes through escapeHtml. */
import type { PositionView } from '../model/position.js';
import type { StoredFill } from '../persistence/rows.js';
import { escapeHtml as e } from './escape-html.js';
import { count, decimal, groupDecimal, money, percent, signClass, utc } from './format.js';
import type { InstrumentStats } from './run-report.js';

/** At most this many fills are listed; the page says how many were left out. */
export const MAX_FILL_ROWS = 5000;

const num = (text: string, cls = ''): string => `<td class="num${cls ? ` ${cls}` : ''}">${e(text)}</td>`;
/** PnL: the exact decimal rounded half-even to 4 decimals for display. */
const signed = (x: number | undefined, digits = 4): string => (x === undefined ? num('-') : num(decimal(x, digits), signClass(x)));

function table(id: string, head: ReadonlyArray<readonly [string, boolean]>, rows: string[], tall = false): string {
  const ths = head.map(([h, isNum]) => `<th${isNum ? ' class="num"' : ''}>${e(h)}</th>`).join('');
  return `<div class="table-wrap${tall ? ' tall' : ''}"><table id="${id}"><thead><tr>${ths}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

export function instrumentsTable(stats: readonly InstrumentStats[]): string {
  if (stats.length === 0) return '<p class="note">no instrument was traded</p>';
  const rows = stats.map((s) => `<tr><td class="id">${e(s.instrumentId)}</td>${num(count(s.fills))}` +
    `${num(`${count(s.buys)} / ${groupDecimal(s.buyQty)}`)}${num(`${count(s.sells)} / ${groupDecimal(s.sellQty)}`)}` +
    `${num(money(Number(s.notional)))}${num(groupDecimal(s.fees))}${signed(s.realizedPnl)}` +
    `${num(s.makerShare === undefined ? '-' : percent(s.makerShare, 1))}${num(s.makerShare === undefined ? '-' : percent(1 - s.makerShare, 1))}</tr>`);
  return table('instruments-table', [
    ['instrument', false], ['fills', true], ['buys / qty', true], ['sells / qty', true], ['notional traded', true],
    ['fees', true], ['realized PnL', true], ['maker', true], ['taker', true],
  ], rows);
}

export function positionsTable(positions: readonly PositionView[]): string {
  if (positions.length === 0) return '<p class="note">no positions</p>';
  const rows = positions.map((p) => `<tr><td class="id">${e(p.instrumentId)}</td><td>${e(p.side)}</td>` +
    `${num(groupDecimal(String(p.quantity)))}${num(p.avgPrice === undefined ? '-' : String(p.avgPrice))}` +
    `${signed(p.realizedPnl)}${signed(p.unrealizedPnl)}${num(decimal(p.fees, 4))}</tr>`);
  return table('positions-table', [
    ['instrument', false], ['side', false], ['quantity', true], ['avg price', true], ['realized', true],
    ['unrealized', true], ['fees', true],
  ], rows);
}

export function fillsTable(fills: readonly StoredFill[]): string {
  if (fills.length === 0) return '<p class="note">no fills in this run</p>';
  const shown = fills.slice(0, MAX_FILL_ROWS);
  const rows = shown.map((f, i) => `<tr>${num(String(i + 1))}<td>${e(utc(f.tsEvent))}</td><td class="id">${e(f.instrumentId)}</td>` +
    `<td class="id">${e(f.strategyId)}</td><td class="${f.side === 'buy' ? 'buy' : 'sell'}">${e(f.side)}</td>` +
    `${num(groupDecimal(f.lastQty))}${num(f.lastPrice)}${num(`${f.fee} ${f.feeCurrency}`)}<td>${e(f.liquidity)}</td>` +
    `<td class="id">${e(f.clientOrderId)}</td></tr>`);
  const note = fills.length > shown.length
    ? `<p class="note">showing the first ${count(shown.length)} of ${count(fills.length)} fills; all of them are in the database (fills table, run ${e(fills[0]!.runId)})</p>`
    : `<p class="note">${count(fills.length)} fills</p>`;
  return table('fills-table', [
    ['#', true], ['time (UTC)', false], ['instrument', false], ['strategy', false], ['side', false], ['qty', true],
    ['price', true], ['fee', true], ['liquidity', false], ['client order id', false],
  ], rows, true) + note;
}
