import { describe, expect, it } from 'vitest';
import { resolveConfig, type EngineConfigInput } from '../../engine/config/config.js';
import { formatSummary } from '../../engine/cli/format-summary.js';
import { startLiveSession, type LiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { loadEvents, loadFills, openDatabase, type Database } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, createFakeVenue, type FakeVenue } from './fake-venue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** A strategy the test drives: `orders.buy(price)` places a limit buy of 1 from inside the engine; events are kept. */
function driven() {
  const events: OrderEvent[] = [];
  let ctxRef: { buy: (id: string, q: number, o: { price: number }) => string; cancel: (id: string) => void } | undefined;
  const definition = defineStrategy({
    name: 'driven',
    onStart(ctx) {
      ctxRef = ctx;
    },
    onOrderEvent(_ctx, e) {
      events.push(e);
    },
  });
  return {
    definition, events,
    buy: (price = 100) => ctxRef!.buy(BTC.id, 1, { price }),
    cancel: (id: string) => ctxRef!.cancel(id),
    last: () => events.at(-1),
  };
}

async function session(venue: FakeVenue, db: Database, s: ReturnType<typeof driven>, live: EngineConfigInput['live'] = {}): Promise<LiveSession> {
  const config = resolveConfig({
    mode: 'live', portfolio: 'desk', strategies: [{ use: 'driven' }], storage: { path: ':memory:', flushIntervalMs: 1 },
    live: { retryInitialMs: 50, retryMaxMs: 200, inFlightTimeoutMs: 100, inFlightCheckIntervalMs: 20, inFlightMaxChecks: 3, neverReceivedAfterMs: 300, fillMarkIntervalMs: 20, ...live },
  });
  const live$ = await startLiveSession({ config, definitions: new Map([['driven', s.definition]]), adapters: [venue.adapter], instruments: [BTC], db, log: silentLogger() });
  await live$.firstSync;
  return live$;
}

describe('holding new orders while the engine cannot see a venue', () => {
  it('holds new orders while the venue\'s stream is down though its REST API works, and releases them once it is back and reconciled', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    v.state$.next('reconnecting');
    s.buy();
    expect(s.last()).toMatchObject({ kind: 'OrderDenied', code: 'NOT_RECONCILED' });
    expect((s.last() as { message: string }).message).toMatch(/FAKE is reconnecting/);
    expect(live.venues()[0]).toMatchObject({ state: 'blind', holdReason: expect.stringMatching(/reconnecting/) });
    expect(v.submitted).toHaveLength(0);
    v.state$.next('connected');
    await until(() => live.venues()[0]!.state === 'synced');
    s.buy();
    expect(s.last()?.kind).toBe('OrderSubmitted');
    await live.stop(100);
  });

  it('retries a failed reconciliation with a growing delay, without a reconnect, and trades once it passes', async () => {
    const v = createFakeVenue();
    v.faults.failQueries = 4; // the first pass asks three queries at once (all fail), the second fails on its first
    const s = driven();
    const db = openDatabase(':memory:');
    const config = resolveConfig({
      mode: 'live', portfolio: 'desk', strategies: [{ use: 'driven' }], storage: { path: ':memory:', flushIntervalMs: 1 },
      live: { retryInitialMs: 40, retryMaxMs: 1_000 },
    });
    const live = await startLiveSession({ config, definitions: new Map([['driven', s.definition]]), adapters: [v.adapter], instruments: [BTC], db, log: silentLogger() });
    await until(() => live.venues()[0]!.failedReconciliations === 1);
    s.buy();
    expect(s.last()).toMatchObject({ kind: 'OrderDenied', code: 'NOT_RECONCILED' });
    expect((s.last() as { message: string }).message).toMatch(/reconciliation with FAKE failed \(HTTP 502 Bad Gateway\); retrying in/);
    await live.firstSync;
    expect(live.venues()[0]).toMatchObject({ state: 'synced', failedReconciliations: 2, reconciliations: 1, holdReason: undefined });
    s.buy();
    expect(s.last()?.kind).toBe('OrderSubmitted');
    const summary = await live.stop(100);
    expect(summary.venues?.[0]).toMatchObject({ failedReconciliations: 2 });
  });
});

