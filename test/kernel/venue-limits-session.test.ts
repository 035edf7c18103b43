/**
 * A paper session on the TT adapter with `applyRiskLimits: true`: the account's limits at TT (simulator) apply on top
 * of the configured ones, so an order TT would reject is denied locally with a reason code first; without the option
 * they do not apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTtAdapter } from '../../adapters/tt/index.js';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import { resolveConfig } from '../../engine/config/config.js';
import { startLiveSession } from '../../engine/kernel/live-session.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { applyVenueLimits } from '../../engine/risk/venue-limits.js';
import { defineStrategy } from '../../engine/strategy/index.js';
import { captureLog } from '../adapters/capture-log.js';
import { appOf, startTtSimulator, type TtSimulator } from '../venues/tt/sim-server.js';

let sim: TtSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** Orders on start: 30 and 5 ESH7 (TT allows 25 an order), 1 6EH7 (TT does not allow 6E), 12 CLF7 (config allows 8). */
async function session(applyRiskLimits: boolean): Promise<OrderEvent[]> {
  sim = await startTtSimulator();
  const app = appOf('ext_uat_cert', sim.apps);
  const events: OrderEvent[] = [];
  const orders = defineStrategy({
    name: 'orders',
    params: {},
    onStart(ctx) {
      ctx.buy('ESH7.TT', 30, { price: 6800 });
      ctx.buy('ESH7.TT', 5, { price: 6800 });
      ctx.buy('6EH7.TT', 1, { price: 1.165 });
      ctx.buy('CLF7.TT', 12, { price: 58 });
    },
    onOrderEvent(_ctx, e) {
      events.push(e);
    },
  });
  const { log } = captureLog();
  const adapter = createTtAdapter(
    { baseUrl: sim.baseUrl, products: ['ES', '6E', 'CL'], accountIds: ['90001'], applyRiskLimits },
    { log, clock: createLiveClock(), random: () => 0.5, env: { TT_APP_KEY: app.key, TT_APP_SECRET: app.secret } },
  );
  const config = resolveConfig({
    mode: 'paper', strategies: [{ use: 'orders' }], storage: { path: ':memory:' },
    risk: { priceBandPct: 50, maxOrderQty: { 'CLF7.TT': 8, '*': 100 } },
  });
  const db = openDatabase(':memory:');
  const live = await startLiveSession({ config, definitions: new Map([['orders', orders]]), adapters: [adapter], instruments: [], db, log });
  await new Promise((r) => setTimeout(r, 100));
  await live.stop(200);
  db.close();
  return events;
}

const denied = (events: OrderEvent[]) => events.filter((e) => e.kind === 'OrderDenied').map((e) => `${e.instrumentId} ${(e as { code: string }).code}`);

describe('venue risk limits in a session', () => {
  it('denies locally what TT would reject when the venue options ask for it, and the stricter configured limit still applies', async () => {
    expect(denied(await session(true))).toEqual(['ESH7.TT QTY_ABOVE_MAX', '6EH7.TT QTY_ABOVE_MAX', 'CLF7.TT QTY_ABOVE_MAX']);
  }, 30_000);

  it('leaves TT\'s limits out otherwise', async () => {
    expect(denied(await session(false))).toEqual(['CLF7.TT QTY_ABOVE_MAX']);
  }, 30_000);
});

describe('applyVenueLimits', () => {
  it('takes the stricter of each instrument\'s effective limit, and only for instruments the session knows', () => {
    const merged = applyVenueLimits(
      { maxOrderQty: { 'A.TT': 10, '*': 50 }, maxOpenOrders: 3 },
      { maxOrderQty: { 'A.TT': 20, 'B.TT': 25, 'C.TT': 1 }, maxPositionQty: { 'B.TT': 100, '*': 0 } },
      ['A.TT', 'B.TT'],
    );
    expect(merged).toEqual({ maxOrderQty: { 'A.TT': 10, 'B.TT': 25, '*': 50 }, maxPositionQty: { 'B.TT': 100, '*': 0 }, maxOpenOrders: 3 });
  });
});
