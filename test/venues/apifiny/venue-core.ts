/**
 * The venue without its network: market, engine matching (createSimVenue), accounts, orders and fills, and the user
 * stream hub. It lives for the whole simulator, so orders, fills and balances survive a stop/restart of the listeners.
 */
import type { Subscription } from 'rxjs';
import type { Clock } from '../../../engine/clock/clock.js';
import type { InstrumentId } from '../../../engine/model/ids.js';
import type { Instrument } from '../../../engine/model/instrument.js';
import { createSimVenue, type SimVenue } from '../../../engine/sim/index.js';
import { createAccountRegistry, type AccountRegistry, type ApifinyAccountSpec } from './accounts.js';
import { createSimMarket, type SimMarket } from './market.js';
import { createOrderEventHandler, type OrderEventHandler } from './order-events.js';
import { createOrderStore, type OrderStore } from './order-store.js';
import type { ApifinyAssetUpdateFrame, ApifinyOrderUpdateFrame } from './protocol.js';
import type { ApifinySymbolSpec } from './symbols.js';

/** Where user stream frames go (the network layer's websocket hub). */
export interface UserStreamSink {
  pushOrder(accountId: string, frame: ApifinyOrderUpdateFrame): void;
  pushAsset(accountId: string, frame: ApifinyAssetUpdateFrame): void;
}

export interface VenueCoreOptions {
  readonly venue: string;
  readonly clock: Clock;
  readonly seed: number;
  readonly symbols: readonly ApifinySymbolSpec[];
  readonly accounts: readonly ApifinyAccountSpec[];
  readonly latency?: { readonly submitMs?: number; readonly cancelMs?: number };
  readonly volatility?: number;
  readonly orderIdMaxSkewMs: number;
  readonly cancelTimeoutMs: number;
  readonly streams: UserStreamSink;
}

export interface VenueCore {
  readonly venue: string;
  readonly clock: Clock;
  readonly market: SimMarket;
  readonly sim: SimVenue;
  readonly accounts: AccountRegistry;
  readonly store: OrderStore;
  readonly events: OrderEventHandler;
  readonly streams: UserStreamSink;
  readonly orderIdMaxSkewMs: number;
  readonly cancelTimeoutMs: number;
  /** Unhooks the matching engine from the market (the simulator is closing). */
  dispose(): void;
}

export function createVenueCore(opts: VenueCoreOptions): VenueCore {
  const { venue, clock, streams } = opts;
  const market = createSimMarket({ venue, specs: opts.symbols, clock, seed: opts.seed, ...(opts.volatility !== undefined ? { volatility: opts.volatility } : {}) });
  const instruments = new Map<InstrumentId, Instrument>();
  for (const spec of opts.symbols) instruments.set(market.instrument(spec.symbol)!.id, market.instrument(spec.symbol)!);
  const sim = createSimVenue({ venue, clock, instruments, idPrefix: `${venue}-${clock.now()}`, ...(opts.latency ? { latency: opts.latency } : {}) });
  const accounts = createAccountRegistry(opts.accounts, venue, clock.now(), (account, currencies) => {
    const payload = account.balances.rows(currencies).map((r) => ({
      accountId: account.subAccountId,
      amount: r.amount,
      available: r.available,
      currency: r.currency,
      frozen: r.frozen,
      venue,
    }));
    streams.pushAsset(account.accountId, { result: { logTimestamp: clock.now(), payload }, error: null });
  });
  const store = createOrderStore();
  const events = createOrderEventHandler({ venue, clock, store, accounts, streams });
  const subscription: Subscription = sim.events$.subscribe((e) => events.handle(e));
  // Matching first (fills go out on the user stream), then the market data subscribers see the step.
  const unhookMarket = market.onUpdate((u) => {
    for (const tick of u.ticks) sim.onTick(tick);
  });
  const core: VenueCore = {
    venue,
    clock,
    market,
    sim,
    accounts,
    store,
    events,
    streams,
    orderIdMaxSkewMs: opts.orderIdMaxSkewMs,
    cancelTimeoutMs: opts.cancelTimeoutMs,
    dispose: () => {
      unhookMarket();
      subscription.unsubscribe();
    },
  };
  return core;
}