describe('continuous in-flight checks', () => {
  it('settles an order whose submit answer was lost, without a reconnect, and never sends it again', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    v.faults.loseSubmitAnswers = true;
    const id = s.buy();
    await until(() => live.node.exec.order(id)?.status === 'ACCEPTED');
    expect(v.submitted.filter((c) => c.clientOrderId === id)).toHaveLength(1);
    expect(live.venues()[0]!.ordersSettled).toBeGreaterThanOrEqual(1);
    await live.stop(200);
  });

  it('takes an order the venue never received as not placed once it is old enough', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    v.faults.loseSubmitAnswers = true;
    const id = s.buy();
    v.orders.delete(id); // lost on the way: the venue never saw it
    await until(() => live.node.exec.order(id)?.status === 'REJECTED', 3_000);
    expect(s.events.find((e) => e.clientOrderId === id && e.kind === 'OrderRejected')).toMatchObject({ reason: 'reconciled: the venue never received it' });
    await live.stop(100);
  });

  it('cancels again an order whose cancel never arrived, and closes it once the venue has canceled it', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    const id = s.buy();
    await until(() => live.node.exec.order(id)?.status === 'ACCEPTED');
    v.faults.dropCancels = 1;
    s.cancel(id);
    expect(live.node.exec.order(id)?.status).toBe('PENDING_CANCEL');
    await until(() => live.node.exec.order(id)?.status === 'CANCELED');
    expect(v.canceled.filter((c) => c.clientOrderId === id)).toHaveLength(1); // the resent one
    expect(live.venues()[0]!.cancelsResent).toBeGreaterThanOrEqual(1);
    await live.stop(100);
  });

  it('closes an order whose cancel answer was lost, as the venue says, and a strategy\'s second cancel is not dropped', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s, { inFlightTimeoutMs: 5_000 });
    const id = s.buy();
    await until(() => live.node.exec.order(id)?.status === 'ACCEPTED');
    v.faults.dropCancels = 1;
    s.cancel(id);
    await sleep(1_100); // past the engine's resend time for a cancel asked again (1 s), before any in-flight check
    s.cancel(id);
    await until(() => live.node.exec.order(id)?.status === 'CANCELED');
    expect(v.canceled).toHaveLength(1);
    await live.stop(100);
  });

  it('flags an order whose cancel the venue never carries out, though the cancel is sent again at every check', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    const id = s.buy();
    await until(() => live.node.exec.order(id)?.status === 'ACCEPTED');
    v.faults.dropCancels = 1_000;
    s.cancel(id);
    await until(() => live.venues()[0]!.flagged.includes(id));
    expect(live.venues()[0]!.cancelsResent).toBeGreaterThanOrEqual(2);
    v.faults.dropCancels = 0;
    await until(() => live.node.exec.order(id)?.status === 'CANCELED'); // the next resend gets through
    await until(() => !live.venues()[0]!.flagged.includes(id));
    await live.stop(50);
  });

  it('flags an order whose state the venue never tells after the set number of checks, keeps it, and says so in the summary', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    v.faults.loseSubmitAnswers = true;
    v.faults.statusDown = true;
    const id = s.buy();
    await until(() => live.venues()[0]!.flagged.includes(id));
    expect(live.node.exec.order(id)?.status).toBe('SUBMITTED');
    v.faults.dropCancels = 10; // the stop's cancel is lost too: the order is still unresolved when the session ends
    const summary = await live.stop(50);
    expect(summary.venues?.[0]?.flagged ?? []).toContain(id);
    expect(summary.openAtEnd).toEqual([{ clientOrderId: id, status: 'PENDING_CANCEL', venue: 'FAKE' }]);
    expect(formatSummary(summary, { elapsedMs: 1, db: ':memory:' })).toMatch(/NOT A CLEAN STOP: 1 order\(s\) still open or in an unknown state: driven-1-1 PENDING_CANCEL\n  check them at FAKE/);
  });
});

describe('stopping a live session', () => {
  it('cancels again an order whose cancel the venue refused (it overtook the submit), so the stop is clean', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    const id = s.buy();
    await until(() => live.node.exec.order(id)?.status === 'ACCEPTED');
    v.faults.refuseCancels = 1;
    const summary = await live.stop(2_000);
    expect(v.canceled.filter((c) => c.clientOrderId === id)).toHaveLength(2);
    expect(summary.openAtEnd).toEqual([]);
    expect(summary.canceledAtStop).toBe(1);
    expect(formatSummary(summary, { elapsedMs: 1, db: ':memory:' })).toMatch(/stop: 1 open order\(s\) canceled/);
  });
});

