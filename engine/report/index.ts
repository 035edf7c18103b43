export { loadRunReport, type LoadRunReportOptions } from './load-run-report.js';
export { renderHtmlReport, MAX_CHART_POINTS } from './render-html-report.js';
export { MAX_FILL_ROWS } from './report-tables.js';
export { drawdownSeries } from './drawdown.js';
export { downsampleMinMax } from './downsample.js';
export { escapeHtml } from './escape-html.js';
export { instrumentStats } from './instrument-stats.js';
export { parseRunSummary } from './parse-summary.js';
export type { DrawdownPoint, EquityPoint, InstrumentStats, RunReport, StrategyRef } from './run-report.js';
