/**
 * The tearsheet's interactive charts: the data they draw (downsampled, as JSON for a `<script type="application/json">`
 * block) and their containers. Price per traded instrument with the fills as markers (▲ buy, ▼ sell; filled when the
 * fill opened or added to a strategy's position, hollow when it reduced or closed it), equity and drawdown. The static
 * SVG equity and drawdown charts stay in the page as the fallback the script hides once uPlot has drawn.
 */
import { D, ZERO, type Decimal } from '../model/decimal.js';
import type { StoredFill } from '../persistence/rows.js';
import { downsampleMinMax } from './downsample.js';
import { escapeHtml as e } from './escape-html.js';
import { count } from './format.js';
import type { RunReport } from './run-report.js';

/** Most fill markers drawn per instrument; the page says when some were left out. */
export const MAX_FILL_MARKERS = 20_000;

export interface FillMarkers {
  /** ms */
  readonly t: number[];
  readonly p: number[];
  /** 1 buy, -1 sell. */
  readonly s: number[];
  /** 1 entry (opened or added), 0 exit (reduced, closed or flipped). */
  readonly e: number[];
}

export interface PriceChartData {
  readonly id: string;
  readonly kind: string;
  readonly digits: number;
  readonly t: number[];
  readonly p: number[];
  readonly count: number;
  readonly fills: FillMarkers;
  readonly fillsTotal: number;
}

export interface ChartData {
  /** The run's span (ms): every chart's time axis, and where a double-click takes it back. */
  readonly span: { readonly from: number; readonly to: number };
  readonly equity: { readonly t: number[]; readonly v: number[] };
  readonly drawdown: { readonly t: number[]; readonly v: number[] };
  readonly prices: readonly PriceChartData[];
}

const decimalsOfText = (x: string): number => (x.includes('.') ? x.length - x.indexOf('.') - 1 : 0);

/** Decimals of an instrument's fill prices (at most 8): how its prices are shown. */
export function priceDigitsOf(fills: readonly StoredFill[]): (instrumentId: string) => number {
  const digits = new Map<string, number>();
  for (const f of fills) digits.set(f.instrumentId, Math.min(8, Math.max(digits.get(f.instrumentId) ?? 0, decimalsOfText(f.lastPrice))));
  return (id) => digits.get(id) ?? 2;
}

/** Each fill as a marker: entry when it opened or added to its strategy's position in the instrument, else exit. */
function markers(fills: readonly StoredFill[]): Map<string, { m: FillMarkers; total: number }> {
  const positions = new Map<string, Decimal>();
  const out = new Map<string, { m: FillMarkers; total: number }>();
  for (const f of fills) {
    const key = `${f.strategyId}\u0000${f.instrumentId}`;
    const before = positions.get(key) ?? ZERO;
    const signed = f.side === 'buy' ? D(f.lastQty) : D(f.lastQty).neg();
    positions.set(key, before.plus(signed));
    const entry = before.isZero() || before.isNeg() === signed.isNeg();
    let x = out.get(f.instrumentId);
    if (!x) out.set(f.instrumentId, (x = { m: { t: [], p: [], s: [], e: [] }, total: 0 }));
    x.total++;
    if (x.m.t.length >= MAX_FILL_MARKERS) continue;
    x.m.t.push(f.tsEvent);
    x.m.p.push(Number(f.lastPrice));
    x.m.s.push(f.side === 'buy' ? 1 : -1);
    x.m.e.push(entry ? 1 : 0);
  }
  return out;
}

export function chartData(r: RunReport, maxPoints: number): ChartData {
  const eq = downsampleMinMax(r.equity, maxPoints, (p) => p.equity);
  const dd = downsampleMinMax(r.drawdown, maxPoints, (p) => p.drawdown);
  const digits = priceDigitsOf(r.fills);
  const marks = markers(r.fills);
  const prices = r.prices.ok
    ? r.prices.series.map((s): PriceChartData => {
      const m = marks.get(s.instrumentId);
      return {
        id: s.instrumentId, kind: s.kind, digits: Math.max(digits(s.instrumentId), decimalsOfText(s.first.price), decimalsOfText(s.last.price)),
        t: s.points.map((p) => p.ts), p: s.points.map((p) => p.price), count: s.count,
        fills: m?.m ?? { t: [], p: [], s: [], e: [] }, fillsTotal: m?.total ?? 0,
      };
    })
    : [];
  return {
    span: { from: r.span.from, to: Math.max(r.span.to, r.span.from + 1) },
    equity: { t: eq.map((p) => p.ts), v: eq.map((p) => p.equity) },
    drawdown: { t: dd.map((p) => p.ts), v: dd.map((p) => p.drawdown) },
    prices,
  };
}

/** JSON for a `<script type="application/json">` block: no `<` (so nothing can close the tag), nor U+2028/2029. */
export const jsonForScript = (x: unknown): string =>
  JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export const ZOOM_HINT = 'drag across a chart to zoom (all charts follow), double-click to reset';

export function priceCharts(d: ChartData): string {
  return d.prices.map((p, i) => {
    const left = p.fillsTotal > p.fills.t.length ? `; the first ${count(p.fills.t.length)} of ${count(p.fillsTotal)} fills marked` : `; ${count(p.fillsTotal)} fills marked`;
    const drawn = p.count > p.t.length ? `${count(p.t.length)} of ${count(p.count)} prices drawn (the lowest and highest of each stretch)` : `${count(p.count)} prices`;
    return `<h3>${e(p.id)} <span class="muted">(${e(p.kind)})</span></h3><div class="panel"><div class="plot" id="price-plot-${i}" data-chart="price" data-index="${i}"></div>` +
      `<p class="nojs note">the price chart needs script (blocked or unsupported here)</p></div>` +
      `<p class="note">${e(drawn)}${e(left)}: ▲ buy, ▼ sell; filled = entry (opens or adds), hollow = exit (reduces or closes). ${e(ZOOM_HINT.charAt(0).toUpperCase() + ZOOM_HINT.slice(1))}.</p>`;
  }).join('\n');
}
