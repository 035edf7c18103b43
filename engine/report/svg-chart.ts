/**
 * A static SVG line chart (no script): axes with round ticks, UTC time labels, an optional area down/up to zero and
 * labelled markers. The data points are the polyline's `points`; the root carries the mapping so a reader (or a test)
 * can turn a point back into data: data-x-domain="t0 t1", data-y-domain="lo hi", data-plot="left top width height".
 */
import { decimalsForStep, timeAxis, valueAxis } from './axis-ticks.js';
import { escapeHtml } from './escape-html.js';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartMarker extends ChartPoint {
  readonly label: string;
}

export interface LineChartOptions {
  readonly id: string;
  readonly title: string;
  readonly yLabel: string;
  /** Shade the area between the line and zero (and keep zero inside the value axis). */
  readonly fillToZero?: boolean;
  readonly markers?: readonly ChartMarker[];
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 86, right: 24, top: 18, bottom: 46 };
const c = (v: number): string => v.toFixed(2);

export function lineChart(points: readonly ChartPoint[], o: LineChartOptions): string {
  const width = o.width ?? 1000;
  const height = o.height ?? 320;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const head = `<svg id="${escapeHtml(o.id)}" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(o.title)}"`;
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (finite.length === 0) {
    return `${head}><text class="empty" x="${width / 2}" y="${height / 2}" text-anchor="middle">no samples</text></svg>`;
  }
  let [t0, t1] = [finite[0]!.x, finite[finite.length - 1]!.x];
  if (t1 <= t0) [t0, t1] = [t0 - 30_000, t1 + 30_000];
  let [ymin, ymax] = [Infinity, -Infinity];
  for (const p of finite) [ymin, ymax] = [Math.min(ymin, p.y), Math.max(ymax, p.y)];
  if (o.fillToZero) [ymin, ymax] = [Math.min(ymin, 0), Math.max(ymax, 0)];
  const ya = valueAxis(ymin, ymax);
  const ta = timeAxis(t0, t1);
  const X = (t: number): number => MARGIN.left + ((t - t0) / (t1 - t0)) * pw;
  const Y = (v: number): number => MARGIN.top + ((ya.hi - v) / (ya.hi - ya.lo)) * ph;
  const digits = decimalsForStep(ya.step);
  const yText = (v: number): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

  const parts: string[] = [];
  parts.push(`${head} data-x-domain="${t0} ${t1}" data-y-domain="${ya.lo} ${ya.hi}" data-plot="${MARGIN.left} ${MARGIN.top} ${pw} ${ph}">`);
  parts.push(`<title>${escapeHtml(o.title)}</title>`);
  parts.push(`<rect class="plot" x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}"/>`);
  for (const v of ya.ticks) {
    const y = c(Y(v));
    parts.push(`<line class="grid${v === 0 ? ' zero' : ''}" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + pw}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(yText(v))}</text>`);
  }
  for (const t of ta.ticks) {
    const x = c(X(t));
    parts.push(`<line class="grid" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + ph}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${MARGIN.top + ph + 18}" text-anchor="middle">${escapeHtml(ta.label(t))}</text>`);
  }
  const caption = `time (UTC${ta.day ? `, ${ta.day}` : ''})`;
  parts.push(`<text class="axis-label" x="${MARGIN.left + pw / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(caption)}</text>`);
  parts.push(`<text class="axis-label" transform="translate(16 ${MARGIN.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`);
  const coords = finite.map((p) => `${c(X(p.x))},${c(Y(p.y))}`);
  if (o.fillToZero) {
    const zero = c(Y(0));
    const area = [`${c(X(finite[0]!.x))},${zero}`, ...coords, `${c(X(finite[finite.length - 1]!.x))},${zero}`];
    parts.push(`<polygon class="area" points="${area.join(' ')}"/>`);
  }
  parts.push(`<polyline class="line" points="${coords.join(' ')}"/>`);
  for (const m of o.markers ?? []) {
    if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
    const [x, y] = [X(m.x), Y(m.y)];
    const anchor = x > MARGIN.left + pw * 0.75 ? 'end' : x < MARGIN.left + pw * 0.25 ? 'start' : 'middle';
    const ty = y < MARGIN.top + 24 ? y + 18 : y - 10;
    parts.push(`<circle class="marker" cx="${c(x)}" cy="${c(y)}" r="4"/>`);
    parts.push(`<text class="marker-label" x="${c(x)}" y="${c(ty)}" text-anchor="${anchor}">${escapeHtml(m.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
