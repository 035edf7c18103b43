/**
 * The web dashboard end to end, in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no
 * browser is ever downloaded): a paper session in this process (fills from the simulated venue), its control source
 * and server, and the dashboard page. It enters the token (a wrong one first), sees fills appear, cancels an open order
 * from its row, halts trading and sees the next submit denied TRADING_HALTED, with no console error on the way.
 *
 * Screenshots: test-results/dashboard.png and /tmp/dashboard.png (the login form refusing a wrong token: dashboard-login.png).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { createAuditStore, loadAudit } from '../../engine/control/audit-store.js';
import { dashboardFiles } from '../../engine/control/dashboard/index.js';
import { createNodeSource, type NodeSource } from '../../engine/control/node-source.js';
import { startControlServer, type ControlServer } from '../../engine/control/server.js';
import { startLiveSession, type LiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { loadEquity, loadFills, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createFakeVenue } from '../kernel/fake-venue.js';
import { createFakeSource, orderRow, venueRow } from './fake-source.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`dashboard e2e test SKIPPED: ${CHROMIUM} is missing (apt-get install chromium); no browser is downloaded`);

const TOKEN = 'test-token-1234567890';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = [resolve(ROOT, 'test-results/dashboard.png'), '/tmp/dashboard.png'];
const TROUBLE_SHOTS = [resolve(ROOT, 'test-results/dashboard-trouble.png'), '/tmp/dashboard-trouble.png'];
const LOGIN_SHOTS = [resolve(ROOT, 'test-results/dashboard-login.png'), '/tmp/dashboard-login.png'];

type Ctx = { buy: (id: string, q: number, o: Record<string, unknown>) => string; sell: (id: string, q: number, o: Record<string, unknown>) => string };

/** expect.poll with room for a loaded machine (the page refreshes the status at most once a second). */
const poll = <T>(read: () => Promise<T> | T, timeout = 8_000) => expect.poll(read, { timeout, interval: 25 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not in time: ${what}`);
    await sleep(10);
  }
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  // browser first (its stream would otherwise reconnect), then the server, the source and the session
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A paper session with two strategies the test drives, its control source and server, serving the dashboard. */
async function startSession() {
  const v = createFakeVenue();
  const ctxs = new Map<string, Ctx>();
  const events: OrderEvent[] = [];
  const driven = (name: string) => defineStrategy({ name, onStart: (c) => void ctxs.set(name, c), onOrderEvent: (_c, e) => void events.push(e) });
  const db = openDatabase(':memory:');
  const config = resolveConfig({
    mode: 'paper', portfolio: 'desk', strategies: [{ use: 'alpha' }, { use: 'beta' }], storage: { path: ':memory:', flushIntervalMs: 1 },
    risk: { tradingState: 'ACTIVE' },
  });
  const live: LiveSession = await startLiveSession({
    config, definitions: new Map([['alpha', driven('alpha')], ['beta', driven('beta')]]), adapters: [v.adapter], instruments: [BTC], db, log: silentLogger(),
  });
  cleanup.push(() => live.stop(50).then(() => undefined));
  const node = live.node;
  const source: NodeSource = createNodeSource({
    node, venues: live.venues, venueIds: ['FAKE'], storedFills: loadFills(db, 'desk'),
    equity: () => loadEquity(db, node.runId).map((p) => [p.ts, p.equity] as const),
    auditStore: createAuditStore(db, node.runId), lastOperatorCounter: 0, startedAt: node.clock.now(),
  });
  cleanup.push(() => source.close());
  // the server's own warnings (e.g. a refused token) reach the source's log tail, as in a session
  const log = pino({ level: 'info' }, { write: (line: string) => source.log(JSON.parse(line) as Record<string, unknown>) });
  const { dir, assets } = dashboardFiles();
  const server: ControlServer = await startControlServer({ source, host: '127.0.0.1', port: 0, token: TOKEN, log, dashboardDir: dir, assets });
  cleanup.push(() => server.close());
  await until(() => ctxs.size === 2, 'strategies started');
  const sample = async (): Promise<void> => {
    node.dispatch(() => node.sampleEquity());
    await sleep(5);
  };
  v.quote(100);
  await sample();
  return { v, db, node, source, server, events, ctx: (id: string) => ctxs.get(id)!, sample };
}

/** Headless Chromium at 1280×800, collecting console errors and page errors (with the phase they happened in). */
async function openBrowser() {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  cleanup.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  let phase: '401 expected' | 'signed in' = '401 expected';
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    // the browser itself logs a refused request (HTTP 401): expected where the test provokes one, nowhere else
    if (phase === '401 expected' && /status of 401/.test(m.text())) return;
    consoleErrors.push(`${phase}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${phase}: page error: ${e.message}`));
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
  const setPhase = (p: typeof phase): void => {
    phase = p;
  };
  return { page, context, consoleErrors, byTestId, setPhase };
}

async function screenshot(page: Page, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true });
  }
}

describe('the web dashboard in headless Chromium', () => {
  it.skipIf(!HAS_CHROMIUM)('shows fills live, cancels an order from its row, halts trading (next submit denied TRADING_HALTED), refuses a wrong token', async () => {
    const s = await startSession();
    const { page, context, consoleErrors, byTestId, setPhase } = await openBrowser();

    await page.goto(s.server.url);

    // a wrong token: refused with the server's message, and asked again
    await byTestId('token-input').fill('wrong-token-0000000000');
    await byTestId('token-submit').click();
    await poll(() => byTestId('token-error').textContent()).toMatch(/Token refused: the control token is wrong/);
    await screenshot(page, LOGIN_SHOTS);
    expect(await byTestId('token-form').isVisible()).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    // the right token
    setPhase('signed in');
    await byTestId('token-input').fill(TOKEN);
    await byTestId('token-submit').click();
    await poll(() => byTestId('trading-state').textContent()).toBe('ACTIVE');
    await poll(() => byTestId('conn-state').textContent()).toBe('live');
    expect(await byTestId('token-form').isVisible()).toBe(false);
    expect(await byTestId('session-mode').textContent()).toBe('paper');

    // fills appear as the strategies trade
    const bought = s.ctx('alpha').buy(BTC.id, 2, { price: 101 }); // marketable: fills at the ask
    const sold = s.ctx('beta').sell(BTC.id, 0.5, { price: 100 });
    s.v.quote(100);
    await until(() => s.source.recentFills(10).length === 2, 'two fills in the engine');
    await poll(() => page.locator('[data-testid="fill-row"]').count()).toBe(2);
    await poll(() => page.locator(`[data-testid="fill-row"][data-client-order-id="${bought}"]`).count()).toBe(1);
    await poll(() => page.locator(`[data-testid="fill-row"][data-client-order-id="${sold}"]`).count()).toBe(1);
    // newest first
    expect(await page.locator('[data-testid="fill-row"]').first().getAttribute('data-client-order-id')).toBe(sold);
    // positions follow (the status refresh after the order events)
    await poll(() => page.locator(`[data-testid="position-row"][data-instrument-id="${BTC.id}"]`).textContent()).toContain('1.5');
    s.v.quote(103);
    await s.sample();

    // an open order: cancel it from its row, the simulated venue cancels it
    const resting = s.ctx('beta').buy(BTC.id, 1, { price: 90 });
    const kept = s.ctx('alpha').buy(BTC.id, 0.25, { price: 88.5 });
    await until(() => s.node.exec.order(resting)?.status === 'ACCEPTED' && s.node.exec.order(kept)?.status === 'ACCEPTED', 'orders accepted');
    const row = page.locator(`[data-testid="order-row"][data-client-order-id="${resting}"]`);
    await poll(() => row.count()).toBe(1);
    await page.locator(`[data-testid="cancel-order"][data-client-order-id="${resting}"]`).click();
    await until(() => s.node.exec.order(resting)?.status === 'CANCELED', 'order canceled at the venue');
    expect(s.events).toContainEqual(expect.objectContaining({ kind: 'OrderCanceled', clientOrderId: resting }));
    await poll(() => row.count()).toBe(0);
    expect(await page.locator(`[data-testid="order-row"][data-client-order-id="${kept}"]`).count()).toBe(1);
    await poll(() => byTestId('action-message').textContent()).toContain(`cancel ${resting}`);
    expect(loadAudit(s.db, s.node.runId)).toContainEqual(expect.objectContaining({ action: 'cancel-order', ok: true }));

    // a reload keeps the token (sessionStorage of this tab) and renders everything again, the equity curve included
    await s.sample();
    await page.reload();
    await poll(() => byTestId('conn-state').textContent()).toBe('live');
    expect(await byTestId('token-form').isVisible()).toBe(false);
    expect(await byTestId('trading-state').textContent()).toBe('ACTIVE');
    await poll(() => page.locator('[data-testid="equity"] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="fill-row"]').count()).toBe(2);
    expect(await page.locator(`[data-testid="order-row"][data-client-order-id="${kept}"]`).count()).toBe(1);

    // HALT: the badge says HALTED, the next submit is denied TRADING_HALTED, and the denial shows on the page
    await byTestId('halt-button').click();
    await poll(() => byTestId('trading-state').textContent()).toBe('HALTED');
    expect(s.node.risk.state).toBe('HALTED');
    await poll(() => byTestId('action-message').textContent()).toBe('HALT: trading state ACTIVE → HALTED');
    expect(loadAudit(s.db, s.node.runId)).toContainEqual(expect.objectContaining({ action: 'trading-state', ok: true, params: expect.objectContaining({ state: 'HALTED' }) }));
    const denied = s.ctx('alpha').buy(BTC.id, 1, { price: 95 });
    expect(s.events.at(-1)).toMatchObject({ kind: 'OrderDenied', code: 'TRADING_HALTED', clientOrderId: denied });
    await poll(() => page.locator(`[data-testid="denial-row"][data-client-order-id="${denied}"]`).textContent()).toContain('TRADING_HALTED');
    await poll(() => page.locator('[data-testid="denial-count"][data-code="TRADING_HALTED"]').textContent()).toMatch(/TRADING_HALTED\s*1/);
    // the refused token was logged as a warning: in the log tail
    await poll(() => byTestId('logs').textContent()).toMatch(/control request refused: wrong token/);

    // the token is in sessionStorage only: no cookie, no localStorage, not in the URL
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(page.url()).not.toContain(TOKEN);

    await screenshot(page, SHOTS);

    // forget the token: asked again
    await byTestId('forget-token').click();
    expect(await byTestId('token-form').isVisible()).toBe(true);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it.skipIf(!HAS_CHROMIUM)('shows holds, unknown-outcome and flagged orders, escapes what it shows, asks before stop / flatten / cancel all, reconnects', async () => {
    const source = createFakeSource();
    const evil = '<img src=x onerror="window.__xss=1">';
    source.venueRows = [
      { ...venueRow('transact'), connection: 'reconnecting', sync: 'reconciling', holdReason: 'reconciling after a reconnect', flagged: ['r7-quoter-3'], lastError: `HTTP 502 Bad Gateway ${evil}` },
      venueRow('ticktrader'),
    ];
    source.orderRows = [
      orderRow('r7-quoter-1'),
      orderRow('r7-quoter-2', { status: 'PENDING_CANCEL', inFlight: true, tsInit: 1_700_000_000_100 }),
      orderRow('r7-quoter-3', { status: 'SUBMITTED', inFlight: true, flagged: true, tsInit: 1_700_000_000_200 }),
    ];
    source.strategyRows = [
      { id: 'quoter', status: 'running', params: { spread: 0.001, size: 0.01 }, lastError: null, openOrders: 3 },
      { id: 'sma-cross', status: 'failed', params: {}, lastError: `onTick: TypeError: x is undefined ${evil}`, openOrders: 0 },
    ];
    source.logRows = [{ type: 'log', level: 'error', time: 1_700_000_050_000, msg: `order stream down ${evil}`, fields: { venue: 'transact' } }];
    const log = pino({ level: 'silent' });
    const { dir, assets } = dashboardFiles();
    let server = await startControlServer({ source, host: '127.0.0.1', port: 0, token: TOKEN, log, dashboardDir: dir, assets, now: () => 1_700_000_099_000 });
    const port = server.port;
    cleanup.push(() => server.close());
    const { page, consoleErrors, byTestId, setPhase } = await openBrowser();
    const answers: Array<string | boolean> = [];
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(`${d.type()}: ${d.message()}`);
      const a = answers.shift();
      void (a === false ? d.dismiss() : d.accept(typeof a === 'string' ? a : undefined));
    });

    await page.goto(server.url);
    setPhase('signed in');
    await byTestId('token-input').fill(TOKEN);
    await byTestId('token-submit').click();
    await poll(() => byTestId('conn-state').textContent()).toBe('live');

    // a held venue: in its row and in the banner; unknown-outcome and flagged orders marked
    expect(await byTestId('holds').textContent()).toBe('New orders to transact are held: reconciling after a reconnect');
    expect(await page.locator('[data-testid="venue-row"][data-venue="transact"]').textContent()).toContain('FLAGGED r7-quoter-3');
    expect(await page.locator('[data-testid="order-row"][data-client-order-id="r7-quoter-2"]').textContent()).toContain('outcome unknown');
    expect(await page.locator('[data-testid="order-row"][data-client-order-id="r7-quoter-3"]').textContent()).toMatch(/outcome unknown.*FLAGGED/);
    // every string is text: shown as it is, never run
    await poll(() => byTestId('logs').textContent()).toContain(`order stream down ${evil}`);
    expect(await byTestId('strategies').textContent()).toContain(evil);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);

    // stream messages: a log line, a state change, a venue change
    source.stream$.next({ type: 'log', level: 'warn', time: 1_700_000_070_000, msg: 'rate budget nearly used', fields: { venue: 'ticktrader' } });
    source.stream$.next({ type: 'state', tradingState: 'REDUCING', reason: 'cli' });
    await poll(() => byTestId('trading-state').textContent()).toBe('REDUCING');
    expect(await byTestId('logs').textContent()).toContain('rate budget nearly used');
    await screenshot(page, TROUBLE_SHOTS);
    source.venueRows[0] = venueRow('transact');
    source.stream$.next({ type: 'venue', venue: venueRow('transact') });
    await poll(() => byTestId('holds').isVisible()).toBe(false);

    // stop asks first; dismissed: nothing sent
    answers.push(false);
    await page.locator('[data-testid="stop-strategy"][data-strategy-id="quoter"]').click();
    expect(asked.at(-1)).toMatch(/^confirm: Stop strategy quoter\?/);
    expect(await page.locator('[data-testid="stop-strategy"][data-strategy-id="sma-cross"]').isDisabled()).toBe(true);
    answers.push(true);
    await page.locator('[data-testid="stop-strategy"][data-strategy-id="quoter"]').click();
    await until(() => source.actions.some((a) => a.method === 'stopStrategy'), 'stop sent');
    expect(source.actions).toEqual([{ method: 'stopStrategy', strategyId: 'quoter', reason: 'stopped from the dashboard' }]);

    // flatten: the instrument id has to be typed; a wrong one sends nothing
    answers.push('BTC-USD');
    await page.locator('[data-testid="flatten"][data-instrument-id="BTC-USD@transact"]').click();
    await poll(() => byTestId('action-message').textContent()).toMatch(/not flattened/);
    expect(source.actions).toHaveLength(1);
    answers.push('BTC-USD@transact');
    await page.locator('[data-testid="flatten"][data-instrument-id="BTC-USD@transact"]').click();
    await until(() => source.actions.length === 2, 'flatten sent');
    expect(source.actions[1]).toEqual({ method: 'flatten', instrumentId: 'BTC-USD@transact' });

    // cancel all asks first
    answers.push(true);
    await byTestId('cancel-all').click();
    await until(() => source.actions.length === 3, 'cancel all sent');
    expect(source.actions[2]).toEqual({ method: 'cancelAll', scope: {} });
    expect(asked.at(-1)).toMatch(/^confirm: Cancel all 3 open order/);

    // the session goes away and comes back on the same port: "reconnecting", then live again
    await server.close();
    await poll(() => byTestId('conn-state').textContent()).toMatch(/^reconnecting/);
    source.sessionView = { ...source.sessionView, tradingState: 'HALTED' };
    server = await startControlServer({ source, host: '127.0.0.1', port, token: TOKEN, log, dashboardDir: dir, assets });
    await poll(() => byTestId('conn-state').textContent(), 10_000).toBe('live');
    expect(await byTestId('trading-state').textContent()).toBe('HALTED');

    expect(consoleErrors).toEqual([]);
  }, 60_000);

  it.skipIf(!HAS_CHROMIUM)('watches a session started without a token (empty token field): read-only, its actions refused with the reason', async () => {
    const source = createFakeSource();
    const { dir, assets } = dashboardFiles();
    const server = await startControlServer({ source, host: '127.0.0.1', port: 0, token: undefined, log: pino({ level: 'silent' }), dashboardDir: dir, assets });
    cleanup.push(() => server.close());
    const { page, consoleErrors, byTestId } = await openBrowser();
    await page.goto(server.url);
    await byTestId('token-submit').click();
    await poll(() => byTestId('conn-state').textContent()).toBe('live');
    expect(await byTestId('auth-note').isVisible()).toBe(true);
    await byTestId('halt-button').click();
    await poll(() => byTestId('action-message').textContent()).toMatch(/HALT refused: control actions need a token/);
    expect(source.actions).toEqual([]);
    expect(consoleErrors).toEqual([]); // the refused action's 401 is the only one the browser logged
  }, 60_000);
});
