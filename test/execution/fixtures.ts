/**
 * Fixtures for the execution engine tests: one instrument, a fake execution client that records what reaches it, a
 * real portfolio, a real risk engine wired to the execution engine as trading-node.ts wires it (or a fake gate), a
 * simulated clock, and every published (event, order state) collected.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import { createSimulatedClock, type SimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createExecutionEngine, type ExecutionEngine, type ExecutionEngineOptions, type RiskGate } from '../../engine/execution/execution-engine.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import { createLogger, silentLogger } from '../../engine/log/logger.js';
import type { CancelOrder, ModifyOrder, SubmitOrder } from '../../engine/model/commands.js';
import type { OrderEvent, VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import type { OrderStatus } from '../../engine/model/order.js';
import type { RetentionLimits } from '../../engine/model/retention.js';
import { createPortfolio, type Portfolio } from '../../engine/portfolio/portfolio.js';
import { createRiskEngine, type RiskEngine, type RiskLimits } from '../../engine/risk/index.js';

export const ID = 'BTCUSD.SIM';
export const VENUE = 'SIM';
export const STRATEGY = 's1';

/** Tick 0.5 and step 0.001, so rounding is visible: a buy at 100.3 goes out at 100, a sell at 100.5. */
export const BTC: Instrument = defineInstrument({
  id: ID,
  venue: VENUE,
  venueSymbol: 'BTCUSD',
  base: 'BTC',
  quote: 'USD',
  tickSize: 0.5,
  stepSize: 0.001,
  makerFee: 0,
  takerFee: 0,
});

export type ClientCall =
  | { readonly kind: 'submit'; readonly command: SubmitOrder }
  | { readonly kind: 'cancel'; readonly command: CancelOrder }
  | { readonly kind: 'modify'; readonly command: ModifyOrder };

export interface FakeClient extends ExecutionClient {
  readonly events$: Subject<VenueOrderEvent>;
  readonly calls: ClientCall[];
}

/** An execution client that only records the commands it gets. */
export function fakeClient(venue = VENUE): FakeClient {
  const calls: ClientCall[] = [];
  return {
    venue,
    events$: new Subject<VenueOrderEvent>(),
    calls,
    submit: (command) => void calls.push({ kind: 'submit', command }),
    cancel: (command) => void calls.push({ kind: 'cancel', command }),
    modify: (command) => void calls.push({ kind: 'modify', command }),
  };
}

/** What `publish` was given: the event and the order's state right after it (the order object keeps changing). */
export interface Published {
  readonly event: OrderEvent;
  readonly status: OrderStatus;
  readonly filledQty: number;
}

/** A pino logger that keeps every line (parsed) so a test can assert what was warned or logged as an error. */
export function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown> & { level: number; msg: string }> } {
  const lines: Array<Record<string, unknown> & { level: number; msg: string }> = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown> & { level: number; msg: string }) },
  });
  return { log, lines };
}

export const WARN = 40;
export const ERROR = 50;

export interface ExecFixture {
  readonly clock: SimulatedClock;
  readonly client: FakeClient;
  readonly portfolio: Portfolio;
  readonly exec: ExecutionEngine;
  /** The real risk engine (undefined when a fake gate was given). */
  readonly risk: RiskEngine | undefined;
  readonly published: Published[];
  readonly mids: Map<string, number>;
  /** Kinds of the events published for one order, in order. */
  kinds(clientOrderId: string): string[];
  submitCommand(over?: Partial<SubmitOrder>): SubmitOrder;
  cancelCommand(clientOrderId: string): CancelOrder;
  modifyCommand(clientOrderId: string, changes: { price?: number; quantity?: number }): ModifyOrder;
  /** Submits a limit buy (1 @ 100 unless overridden) and lets the venue accept it; returns its client order id. */
  openOrder(over?: Partial<SubmitOrder>): string;
  accepted(clientOrderId: string, venueOrderId?: string): VenueOrderEvent;
  filled(clientOrderId: string, f: { tradeId: string; qty: number; price?: number; venueOrderId?: string }): VenueOrderEvent;
  canceled(clientOrderId: string, reason?: string): VenueOrderEvent;
  cancelRejected(clientOrderId: string, reason?: string): VenueOrderEvent;
  updated(clientOrderId: string, u: { price?: number; quantity: number }): VenueOrderEvent;
  modifyRejected(clientOrderId: string, reason?: string): VenueOrderEvent;
}