describe('reconciling again when the streams may have missed something', () => {
  it('reconciles when a venue event names an order it has no record of, adopting the order and applying its fill', async () => {
    const v = createFakeVenue();
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    v.placeUnstored('driven-99-1', 1, 100); // placed before the session, never stored, and not open at the start
    v.fill('driven-99-1', 1); // its fill comes on the stream: the engine cannot apply it to an order it does not know
    await until(() => live.node.exec.order('driven-99-1')?.status === 'FILLED');
    expect(live.node.portfolio.quantity(BTC.id)).toBe(1);
    expect(live.venues()[0]).toMatchObject({ reconciliations: 2, ordersAdopted: 1, fillsRecovered: 1 });
    await live.stop(50);
  });

  it('reconciles when the adapter says it dropped a frame of the order stream', async () => {
    const v = createFakeVenue();
    const live = await session(v, openDatabase(':memory:'), driven());
    v.resync$.next('a malformed frame on the order stream was dropped');
    await until(() => live.venues()[0]!.reconciliations === 2);
    await live.stop(50);
  });
});

describe('a restart on the same database', () => {
  it('asks for fills from the stored fill mark, so a fill made during an outage longer than any fixed lookback is applied once', async () => {
    const v = createFakeVenue();
    const db = openDatabase(':memory:');
    const first = driven();
    const live1 = await session(v, db, first);
    const id = first.buy();
    await until(() => live1.node.exec.order(id)?.status === 'ACCEPTED');
    await live1.stop(50); // the stop cancels it: make it rest again at the venue, as if the cancel came too late
    const o = v.orders.get(id)!;
    o.report = { ...o.report, status: 'ACCEPTED' };
    // the session ended ten minutes ago (its stored mark says so); the fill came five minutes ago
    db.prepare(`UPDATE venue_sync SET fills_complete_until = ?`).run(Date.now() - 600_000);
    db.prepare(`UPDATE orders SET status = 'ACCEPTED'`).run();
    v.fill(id, 1, { silent: true, at: Date.now() - 300_000 });
    const live2 = await session(v, db, driven(), { reconcileMarginMs: 1_000 });
    expect(v.fillQueries.at(-1)).toBeLessThan(Date.now() - 600_000);
    expect(live2.node.exec.order(id)).toMatchObject({ status: 'FILLED', filledQty: 1 });
    expect(live2.venues()[0]!.fillsRecovered).toBe(1);
    await live2.stop(50);
    expect(loadFills(db, 'desk')).toHaveLength(1);
  });

  it('takes over the open orders of an earlier run: not adopted again, its fill applied to it, and it can be canceled', async () => {
    const v = createFakeVenue();
    const db = openDatabase(':memory:');
    const first = driven();
    const live1 = await session(v, db, first);
    const id = first.buy();
    await until(() => live1.node.exec.order(id)?.status === 'ACCEPTED');
    live1.node.close(); // a crash: nothing is stopped or canceled, what was written stays
    for (const s of [v.state$]) s.next('reconnecting');
    const second = driven();
    const live2 = await session(v, db, second);
    expect(live2.node.exec.openOrders().map((o) => o.clientOrderId)).toEqual([id]);
    expect(live2.venues()[0]!.ordersAdopted).toBe(0);
    v.fill(id, 0.4);
    await until(() => live2.node.exec.order(id)?.filledQty === 0.4);
    second.cancel(id);
    await until(() => live2.node.exec.order(id)?.status === 'CANCELED');
    await live2.stop(50);
    const kinds = loadEvents(db, live2.node.runId).filter((e) => e.event.clientOrderId === id).map((e) => e.event.kind);
    expect(kinds).toEqual(['OrderFilled', 'OrderPendingCancel', 'OrderCanceled']);
  });

  it('halts trading when a venue that keeps positions disagrees with the portfolio, and says so', async () => {
    const v = createFakeVenue();
    v.positions = [{ venue: 'FAKE', instrumentId: BTC.id, quantity: 2, tsLast: Date.now() }];
    const s = driven();
    const live = await session(v, openDatabase(':memory:'), s);
    expect(live.node.risk.state).toBe('HALTED');
    expect(live.venues()[0]!.positions).toMatchObject({ ok: false, differences: [{ instrumentId: BTC.id, engine: '0', venue: '2' }] });
    await live.stop(50);
  });

  it('takes the venue\'s position as the truth when configured: an adjusting fill, stored, and trading goes on', async () => {
    const v = createFakeVenue();
    v.positions = [{ venue: 'FAKE', instrumentId: BTC.id, quantity: -0.5, avgPrice: 101.5, tsLast: Date.now() }];
    const db = openDatabase(':memory:');
    const live = await session(v, db, driven(), { onPositionMismatch: 'venue' });
    expect(live.node.risk.state).toBe('ACTIVE');
    expect(live.node.portfolio.quantity(BTC.id)).toBe(-0.5);
    const summary = await live.stop(50);
    expect(summary.positionsVerified).toBe(true);
    expect(loadFills(db, 'desk')).toMatchObject([{ side: 'sell', lastQty: '0.5', lastPrice: '101.5', strategyId: 'reconcile' }]);
  });
});
