/**
 * One self-contained HTML page for a run, a tearsheet: key figures, trade statistics (overall, per strategy, per tag),
 * a buy-and-hold benchmark, interactive price (with the fills), equity and drawdown charts (uPlot, inlined), daily and
 * monthly returns, the round trips, denials and rejections, per-instrument figures, positions and fills. No external
 * resource: it opens offline. The Content-Security-Policy allows no source at all (default-src 'none'), inline styles,
 * and exactly the two inline scripts it ships (uPlot and the chart script) by their sha256 hashes, computed here from
 * their exact text; the chart data is a JSON block with `<` escaped, and everything from the database is escaped, so
 * a stored string can neither run nor close a tag. Without script the static SVG equity and drawdown charts show.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { downsampleMinMax } from './downsample.js';
import { escapeHtml as e } from './escape-html.js';
import { duration, money, percent, utc } from './format.js';
import { keyFigures } from './key-figures.js';
import { REPORT_CSS } from './report-style.js';
import { fillsTable, instrumentsTable, positionsTable } from './report-tables.js';
import type { RunReport } from './run-report.js';
import { lineChart } from './svg-chart.js';
import { chartData, jsonForScript, priceCharts, priceDigitsOf, ZOOM_HINT } from './tearsheet-charts.js';
import { TEARSHEET_SCRIPT } from './tearsheet-script.js';
import { benchmarkSection, problemsSection, returnsSection, tradeStatsSection, tripsTable } from './tearsheet-tables.js';

/** Most points drawn per chart; longer curves keep the first, last, and each bucket's min and max. */
export const MAX_CHART_POINTS = 2000;

