/** The report's only stylesheet, inlined: system fonts, no external resources. */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --card: #fff; --pos: #067647; --neg: #b42318;
  --accent: #2e5aac; --dd: #d92d20; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 24px 48px; }
header h1 { font-size: 24px; margin: 0 0 6px; }
header .meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; }
header .meta b { color: var(--fg); font-weight: 600; }
h2 { font-size: 17px; margin: 28px 0 10px; }
section { margin-top: 8px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; vertical-align: 3px;
  margin-left: 8px; background: #e4e7ec; }
.badge.finished { background: #dcfae6; color: var(--pos); }
.badge.failed { background: #fee4e2; color: var(--neg); }
.badge.running { background: #fef0c7; color: #93370d; }
.alerts { margin-top: 16px; padding: 10px 14px; border: 1px solid #fecdca; background: #fef3f2; border-radius: 8px; }
.alerts.info { border-color: #d0d5dd; background: #f9fafb; }
.alerts ul { margin: 4px 0; padding-left: 20px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.figure .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.figure .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.figure .sub { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.figure.main { border-color: #b2ccff; }
.pos { color: var(--pos); } .neg { color: var(--neg); }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg.chart .plot { fill: #fff; stroke: var(--line); }
svg.chart .grid { stroke: #eef0f3; stroke-width: 1; }
svg.chart .grid.zero { stroke: #98a2b3; }
svg.chart .tick { fill: var(--muted); }
svg.chart .axis-label { fill: var(--muted); font-size: 12px; }
svg.chart .empty { fill: var(--muted); font-size: 16px; }
svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 1.5; stroke-linejoin: round; }
svg.chart .marker { fill: #fff; stroke: var(--fg); stroke-width: 1.5; }
svg.chart .marker-label { fill: var(--fg); font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
#drawdown-chart .line { stroke: var(--dd); }
#drawdown-chart .area { fill: var(--dd); fill-opacity: .18; stroke: none; }
.table-wrap { overflow: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
.table-wrap.tall { max-height: 640px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: #f9fafb; font-size: 12px; color: var(--muted); font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) { background: #fcfcfd; }
td.buy { color: var(--pos); } td.sell { color: var(--neg); }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
details { margin-top: 28px; }
details pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow: auto; font-size: 12px; }
h3 { font-size: 14px; margin: 18px 0 8px; }
.muted { color: var(--muted); font-weight: 400; }
.note.warn { color: #93370d; background: #fffaeb; border: 1px solid #fedf89; border-radius: 8px; padding: 8px 12px; font-size: 13px; }
.benchmark-strategy { margin: 0 0 10px; }
table.compact th, table.compact td { padding: 4px 7px; font-size: 13px; }
table.compact td.id { font-size: 11px; }
td.wrap { white-space: normal; min-width: 260px; }
td.empty { background: #fafafa; }
.plot { width: 100%; }
.js .static-chart, .js .nojs { display: none; }
.uplot .u-legend { font-size: 12px; text-align: left; margin-top: 4px; }
.uplot .u-legend th { position: static; background: none; padding: 0 4px; }
.uplot .u-legend td { border: 0; padding: 0 4px; }
.uplot .u-legend tr { background: none; }
.uplot .u-select { background: rgba(46, 90, 172, .12); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;
