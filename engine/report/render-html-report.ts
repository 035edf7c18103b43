/**
 * One self-contained HTML page for a run: inline CSS and SVG, no script, no external resource (a CSP meta tag forbids
 * them too), so it opens offline and an injected string could not run. Everything from the database is escaped.
 */
import { downsampleMinMax } from './downsample.js';
import { escapeHtml as e } from './escape-html.js';
import { duration, money, percent, utc } from './format.js';
import { keyFigures } from './key-figures.js';
import { REPORT_CSS } from './report-style.js';
import { fillsTable, instrumentsTable, positionsTable } from './report-tables.js';
import type { RunReport } from './run-report.js';
import { lineChart } from './svg-chart.js';

/** Most points drawn per chart; longer curves keep the first, last, and each bucket's min and max. */
export const MAX_CHART_POINTS = 2000;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

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
  return `<section><h2>Equity</h2><div class="panel">${equityChart}</div><p class="note">${e(note(eq.length))}</p></section>
<section><h2>Drawdown</h2><div class="panel">${drawdownChart}</div><p class="note">${e(note(dd.length))}; equity minus its running peak</p></section>`;
}

export function renderHtmlReport(r: RunReport): string {
  const s = r.summary;
  const body = [
    header(r),
    alerts(r),
    s ? `<section><h2>Key figures</h2>${keyFigures(s, r.equity)}</section>` : '',
    charts(r),
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
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run ${e(r.run.id)} (${e(r.run.mode)}) · engine report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body.filter((x) => x !== '').join('\n')}
</main>
</body>
</html>
`;
}