let vendored: { js: string; css: string } | undefined;
/** uPlot's browser build and stylesheet from node_modules (read once): inlined, nothing is fetched. */
function uplotFiles(): { js: string; css: string } {
  if (vendored) return vendored;
  const require = createRequire(import.meta.url);
  const read = (f: string): string => readFileSync(require.resolve(f), 'utf8');
  const js = read('uplot/dist/uPlot.iife.min.js');
  // a script element ends at the first "</script" (any case): the library must not contain one
  if (/<\/script|<!--/i.test(js)) throw new Error('uPlot.iife.min.js contains "</script" or "<!--": it cannot be inlined');
  vendored = { js, css: read('uplot/dist/uPlot.min.css') };
  return vendored;
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's policy: nothing from anywhere, inline styles, and only these scripts (by hash). */
export const contentSecurityPolicy = (scripts: readonly string[]): string =>
  `default-src 'none'; script-src ${scripts.map(sha256).join(' ')}; style-src 'unsafe-inline'; img-src data:`;

function period(r: RunReport): { from: number; to: number | undefined } {
  return r.summary ? { from: r.summary.from, to: r.summary.to } : { from: r.run.startedAt, to: r.run.finishedAt };
}

function header(r: RunReport): string {
  const { from, to } = period(r);
  const strategies = r.strategies.map((s) => (s.id === s.use ? s.id : `${s.id} (${s.use})`)).join(', ') || '-';
  const span = to === undefined ? `${utc(from)} UTC → (not finished)` : `${utc(from)} → ${utc(to)} UTC (${duration(to - from)})`;
  return `<header>
<h1>Run ${e(r.run.id)} · ${e(r.run.mode)}<span class="badge ${e(r.run.status)}">${e(r.run.status)}</span></h1>
<div class="meta"><span>period <b>${e(span)}</b></span><span>portfolio <b>${e(r.run.portfolioId)}</b></span>
<span>strategies <b>${e(strategies)}</b></span><span>database <b>${e(r.db)}</b></span></div>
</header>`;
}

function alerts(r: RunReport): string {
  const items: string[] = [];
  const s = r.summary;
  if (!s) {
    items.push(r.summaryProblem
      ? `the stored summary cannot be read: ${r.summaryProblem}`
      : `no summary stored: the run is ${r.run.status === 'running' ? 'still running (or was killed)' : 'missing it'}; figures below come from the stored equity and fills only`);
  } else {
    for (const f of s.strategyFailures) items.push(`strategy ${f.id} failed in ${f.during}: ${f.error}`);
    if (s.positionsVerified !== true) for (const p of s.positionsVerified) items.push(`positions do not match the stored fills: ${p}`);
    const anomalies = Object.entries(s.anomalies).filter(([, n]) => n > 0);
    if (anomalies.length) items.push(`anomalies: ${anomalies.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  if (items.length === 0) return '';
  return `<div class="alerts${s ? '' : ' info'}"><ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul></div>`;
}

function charts(r: RunReport): string {
  const eq = downsampleMinMax(r.equity, MAX_CHART_POINTS, (p) => p.equity);
  const dd = downsampleMinMax(r.drawdown, MAX_CHART_POINTS, (p) => p.drawdown);
  const last = r.equity.at(-1);
  const trough = r.drawdown.reduce<(typeof r.drawdown)[number] | undefined>((m, p) => (m === undefined || p.drawdown < m.drawdown ? p : m), undefined);
  const note = (drawn: number): string => r.equity.length > drawn
    ? `${drawn.toLocaleString('en-US')} of ${r.equity.length.toLocaleString('en-US')} samples drawn (first, last, and the lowest and highest of each stretch)`
    : `${r.equity.length.toLocaleString('en-US')} samples`;
  const equityChart = lineChart(eq.map((p) => ({ x: p.ts, y: p.equity })), {
    id: 'equity-chart', title: 'equity over time', yLabel: 'equity',
    markers: last ? [{ x: last.ts, y: last.equity, label: `final ${money(last.equity)}` }] : [],
  });
  const ddLabel = trough && trough.drawdown < 0
    ? `max drawdown ${money(-trough.drawdown)}${trough.drawdownPct === undefined ? '' : ` (${percent(-trough.drawdownPct)})`}` : '';
  const drawdownChart = lineChart(dd.map((p) => ({ x: p.ts, y: p.drawdown })), {
    id: 'drawdown-chart', title: 'drawdown from the running peak of equity', yLabel: 'drawdown', fillToZero: true,
    markers: trough && ddLabel ? [{ x: trough.ts, y: trough.drawdown, label: ddLabel }] : [],
  });
  return `<section><h2>Equity</h2><div class="panel"><div class="plot" id="equity-plot" data-chart="equity"></div><div class="static-chart">${equityChart}</div></div><p class="note">${e(note(eq.length))}; ${e(ZOOM_HINT)}</p></section>
<section><h2>Drawdown</h2><div class="panel"><div class="plot" id="drawdown-plot" data-chart="drawdown"></div><div class="static-chart">${drawdownChart}</div></div><p class="note">${e(note(dd.length))}; equity minus its running peak</p></section>`;
}

export function renderHtmlReport(r: RunReport): string {
  const s = r.summary;
  const data = chartData(r, MAX_CHART_POINTS);
  const uplot = uplotFiles();
  const body = [
    header(r),
    alerts(r),
    '<p class="alerts" id="chart-problem" hidden></p>',
    s ? `<section><h2>Key figures</h2>${keyFigures(s, r.equity)}</section>` : '',
    `<section><h2>Trade statistics</h2>${tradeStatsSection(r)}</section>`,
    `<section><h2>Benchmark: buy and hold</h2>${benchmarkSection(r)}</section>`,
    data.prices.length > 0 ? `<section><h2>Price and fills</h2>${priceCharts(data)}</section>` : '',
    charts(r),
    `<section><h2>Returns</h2>${returnsSection(r.days, r.months, r.relativeReturns)}</section>`,
    `<section><h2>Round trips</h2>${tripsTable(r.trips, priceDigitsOf(r.fills))}</section>`,
    `<section><h2>Denied and rejected orders</h2>${problemsSection(r.problems, s)}</section>`,
    `<section><h2>Per instrument</h2>${instrumentsTable(r.instruments)}</section>`,
    `<section><h2>Positions at the end</h2>${s ? positionsTable(s.positions) : '<p class="note">no summary stored</p>'}</section>`,
    `<section><h2>Fills</h2>${fillsTable(r.fills)}</section>`,
    `<details><summary>configuration of the run</summary><pre>${e(JSON.stringify(r.run.config, null, 2))}</pre></details>`,
    `<footer>engine report · run ${e(r.run.id)} · ${e(r.db)}</footer>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy([uplot.js, TEARSHEET_SCRIPT])}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run ${e(r.run.id)} (${e(r.run.mode)}) · engine report</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body.filter((x) => x !== '').join('\n')}
</main>
<script type="application/json" id="tearsheet-data">${jsonForScript(data)}</script>
<script>${uplot.js}</script>
<script>${TEARSHEET_SCRIPT}</script>
</body>
</html>
`;
}
