import { createHash } from 'node:crypto';
import { parse, valid, type HTMLElement } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../engine/kernel/summary.js';
import { createRun, loadFills, openDatabase, type Database } from '../../engine/persistence/index.js';
import { drawdownSeries, loadRunReport, MAX_CHART_POINTS, renderHtmlReport, type RunReport } from '../../engine/report/index.js';
import { chartData } from './chart-data.js';
import { flipFlopRun } from './fixtures.js';

const EVIL = '<img src=x onerror=alert(1)>';

function reportOf(db: Database, id: number | 'latest'): RunReport {
  const r = loadRunReport(db, id);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('the HTML report of a backtest', () => {
  let db: Database;
  let summary: RunSummary;
  let report: RunReport;
  let html: string;
  let root: HTMLElement;

  beforeAll(async () => {
    ({ db, summary } = await flipFlopRun());
    report = reportOf(db, summary.runId);
    html = renderHtmlReport(report);
    root = parse(html);
  });

  it('is well-formed HTML with a title, the run header and every section', () => {
    expect(valid(html)).toBe(true);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(root.querySelector('title')!.text).toContain(`Run ${summary.runId}`);
    const h1 = root.querySelector('h1')!.text;
    expect(h1).toContain(`Run ${summary.runId}`);
    expect(h1).toContain('backtest');
    expect(h1).toContain('finished');
    expect(root.querySelector('header')!.text).toContain('2014-05-05 08:00');
    const headings = root.querySelectorAll('h2').map((h) => h.text);
    expect(headings).toEqual([
      'Key figures', 'Trade statistics', 'Benchmark: buy and hold', 'Equity', 'Drawdown', 'Returns', 'Round trips',
      'Denied and rejected orders', 'Per instrument', 'Positions at the end', 'Fills',
    ]);
  });

  it('shows the key figures of the summary', () => {
    const figures = Object.fromEntries(root.querySelectorAll('.figure').map((f) => [f.querySelector('.label')!.text, f.querySelector('.value')!.text]));
    const money = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(figures['net PnL']).toBe(money(summary.netPnl));
    expect(figures['fees']).toBe(money(summary.fees));
    expect(figures['max drawdown']).toBe(money(summary.maxDrawdown));
    expect(figures['fills']).toBe(summary.fills.toLocaleString('en-US'));
    expect(figures['ticks']).toBe(summary.ticks.toLocaleString('en-US'));
  });

  it('draws one equity point per sample, the last at the final equity', () => {
    const chart = chartData(root.querySelector('#equity-chart')!);
    expect(report.equity.length).toBeGreaterThan(50);
    expect(chart.points.length).toBe(report.equity.length);
    const last = chart.points.at(-1)!;
    expect(Math.abs(last.y - report.equity.at(-1)!.equity)).toBeLessThanOrEqual(chart.yResolution);
    expect(Math.abs(last.y - summary.netPnl)).toBeLessThanOrEqual(chart.yResolution);
    expect(Math.abs(last.x - report.equity.at(-1)!.ts)).toBeLessThan(1000);
    // x grows with time
    expect(chart.svgPoints.every((p, i) => i === 0 || p.x >= chart.svgPoints[i - 1]!.x)).toBe(true);
  });

  it('draws the drawdown below zero, its lowest point at the max drawdown', () => {
    const svg = root.querySelector('#drawdown-chart')!;
    const chart = chartData(svg);
    expect(chart.points.length).toBe(report.drawdown.length);
    expect(Math.max(...chart.points.map((p) => p.y))).toBeLessThanOrEqual(chart.yResolution);
    const lowest = Math.max(...chart.svgPoints.map((p) => p.y));
    expect(summary.maxDrawdown).toBeGreaterThan(0);
    expect(Math.abs(chart.valueAt(lowest) + summary.maxDrawdown)).toBeLessThanOrEqual(chart.yResolution);
    expect(svg.querySelector('polygon.area')).not.toBeNull();
  });

  it('labels the time axis in UTC', () => {
    const svg = root.querySelector('#equity-chart')!;
    expect(svg.querySelectorAll('text.axis-label').map((t) => t.text)).toContain('time (UTC, 2014-05-05)');
    expect(svg.querySelectorAll('text.tick').map((t) => t.text)).toEqual(expect.arrayContaining(['08:15', '08:30', '08:45']));
  });

  it('lists one fills-table row per fill, in the stored order', () => {
    const rows = root.querySelectorAll('#fills-table tbody tr');
    const fills = loadFills(db, summary.portfolioId);
    expect(fills.length).toBe(summary.fills);
    expect(rows.length).toBe(fills.length);
    const first = rows[0]!.querySelectorAll('td').map((td) => td.text);
    expect(first[2]).toBe(fills[0]!.instrumentId);
    expect(first[4]).toBe(fills[0]!.side);
    expect(first[6]).toBe(fills[0]!.lastPrice);
    expect(first[9]).toBe(fills[0]!.clientOrderId);
  });

  it('has per-instrument and position tables', () => {
    const cells = root.querySelectorAll('#instruments-table tbody tr td').map((td) => td.text);
    expect(cells[0]).toBe('EURUSD.FXCM');
    expect(cells[1]).toBe(summary.fills.toLocaleString('en-US'));
    expect(root.querySelectorAll('#positions-table tbody tr').length).toBe(summary.positions.length);
  });

  it('needs nothing from the network and runs only the inline scripts its policy names by hash', () => {
    const scripts = root.querySelectorAll('script');
    const code = scripts.filter((s) => s.getAttribute('type') === undefined);
    expect(scripts.map((s) => s.getAttribute('type') ?? 'js')).toEqual(['application/json', 'js', 'js']);
    expect(scripts.every((s) => s.getAttribute('src') === undefined)).toBe(true);
    const csp = root.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+'; style-src 'unsafe-inline'; img-src data:$/);
    for (const s of code) expect(csp).toContain(`'sha256-${createHash('sha256').update(s.rawText, 'utf8').digest('base64')}'`);
    // outside the scripts: no event handler attribute, no link, no external URL in markup or styles
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/gi, '');
    expect(markup).not.toMatch(/https?:\/\//i);
    expect(markup).not.toMatch(/\son[a-z]+\s*=/i);
    expect(markup).not.toMatch(/<link|@import|url\(/i);
  });

  it('escapes instrument ids, strategy ids and error messages from the database', async () => {
    const { db: evilDb, summary: s } = await flipFlopRun(undefined, { to: Date.UTC(2014, 4, 5, 8, 20) });
    expect(s.fills).toBeGreaterThan(0);
    evilDb.prepare('UPDATE fills SET instrument_id = ?, strategy_id = ?, client_order_id = ?').run(EVIL, `${EVIL}"'&`, EVIL);
    const stored: RunSummary = {
      ...s,
      positions: s.positions.map((p) => ({ ...p, instrumentId: EVIL })),
      strategyFailures: [{ id: EVIL, during: 'onTick', error: `</li></ul><script>alert(1)</script>` }],
      deniedByCode: { [EVIL]: 1 } as RunSummary['deniedByCode'],
    };
    evilDb.prepare('UPDATE runs SET summary_json = ?, portfolio_id = portfolio_id WHERE id = ?').run(JSON.stringify(stored), s.runId);
    // the fills now name the order EVIL: give one order that id and a hostile tag
    evilDb.prepare('UPDATE orders SET client_order_id = ?, tag = ? WHERE rowid = (SELECT min(rowid) FROM orders)').run(EVIL, `</script><script>alert(1)</script>${EVIL}`);
    const page = renderHtmlReport(reportOf(evilDb, s.runId));
    expect(page).not.toContain(EVIL);
    expect(page).not.toContain('<script>alert(1)');
    // the JSON data block has no '<' (nothing in it can close the tag) and parses back
    const json = /<script type="application\/json" id="tearsheet-data">([^<]*)<\/script>/.exec(page);
    expect(json).not.toBeNull();
    expect(() => JSON.parse(json![1]!) as unknown).not.toThrow();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const doc = parse(page);
    expect(doc.querySelectorAll('img')).toEqual([]);
    expect(doc.querySelectorAll('script').length).toBe(3);
    expect(doc.querySelector('#trips-table tbody tr')!.querySelectorAll('td').at(-1)!.text).toBe(`</script><script>alert(1)</script>${EVIL}`);
    expect(doc.querySelectorAll('[onerror]')).toEqual([]);
    const cells = doc.querySelector('#fills-table tbody tr')!.querySelectorAll('td').map((td) => td.text);
    // shown as text, exactly as stored (the parser decodes the entities, as a browser does)
    expect(cells[2]).toBe(EVIL);
    expect(cells[3]).toBe(`${EVIL}"'&`);
    expect(doc.querySelector('#instruments-table td')!.text).toBe(EVIL);
    expect(doc.querySelector('#positions-table td')!.text).toBe(EVIL);
    expect(doc.querySelector('.alerts')!.text).toContain('</li></ul><script>alert(1)</script>');
  });

  it('puts the chart data in a JSON block without float residue in the money', () => {
    const data = JSON.parse(root.querySelector('#tearsheet-data')!.rawText) as { equity: { v: number[] }; drawdown: { v: number[] } };
    expect(data.drawdown.v.length).toBeGreaterThan(50);
    // a sum of exact decimals of a few digits printed as a double shows its residue as a long run of 0s or 9s
    const residue = /\.\d*(0{7,}|9{7,})\d/;
    expect([...data.equity.v, ...data.drawdown.v].map(String).filter((v) => residue.test(v))).toEqual([]);
    expect(Math.min(...data.drawdown.v)).toBe(-summary.maxDrawdown);
  });

  it('says why there is no benchmark nor price chart when the run\'s data cannot be read, and still renders the rest', async () => {
    // the fixture's config names no data files (its ticks were handed over directly)
    expect(root.querySelector('#prices-problem')!.text).toContain("the run's config names no data files (backtest.data)");
    const { db: movedDb, summary: s } = await flipFlopRun(undefined, { to: Date.UTC(2014, 4, 5, 8, 20) });
    const config = { ...(reportOf(movedDb, s.runId).run.config as object), backtest: { data: [{ file: 'data/sample/moved-away.tkr' }] } };
    movedDb.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(config), s.runId);
    const r = reportOf(movedDb, s.runId);
    expect(r.prices).toEqual({ ok: false, problem: "the run's data cannot be read: data/sample/moved-away.tkr: no such file" });
    const doc = parse(renderHtmlReport(r));
    expect(doc.querySelector('#prices-problem')!.text).toBe("No benchmark and no price chart: the run's data cannot be read: data/sample/moved-away.tkr: no such file.");
    expect(doc.querySelectorAll('h2').map((h) => h.text)).not.toContain('Price and fills');
    expect(doc.querySelector('#benchmark-table')).toBeNull();
    expect(doc.querySelector('[data-stat="trips"]')!.text).toBe(String(r.trips.length));
  });

  it('draws a long curve with at most 2,000 points, keeping its last point and the drawdown trough', () => {
    const n = 50_000;
    const t0 = Date.UTC(2024, 0, 1);
    const equity = Array.from({ length: n }, (_, i) => ({
      ts: t0 + i * 60_000,
      equity: 1000 + 50 * Math.sin(i / 500) + (i === 31_337 ? -400 : 0),
    }));
    const big: RunReport = { ...report, equity, drawdown: drawdownSeries(equity) };
    const doc = parse(renderHtmlReport(big));
    const eq = chartData(doc.querySelector('#equity-chart')!);
    const dd = chartData(doc.querySelector('#drawdown-chart')!);
    expect(eq.points.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(eq.points.length).toBeGreaterThan(MAX_CHART_POINTS / 2);
    expect(dd.points.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(Math.abs(eq.points.at(-1)!.y - equity.at(-1)!.equity)).toBeLessThanOrEqual(eq.yResolution);
    const trough = Math.min(...big.drawdown.map((p) => p.drawdown));
    expect(trough).toBeLessThan(-400);
    expect(Math.abs(Math.min(...dd.points.map((p) => p.y)) - trough)).toBeLessThanOrEqual(dd.yResolution);
    expect(doc.querySelector('#equity-chart')!.closest('section')!.text).toContain('of 50,000 samples drawn');
  });

  it('renders a run that is still running: no key figures, a note, empty charts and tables', () => {
    const fresh = openDatabase(':memory:');
    const id = createRun(fresh, { mode: 'paper', portfolioId: 'main', startedAt: Date.UTC(2024, 0, 1), config: {} });
    const page = renderHtmlReport(reportOf(fresh, id));
    const doc = parse(page);
    expect(valid(page)).toBe(true);
    expect(doc.querySelector('h1')!.text).toContain('running');
    expect(doc.querySelector('.alerts')!.text).toContain('no summary stored');
    expect(doc.querySelectorAll('h2').map((h) => h.text)).not.toContain('Key figures');
    expect(doc.querySelector('[data-stat="trips"]')!.text).toBe('0');
    expect(doc.querySelector('#equity-chart')!.text).toContain('no samples');
    expect(doc.querySelector('#drawdown-chart')).not.toBeNull();
    expect(doc.querySelector('#fills-table')).toBeNull();
    expect(page).toContain('no fills in this run');
  });
});