export function createExecFixture(opts: {
  limits?: RiskLimits; gate?: RiskGate; log?: Logger; closedOrders?: RetentionLimits; verifyHeldOnStart?: boolean;
  restore?: ExecutionEngineOptions['restore'];
} = {}): ExecFixture {
  const clock = createSimulatedClock({ start: 1_000 });
  const client = fakeClient();
  const instruments = new Map([[BTC.id, BTC]]);
  const portfolio = createPortfolio();
  const published: Published[] = [];
  const mids = new Map<string, number>();
  let exec: ExecutionEngine | undefined;
  const execRef = (): ExecutionEngine => exec!;
  const risk = opts.gate
    ? undefined
    : createRiskEngine(opts.limits ?? {}, {
        instrument: (id) => instruments.get(id),
        positionQty: (id) => portfolio.quantity(id),
        openOrders: (sid) => execRef().openOrders(sid),
        openOrdersFor: (id) => execRef().openOrdersFor(id),
        order: (id) => execRef().order(id),
        lastMid: (id) => mids.get(id),
        now: () => clock.now(),
      });
  exec = createExecutionEngine({
    clock,
    risk: opts.gate ?? risk!,
    clients: new Map([[VENUE, client]]),
    instruments,
    portfolio,
    log: opts.log ?? silentLogger(),
    ...(opts.closedOrders ? { closedOrders: opts.closedOrders } : {}),
    verifyHeldOnStart: opts.verifyHeldOnStart,
    restore: opts.restore,
    publish: (event, order) => void published.push({ event, status: order.status, filledQty: order.filledQty }),
  });
  const engine = exec;

  let counter = 0;
  const base = (clientOrderId: string) => ({ clientOrderId, instrumentId: ID, tsEvent: clock.now() });
  const venueOrderIdOf = (id: string): string => engine.order(id)?.venueOrderId ?? `V-${id}`;

  const submitCommand = (over: Partial<SubmitOrder> = {}): SubmitOrder => ({
    kind: 'SubmitOrder',
    clientOrderId: `${STRATEGY}-1-${++counter}`,
    strategyId: STRATEGY,
    instrumentId: ID,
    side: 'buy',
    type: 'limit',
    quantity: 1,
    price: 100,
    timeInForce: 'GTC',
    postOnly: false,
    reduceOnly: false,
    tsInit: clock.now(),
    ...over,
  });

  const fx: ExecFixture = {
    clock,
    client,
    portfolio,
    exec: engine,
    risk,
    published,
    mids,
    kinds: (id) => published.filter((p) => p.event.clientOrderId === id).map((p) => p.event.kind),
    submitCommand,
    cancelCommand: (clientOrderId) => ({
      kind: 'CancelOrder',
      clientOrderId,
      venueOrderId: engine.order(clientOrderId)?.venueOrderId,
      strategyId: STRATEGY,
      instrumentId: ID,
      tsInit: clock.now(),
    }),
    modifyCommand: (clientOrderId, changes) => ({
      kind: 'ModifyOrder',
      clientOrderId,
      venueOrderId: engine.order(clientOrderId)?.venueOrderId,
      strategyId: STRATEGY,
      instrumentId: ID,
      side: engine.order(clientOrderId)?.side ?? 'buy',
      ...changes,
      tsInit: clock.now(),
    }),
    openOrder(over = {}) {
      const cmd = submitCommand(over);
      engine.submit(cmd);
      engine.onVenueEvent(fx.accepted(cmd.clientOrderId));
      return cmd.clientOrderId;
    },
    accepted: (id, venueOrderId = `V-${id}`) => ({ kind: 'OrderAccepted', ...base(id), venueOrderId }),
    filled(id, f): VenueOrderEvent {
      const order = engine.order(id);
      return {
        kind: 'OrderFilled',
        ...base(id),
        venue: VENUE,
        venueOrderId: f.venueOrderId ?? venueOrderIdOf(id),
        tradeId: f.tradeId,
        side: order?.side ?? 'buy',
        lastQty: f.qty,
        lastPrice: f.price ?? order?.price ?? 100,
        fee: 0,
        feeCurrency: 'USD',
        liquidity: 'maker',
      };
    },
    canceled: (id, reason) => ({ kind: 'OrderCanceled', ...base(id), ...(reason !== undefined ? { reason } : {}) }),
    cancelRejected: (id, reason = 'TOO_LATE') => ({ kind: 'OrderCancelRejected', ...base(id), reason }),
    updated: (id, u) => ({ kind: 'OrderUpdated', ...base(id), ...u }),
    modifyRejected: (id, reason = 'NOT_MODIFIABLE') => ({ kind: 'OrderModifyRejected', ...base(id), reason }),
  };
  return fx;
}
