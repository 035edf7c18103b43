import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import { startLiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import type { FillReport } from '../../engine/model/reports.js';
import type { Tick } from '../../engine/model/tick.js';
import { loadFills, openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';

const BTC = defineInstrument({ id: 'BTCUSD.FAKE', venue: 'FAKE', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.001 });
const settle = () => new Promise((r) => setTimeout(r, 20));

/** A venue in-process: fills every order at its limit a moment later; can also report fills made "while disconnected". */
function fakeVenue(opts: { refuse?: boolean } = {}) {
  const ticks$ = new Subject<Tick>();
  const state$ = new BehaviorSubject<ConnectionState>('connecting');
  const events$ = new Subject<VenueOrderEvent>();
  const submitted: SubmitOrder[] = [];
  const offline: FillReport[] = [];
  const subscribed: string[] = [];
  let trade = 0;
  const adapter: VenueAdapter = {
    venue: 'FAKE',
    state$,
    async connect() {
      if (opts.refuse) throw new Error('FAKE: credentials refused (401) — check FAKE_API_KEY');
      state$.next('connected');
    },
    async close() {
      state$.next('closed');
    },
    instruments: async () => [BTC],
    marketData: { ticks$, subscribe: (id) => void subscribed.push(id), unsubscribe: () => {} },
    execution: {
      venue: 'FAKE',
      events$,
      submit(c) {
        submitted.push(c);
        setTimeout(() => {
          const base = { clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: Date.now() };
          events$.next({ kind: 'OrderAccepted', ...base, venueOrderId: `V${c.clientOrderId}` });
          events$.next({ kind: 'OrderFilled', ...base, venue: 'FAKE', venueOrderId: `V${c.clientOrderId}`, tradeId: `T${++trade}`, side: c.side, lastQty: c.quantity, lastPrice: c.price ?? 100, fee: 0, feeCurrency: 'USD', liquidity: 'taker' });
        }, 1);
      },
      cancel: () => {},
      modify: () => {},
      openOrders: async () => [],
      fills: async () => offline,
      orderStatus: async () => undefined,
    },
  };
  return { adapter, ticks$, state$, submitted, offline, subscribed, quote: (bid: number) => ticks$.next({ kind: 'quote', instrumentId: BTC.id, tsEvent: Date.now(), tsInit: Date.now(), bid, ask: bid + 1 }) };
}

const buyer = defineStrategy({
  name: 'buyer',
  vars: () => ({ done: false }),
  onTick(ctx, tick) {
    if (tick.kind === 'quote' && !ctx.vars.done) {
      ctx.vars.done = true;
      ctx.buy(BTC.id, 0.5, { price: tick.ask });
    }
  },
});

async function session(mode: 'live' | 'paper', venue: ReturnType<typeof fakeVenue>, db = openDatabase(':memory:')) {
  const config = resolveConfig({ mode, portfolio: 'desk', strategies: [{ use: 'buyer' }], storage: { path: ':memory:', flushIntervalMs: 1 } });
  const s = await startLiveSession({ config, definitions: new Map([['buyer', buyer]]), adapters: [venue.adapter], instruments: [BTC], db, log: silentLogger() });
  return { s, db };
}

describe('a live session over a venue adapter', () => {
  it('trades through the adapter, stores the fill and subscribes the configured instruments', async () => {
    const v = fakeVenue();
    const { s, db } = await session('live', v);
    await settle();
    v.quote(100);
    await settle();
    expect(v.subscribed).toEqual([BTC.id]);
    expect(v.submitted.map((c) => [c.side, c.quantity, c.price])).toEqual([['buy', 0.5, 101]]);
    expect(s.node.portfolio.view(BTC.id).quantity).toBe(0.5);
    const summary = await s.stop(100);
    expect(summary.positionsVerified).toBe(true);
    expect(loadFills(db, 'desk')).toHaveLength(1);
  });

  it('applies fills made while disconnected once, after the reconnect', async () => {
    const v = fakeVenue();
    const { s } = await session('live', v);
    await settle();
    v.quote(100);
    await settle();
    const id = v.submitted[0]!.clientOrderId;
    // the venue fills more of it while we are away (a second trade); reconciliation brings it in, once
    v.state$.next('reconnecting');
    v.offline.push({ venue: 'FAKE', instrumentId: BTC.id, clientOrderId: id, venueOrderId: `V${id}`, tradeId: 'T1', side: 'buy', lastQty: 0.5, lastPrice: 101, fee: 0, feeCurrency: 'USD', liquidity: 'taker', tsEvent: Date.now() });
    v.state$.next('connected');
    await settle();
    v.state$.next('connected');
    await settle();
    expect(s.node.portfolio.view(BTC.id).quantity).toBe(0.5); // T1 was already applied: not twice
    expect(s.node.exec.stats.fills).toBe(1);
    expect(s.node.exec.stats.duplicateFills).toBe(0); // re-read by reconciliation, not sent twice by the venue
    await s.stop(100);
  });

  it('in paper mode takes fills from the simulated venue and never calls the adapter\'s order entry', async () => {
    const v = fakeVenue();
    const { s } = await session('paper', v);
    await settle();
    v.quote(100);
    await settle();
    v.quote(100);
    await settle();
    expect(v.submitted).toEqual([]);
    expect(s.node.portfolio.view(BTC.id).quantity).toBe(0.5);
    await s.stop(100);
  });

  it('refuses to start when the venue refuses the credentials, with its message', async () => {
    await expect(session('live', fakeVenue({ refuse: true }))).rejects.toThrow(/credentials refused/);
  });
});

describe('warming a strategy up on the venue\'s history', () => {
  it('feeds the last closed bars before any live tick, and holds orders placed meanwhile', async () => {
    const v = fakeVenue();
    const asked: Array<[string, number, number]> = [];
    const t0 = Date.now() - 10 * 60_000;
    Object.assign(v.adapter, {
      warmupBars: async (id: string, periodMs: number, count: number) => {
        asked.push([id, periodMs, count]);
        return Array.from({ length: count }, (_, i) => ({
          kind: 'bar' as const, instrumentId: id, tsEvent: t0 + (i + 1) * periodMs, tsInit: t0 + (i + 1) * periodMs, periodMs,
          open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 0,
        }));
      },
    });
    const seen: string[] = [];
    const warm = defineStrategy({
      name: 'warm',
      onTick(ctx, tick) {
        seen.push(tick.kind);
        if (tick.kind === 'bar' && seen.length === 1) ctx.buy(BTC.id, 0.1, { price: 100 }); // during warm-up: held
      },
      onOrderEvent(_ctx, e) {
        if (e.kind === 'OrderDenied') seen.push(`denied:${e.code}`);
      },
    });
    const config = resolveConfig({
      mode: 'live', portfolio: 'desk', strategies: [{ use: 'warm', warmup: { instrument: BTC.id, periodMs: 60_000, bars: 5 } }],
      storage: { path: ':memory:', flushIntervalMs: 1 },
    });
    const s = await startLiveSession({ config, definitions: new Map([['warm', warm]]), adapters: [v.adapter], instruments: [BTC], db: openDatabase(':memory:'), log: silentLogger() });
    await settle();
    v.quote(100);
    await settle();
    expect(asked).toEqual([[BTC.id, 60_000, 5]]);
    expect(seen).toEqual(['bar', 'denied:NOT_RECONCILED', 'bar', 'bar', 'bar', 'bar', 'quote']);
    expect(v.submitted).toEqual([]);
    await s.stop(100);
  });
});
