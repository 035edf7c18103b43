/**
 * Drives the full engine in live mode over one venue adapter for the conformance and fault tests: a strategy defined
 * inline that places one resting limit buy when the test arms it (retrying while reconciliation holds submits), an
 * in-memory database, and a polling `waitFor`.
 */
import type { Database } from 'better-sqlite3';
import { resolveConfig } from '../../engine/config/config.js';
import type { VenueAdapter } from '../../engine/execution/venue-adapter.js';
import { startLiveSession, type LiveSession } from '../../engine/kernel/live-session.js';
import { silentLogger } from '../../engine/log/logger.js';
import type { OrderEvent } from '../../engine/model/events.js';
import { defineInstrument, type InstrumentSpec } from '../../engine/model/instrument.js';
import { openDatabase } from '../../engine/persistence/index.js';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `predicate` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 4_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export interface BuyerControl {
  /** Places the order at the next timer beat (and again if the engine denied it while reconciling). */
  arm(): void;
  /** The client order id of the order that was not denied, once placed. */
  readonly clientOrderId: string | undefined;
  readonly events: readonly OrderEvent[];
}

export const STRATEGY_ID = 'rb';

export function restingBuyer(order: { instrumentId: string; price: number; quantity: number }) {
  let armed = false;
  let cid: string | undefined;
  const events: OrderEvent[] = [];
  const definition = defineStrategy({
    name: 'resting-buyer',
    onStart(ctx) {
      ctx.setTimer('try', 50, { repeat: true });
    },
    onTimer(ctx) {
      if (armed && cid === undefined) cid = ctx.buy(order.instrumentId, order.quantity, { price: order.price });
    },
    onOrderEvent(_ctx, e) {
      events.push(e);
      if (e.kind === 'OrderDenied' && e.clientOrderId === cid) cid = undefined;
    },
  });
  const control: BuyerControl = {
    arm: () => void (armed = true),
    get clientOrderId() {
      return cid;
    },
    events,
  };
  return { definition, control };
}

export interface EngineUnderTest {
  readonly session: LiveSession;
  readonly buyer: BuyerControl;
  readonly db: Database;
  /** The engine's view of the buyer's order. */
  order(): ReturnType<LiveSession['node']['exec']['order']>;
  position(): number;
  stop(): Promise<void>;
}

export async function startEngine(adapter: VenueAdapter, instrument: InstrumentSpec, order: { price: number; quantity: number }): Promise<EngineUnderTest> {
  const { definition, control } = restingBuyer({ instrumentId: instrument.id, ...order });
  const config = resolveConfig({
    mode: 'live',
    portfolio: 'conformance',
    strategies: [{ use: 'resting-buyer', id: STRATEGY_ID }],
    storage: { path: ':memory:', flushIntervalMs: 1 },
  });
  const db = openDatabase(':memory:');
  const session = await startLiveSession({
    config,
    definitions: new Map([['resting-buyer', definition]]),
    adapters: [adapter],
    instruments: [defineInstrument(instrument)],
    db,
    log: silentLogger(),
  });
  let stopped = false;
  return {
    session,
    buyer: control,
    db,
    order: () => (control.clientOrderId === undefined ? undefined : session.node.exec.order(control.clientOrderId)),
    position: () => session.node.portfolio.view(instrument.id).quantity,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await session.stop(200);
      } finally {
        db.close();
      }
    },
  };
}
