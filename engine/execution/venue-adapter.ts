import type { Observable } from 'rxjs';
import type { InstrumentId, Millis, VenueId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { FillReport, PositionReport } from '../model/reports.js';
import type { Bar, Tick, TickKind } from '../model/tick.js';
import type { VenueLimits } from '../risk/venue-limits.js';
import type { ExecutionClient } from './venue-client.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** A venue's market data: ticks parsed once at the edge; subscriptions are remembered and restored after a reconnect. */
export interface MarketDataClient {
  readonly ticks$: Observable<Tick>;
  subscribe(instrumentId: InstrumentId, kinds: readonly TickKind[]): void;
  unsubscribe(instrumentId: InstrumentId, kinds: readonly TickKind[]): void;
}

/**
 * A venue adapter (adapters/<venue>/index.ts exports `create<Venue>Adapter(config, deps)` returning this). The kernel
 * wires `marketData` to strategies (live and paper) and `execution` to the execution engine (live only; paper uses the
 * simulated venue). After every (re)connect the kernel reconciles through `execution.openOrders()` / `fills()` and
 * denies new submits until that is done.
 */
export interface VenueAdapter {
  readonly venue: VenueId;
  readonly state$: Observable<ConnectionState>;
  /** Connects and authenticates; rejects with a readable error (no retry storm) when credentials are refused. */
  connect(): Promise<void>;
  close(): Promise<void>;
  /**
   * The venue's instruments with tick/step size, min/max price, quantity and notional, fees. An adapter that can read
   * a subset (TT: by product) takes the product symbols; others read everything (`engine instruments` filters by base).
   */
  instruments(products?: readonly string[]): Promise<readonly Instrument[]>;
  readonly marketData?: MarketDataClient;
  readonly execution?: ExecutionClient;
  /** The venue's own record of the account (TT's ledger and monitor), for `engine reconcile`; venues without one omit it. */
  readonly account?: VenueAccount;
  /**
   * The account's limits at the venue, which a paper or live session applies on top of the configured risk limits (the
   * stricter wins). Present only when the venue's options ask for it (TT: `applyRiskLimits: true`).
   */
  riskLimits?(): Promise<VenueLimits>;
  /** The last `count` closed bars of `periodMs`, oldest first, to warm strategies up (venues with quote history). */
  warmupBars?(instrumentId: InstrumentId, periodMs: number, count: number): Promise<readonly Bar[]>;
}

/** A venue's record of the account: every fill it holds (paged to the end, oldest first) and its positions now. */
export interface VenueAccount {
  /** Every fill from `since` (engine time, inclusive; default: all the venue keeps) on. */
  fills(since?: Millis): Promise<readonly FillReport[]>;
  positions(): Promise<readonly PositionReport[]>;
}
