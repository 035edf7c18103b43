/**
 * The execution engine's contract: what it offers the kernel and strategies' contexts (ExecutionEngine), what it needs
 * (ExecutionEngineOptions, RiskGate), and what it counts. The implementation is execution-engine.ts.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../model/commands.js';
import type { DenialCode, OrderEvent, VenueOrderEvent } from '../model/events.js';
import type { ClientOrderId, InstrumentId, StrategyId, VenueId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { Order, OrderView } from '../model/order.js';
import type { OrderStatusReport } from '../model/reports.js';
import type { RetentionLimits } from '../model/retention.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { Tick } from '../model/tick.js';
import type { FillKey } from './seen-fills.js';
import type { ExecutionClient } from './venue-client.js';

type Verdict<C> = { ok: true; command: C } | { ok: false; code: DenialCode; message: string };
/** What execution needs of the risk layer (engine/risk's RiskEngine satisfies it). */
export interface RiskGate {
  checkSubmit(cmd: SubmitOrder): Verdict<SubmitOrder>;
  checkModify(cmd: ModifyOrder): Verdict<ModifyOrder>;
  checkCancel(cmd: CancelOrder): Verdict<CancelOrder>;
}

export interface ExecutionStats {
  submitted: number;
  denied: number;
  fills: number;
  duplicateFills: number;
  conflictingFills: number;
  overfills: number;
  invalidTransitions: number;
  unknownOrderEvents: number;
}

export interface ExecutionEngine {
  submit(cmd: SubmitOrder): void;
  /** Records a submit refused before the risk layer (a malformed intent, a stopped strategy) as OrderDenied. */
  deny(cmd: SubmitOrder, code: DenialCode, message: string): void;
  cancel(cmd: CancelOrder): void;
  modify(cmd: ModifyOrder): void;
  onVenueEvent(event: VenueOrderEvent): void;
  /**
   * Takes over an order found at the venue that this engine placed (its client order id names one of our strategies)
   * but has no record of — e.g. a crash kept it from being stored. It is recorded as OrderAdopted (accepted); the
   * venue's fills and final state follow as their own events.
   */
  adopt(report: OrderStatusReport, strategyId: StrategyId, reason: string): void;
  /**
   * A paper or live start: the portfolio's open orders of earlier runs (with the keys of their applied fills) become
   * the engine's own again, as they were stored: no event, nothing is announced twice.
   */
  takeOver(stored: Iterable<RestoredOrder>): void;
  order(id: ClientOrderId): OrderView | undefined;
  openOrders(strategyId?: StrategyId): readonly OrderView[];
  openOrdersFor(instrumentId: InstrumentId): readonly OrderView[];
  /**
   * While set, new submits to `venue` (every venue when omitted) are denied NOT_RECONCILED; cancels pass. Used while
   * reconciling, while a venue's stream is down, and while warming strategies up.
   */
  holdSubmits(reason: string | undefined, venue?: VenueId): void;
  /** The holds in force, by venue (`*`: every venue). */
  holds(): ReadonlyMap<string, string>;
  /**
   * Orders at `venue` whose last command's outcome is still unknown (submitted and not yet accepted, or waiting for a
   * cancel or modify answer) and was sent at least `olderThanMs` ago: the in-flight checks ask the venue about them.
   */
  inFlight(venue: VenueId, olderThanMs: number): readonly OrderView[];
  /**
   * Whether this exact fill (same key, quantity and price) is already applied to its order: reconciliation hands the
   * engine only the others, so the fills it re-reads are not counted as duplicates. A conflicting one is not "applied".
   */
  isApplied(fill: Extract<VenueOrderEvent, { kind: 'OrderFilled' }>): boolean;
  /**
   * A bracket: the entry is submitted now; the take-profit and the stop-loss (emulated, opposite side) are its
   * one-triggers-other children, held until it fills and sized to its filled quantity, and one-cancels-other with each
   * other (engine/execution/contingent.ts). An entry that ends unfilled cancels them; a denied one denies them
   * (PARENT_DENIED).
   */
  bracket(entry: SubmitOrder, takeProfit: SubmitOrder, stopLoss: SubmitOrder): void;
  /**
   * Emulated orders of `venue` taken over from the store and not yet checked there (`verifyHeldOnStart`): the venue is
   * asked for each by client order id before it is armed again.
   */
  heldToVerify(venue: VenueId): readonly OrderView[];
  /**
   * The venue's answer for one of `heldToVerify`: found there (it was released and sent before the restart), it is
   * adopted (OrderAdopted, then reconciled as any venue order); not found, it is armed again as stored (a RELEASED one
   * is sent now, under the group rules).
   */
  settleHeld(clientOrderId: ClientOrderId, report: OrderStatusReport | undefined): void;
  /** A tick for the order emulator: the emulated orders it touches are released (engine/execution/emulator.ts). */
  onTick(tick: Tick): void;
  /** Emulated orders armed now. */
  readonly emulated: number;
  /** The same count as the field `armed` of a fixed object that follows it: the kernel reads it on every tick without a call. */
  readonly emulation: { readonly armed: number };
  /** Sends the cancel of a PENDING_CANCEL order again (its first answer was lost; the venue still lists it open). */
  resendCancel(id: ClientOrderId): void;
  readonly stats: Readonly<ExecutionStats>;
}

export interface ExecutionEngineOptions {
  clock: Clock;
  risk: RiskGate;
  clients: ReadonlyMap<VenueId, ExecutionClient>;
  instruments: ReadonlyMap<InstrumentId, Instrument>;
  portfolio: Portfolio;
  /** Every engine event, with the order's state after it: the kernel persists it and tells the strategy. */
  publish(event: OrderEvent, order: OrderView): void;
  log: Logger;
  /** Fills already applied (stored by an earlier session): the same fill reported again is a duplicate. */
  knownFills?: Iterable<FillKey>;
  /**
   * Closed orders (and their fill keys) kept in memory: the newest `keep`, and any closed less than `minAgeMs` of engine
   * time ago (defaults 10,000 and 60 s). Older ones are taken back from `restore` when something names them again (a
   * late venue event, a fill found by reconciliation, a lookup), so dropping them loses nothing.
   */
  closedOrders?: RetentionLimits;
  /** A dropped order as stored (the kernel reads the database), with its fills' keys; undefined when unknown. */
  restore?: (clientOrderId: ClientOrderId) => RestoredOrder | undefined;
  /**
   * A cancel asked again for an order already PENDING_CANCEL is sent again once the last one is this old (default
   * 1,000 ms): a lost cancel answer never makes an order uncancelable, and a strategy canceling on every tick does not
   * flood the venue.
   */
  cancelResendMs?: number;
  /**
   * Live: emulated orders taken over from the store are not armed until `settleHeld` has the venue's word on each (one
   * may have been released and sent just before a crash kept its release from being stored). Paper and backtests arm
   * them at once: their simulated venue starts empty, so nothing of theirs can be at it.
   */
  verifyHeldOnStart?: boolean;
}

/** What `restore` gives back: the order's last state and the fills already applied to it. */
export interface RestoredOrder {
  readonly order: Order;
  readonly fills: Iterable<FillKey>;
}
