/**
 * Paper mode restarted while a one-cancels-other member was released and waiting for its sibling's cancel (the stop of
 * a stop + take-profit pair, its take-profit's cancel not yet answered): the simulated venue starts empty, so the
 * take-profit is gone with it, and the stop goes at the start, as live sends it once the venue says it does not have it.
 * Before, paper canceled the stop too and left the position unprotected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import { startLiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import type { Tick } from '../../engine/model/tick.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { eventually } from '../venues/apifiny/test-client.js';

const BTC = defineInstrument({ id: 'BTCUSD.FAKE', venue: 'FAKE', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.001 });

/** Market data only (paper trades on the simulated venue). */
function dataVenue() {
  const ticks$ = new Subject<Tick>();
  const state$ = new BehaviorSubject<ConnectionState>('connecting');
  const adapter: VenueAdapter = {
    venue: 'FAKE', state$,
    connect: async () => void state$.next('connected'),
    close: async () => void state$.next('closed'),
    instruments: async () => [BTC],
    marketData: { ticks$, subscribe: () => {}, unsubscribe: () => {} },
  };
  return { adapter, quote: (bid: number) => ticks$.next({ kind: 'quote', instrumentId: BTC.id, tsEvent: Date.now(), tsInit: Date.now(), bid, ask: bid + 1, bidSize: 5, askSize: 5 }) };
}

/** The take-profit's and the stop's ids, as the strategy placed them. */
const ids: { tp?: string; sl?: string } = {};

const guard = defineStrategy({
  name: 'guard',
  onTick(ctx, tick) {
    if (tick.kind !== 'quote') return;
    if (!ctx.state.get('bought')) {
      ctx.state.set('bought', true);
      ctx.buy(BTC.id, 0.5, { price: tick.ask, timeInForce: 'IOC' });
      return;
    }
    if (ctx.position(BTC.id).quantity === 0.5 && !ctx.state.get('guarded')) {
      ctx.state.set('guarded', true);
      ids.tp = ctx.sell(BTC.id, 0.5, { price: 200 });
      ids.sl = ctx.sell(BTC.id, 0.5, { stop: 90, trigger: 'bid_ask', ocoWith: ids.tp });
    }
  },
});

describe('paper restarted while a released stop waited for its take-profit\'s cancel', () => {
  it('sends the stop at the start (the take-profit is gone with the old simulated venue): the position is closed, not left open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-paper-released-'));
    try {
      const path = join(dir, 'paper.db');
      // cancels at the simulated venue take a minute: the stop stays RELEASED, waiting
      const config = resolveConfig({
        mode: 'paper', portfolio: 'desk', strategies: [{ use: 'guard' }], storage: { path, flushIntervalMs: 1 },
        sim: { latencyMs: { submit: 0, cancel: 60_000, modify: 0 } },
      });
      const start = async () => {
        const v = dataVenue();
        const db = openDatabase(path);
        const s = await startLiveSession({ config, definitions: new Map([['guard', guard]]), adapters: [v.adapter], instruments: [BTC], db, log: silentLogger() });
        return { v, s, db };
      };

      const first = await start();
      first.v.quote(100);
      await eventually(() => (first.s.node.portfolio.quantity(BTC.id) === 0.5 ? true : undefined));
      first.v.quote(100);
      const sl = await eventually(() => ids.sl);
      const tp = ids.tp!;
      first.v.quote(89); // through the stop: released, waiting for the take-profit's cancel
      await eventually(() => (first.s.node.exec.order(sl)?.status === 'RELEASED' ? true : undefined));
      expect(first.s.node.exec.order(tp)?.status).toBe('PENDING_CANCEL');
      first.s.node.writer.flush();
      first.s.node.close(); // the process ends here without a stop: everything stays as stored
      first.db.close();

      const second = await start();
      await eventually(() => (second.s.node.exec.order(tp)?.status === 'CANCELED' ? true : undefined));
      second.v.quote(89);
      await eventually(() => (second.s.node.exec.order(sl)?.status === 'FILLED' ? true : undefined));
      expect(second.s.node.portfolio.quantity(BTC.id)).toBe(0);
      await second.s.stop(100);
      const kinds = (second.db.prepare(`SELECT kind FROM events WHERE client_order_id = ? ORDER BY seq`).all(sl) as Array<{ kind: string }>).map((r) => r.kind);
      expect(kinds).toEqual(['OrderEmulated', 'OrderReleased', 'OrderSubmitted', 'OrderAccepted', 'OrderFilled']);
      second.db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
