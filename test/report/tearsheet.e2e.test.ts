/**
 * The tearsheet end to end in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no browser
 * is ever downloaded): a real backtest of the default config (two strategies on EUR/USD) over a day of the sample
 * recording, `engine report --html`, the page opened from a file:// URL. No console error, no CSP violation, no request
 * but the page itself; the uPlot charts drew (canvases of non-zero size) and zoom together on a drag and come back on a
 * double-click; the numbers on the page are the ones computed here from the database's fills.
 *
 * Screenshot: test-results/tearsheet.png.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { D, ZERO, type Decimal } from '../../engine/model/decimal.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';
import { count, decimal, percent } from '../../engine/report/format.js';
import { tripRows } from '../../engine/report/load-run-report.js';
import { tradeStats } from '../../engine/report/trade-stats.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`tearsheet e2e test SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); no browser is downloaded`);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOT = resolve(ROOT, 'test-results/tearsheet.png');
const dir = mkdtempSync(join(tmpdir(), 'engine-tearsheet-'));
const db = join(dir, 'runs.db');
const html = join(dir, 'tearsheet.html');

const engine = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'engine/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Round trips counted without the report's code: per (strategy, instrument), a fill that leaves a position flat or flips it. */
function countTrips(fills: ReadonlyArray<{ strategyId: string; instrumentId: string; side: string; lastQty: string }>): number {
  const pos = new Map<string, Decimal>();
  let n = 0;
  for (const f of fills) {
    const k = `${f.strategyId}/${f.instrumentId}`;
    const before = pos.get(k) ?? ZERO;
    const after = f.side === 'buy' ? before.plus(D(f.lastQty)) : before.minus(D(f.lastQty));
    if (!before.isZero() && (after.isZero() || after.isNeg() !== before.isNeg())) n++;
    pos.set(k, after);
  }
  return n;
}

let expected: { trips: string; winRate: string; netPnl: string; strategies: string[] };

beforeAll(() => {
  const run = engine('backtest', '--db', db, '--to', '2014-05-06T00:00:00Z', '--json');
  expect(run.code, run.err).toBe(0);
  const report = engine('report', 'latest', '--db', db, '--html', html);
  expect(report.code, report.err).toBe(0);
  const d = openDatabase(db);
  try {
    const { portfolio_id: portfolioId, id } = d.prepare('SELECT id, portfolio_id FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; portfolio_id: string };
    const fills = loadFills(d, portfolioId).filter((f) => f.runId === id);
    const tags = new Map((d.prepare('SELECT client_order_id, tag FROM orders WHERE run_id = ? AND tag IS NOT NULL').all(id) as { client_order_id: string; tag: string }[])
      .map((r) => [r.client_order_id, r.tag]));
    const stats = tradeStats(tripRows(fills, tags, () => 1));
    expect(stats.trips).toBe(countTrips(fills));
    expect(stats.trips).toBeGreaterThan(10);
    expected = {
      trips: count(stats.trips), winRate: percent(stats.winRate!, 1), netPnl: decimal(stats.netPnl),
      strategies: [...new Set(fills.map((f) => f.strategyId))].sort(),
    };
  } finally {
    d.close();
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the tearsheet in headless Chromium', () => {
  it.skipIf(!HAS_CHROMIUM)('draws its charts offline with no error, zooms them together, and shows the trade statistics of the fills', async () => {
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const url = pathToFileURL(html).href;
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content.Security.Policy|Refused to/i.test(m.text())) errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(url);
      await page.waitForFunction('document.documentElement.getAttribute("data-charts") === "ready"', undefined, { timeout: 10_000 });

      // all three charts drew (one price chart: one instrument traded), with canvases of a real size
      expect(await page.locator('[data-rendered="true"]').count()).toBe(3);
      const canvases = page.locator('.uplot canvas');
      expect(await canvases.count()).toBe(3);
      for (let i = 0; i < 3; i++) {
        const box = await canvases.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(500);
        expect(box!.height).toBeGreaterThan(150);
      }
      // the static SVG fallback is hidden once the charts are drawn
      expect(await page.locator('#equity-chart').isVisible()).toBe(false);
      expect(await page.locator('#chart-problem').isVisible()).toBe(false);

      // drag across the equity chart: every chart redraws zoomed; a double-click brings them all back
      const pixels = (sel: string) => page.locator(`${sel} canvas`).evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
      const charts = ['#price-plot-0', '#equity-plot', '#drawdown-plot'];
      const before = await Promise.all(charts.map(pixels));
      const over = (await page.locator('#equity-plot .u-over').boundingBox())!;
      await page.locator('#equity-plot .u-over').scrollIntoViewIfNeeded();
      const area = (await page.locator('#equity-plot .u-over').boundingBox())!;
      expect(area.width).toBe(over.width);
      await page.mouse.move(area.x + area.width * 0.3, area.y + area.height / 2);
      await page.mouse.down();
      await page.mouse.move(area.x + area.width * 0.5, area.y + area.height / 2, { steps: 5 });
      await page.mouse.up();
      for (const [i, c] of charts.entries()) await expect.poll(() => pixels(c)).not.toBe(before[i]);
      await page.mouse.dblclick(area.x + area.width * 0.4, area.y + area.height / 2);
      for (const [i, c] of charts.entries()) await expect.poll(() => pixels(c)).toBe(before[i]);

      // the numbers on the page are those of the fills in the database
      const stat = (name: string) => page.locator(`[data-stat="${name}"]`).textContent();
      expect(await stat('trips')).toBe(expected.trips);
      expect(await stat('win-rate')).toBe(expected.winRate);
      expect(await stat('net-pnl')).toBe(expected.netPnl);
      expect(await page.locator('#strategy-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(expected.strategies);
      expect(await page.locator('#benchmark-table tbody tr').count()).toBe(1);

      mkdirSync(dirname(SHOT), { recursive: true });
      await page.screenshot({ path: SHOT, fullPage: true });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
