/**
 * A venue adapter in the test process for the live-session tests: it keeps its own book of our orders and fills (as a
 * real venue does, across engine restarts), answers the reconciliation queries from it, and has switches for the
 * faults the engine must survive: answers lost, queries failing, streams down while REST works.
 */
import { BehaviorSubject, Subject } from 'rxjs';
import type { ConnectionState, VenueAdapter } from '../../engine/execution/venue-adapter.js';
import type { CancelOrder, SubmitOrder } from '../../engine/model/commands.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import { defineInstrument } from '../../engine/model/instrument.js';
import type { FillReport, OrderStatusReport, PositionReport } from '../../engine/model/reports.js';
import type { Tick } from '../../engine/model/tick.js';

export const BTC = defineInstrument({ id: 'BTCUSD.FAKE', venue: 'FAKE', venueSymbol: 'BTCUSD', base: 'BTC', quote: 'USD', tickSize: 0.01, stepSize: 0.001 });

export interface FakeVenueOrder {
  report: OrderStatusReport;
  readonly cmd: SubmitOrder;
}

export interface FakeVenue {
  readonly adapter: VenueAdapter;
  readonly state$: BehaviorSubject<ConnectionState>;
  readonly orders: Map<string, FakeVenueOrder>;
  readonly fills: FillReport[];
  readonly submitted: SubmitOrder[];
  readonly canceled: CancelOrder[];
  /** `since` of every fills() query. */
  readonly fillQueries: number[];
  /** Switches. */
  readonly faults: {
    /** Act on submits but never answer them (the answer is lost). */
    loseSubmitAnswers: boolean;
    /** Act on the next N cancels but never answer them. */
    loseCancelAnswers: number;
    /** Ignore the next N cancels entirely (lost before they arrived). */
    dropCancels: number;
    /** Refuse the next N cancels as for an unknown order (the cancel overtook the submit). */
    refuseCancels: number;
    /** The next N reconciliation queries fail (a 502). */
    failQueries: number;
    /** orderStatus always fails. */
    statusDown: boolean;
    /** Fill marketable submits at once (else they rest). */
    fillOnSubmit: boolean;
  };
  positions?: PositionReport[];
  /** The adapter's "I dropped something on the order stream" signal. */
  readonly resync$: Subject<string>;
  /** An order of ours the engine never stored (a crash between send and store), resting at the venue. */
  placeUnstored(clientOrderId: string, quantity: number, price: number): void;
  quote(bid: number): void;
  /** Fills a resting order at the venue (reported on the stream unless `silent`). */
  fill(clientOrderId: string, qty: number, opts?: { silent?: boolean; at?: number }): void;
}

export function createFakeVenue(): FakeVenue {
  const ticks$ = new Subject<Tick>();
  const state$ = new BehaviorSubject<ConnectionState>('connecting');
  const events$ = new Subject<VenueOrderEvent>();
  const orders = new Map<string, FakeVenueOrder>();
  const fills: FillReport[] = [];
  const submitted: SubmitOrder[] = [];
  const canceled: CancelOrder[] = [];
  const fillQueries: number[] = [];
  const faults = { loseSubmitAnswers: false, loseCancelAnswers: 0, dropCancels: 0, refuseCancels: 0, failQueries: 0, statusDown: false, fillOnSubmit: false };
  let trade = 0;
  const later = (f: () => void) => setTimeout(f, 1);
  const failing = (): void => {
    if (faults.failQueries > 0) {
      faults.failQueries--;
      throw new Error('HTTP 502 Bad Gateway');
    }
  };

  const resync$ = new Subject<string>();
  const venue: FakeVenue = {
    state$, orders, fills, submitted, canceled, fillQueries, faults, resync$,
    placeUnstored(clientOrderId, quantity, price) {
      const cmd: SubmitOrder = {
        kind: 'SubmitOrder', clientOrderId, strategyId: clientOrderId.split('-')[0]!, instrumentId: BTC.id, side: 'buy', type: 'limit', quantity, price,
        timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: Date.now(),
      };
      orders.set(clientOrderId, {
        cmd, report: { venue: 'FAKE', instrumentId: BTC.id, clientOrderId, venueOrderId: `V-${clientOrderId}`, side: 'buy', type: 'limit', timeInForce: 'GTC', status: 'ACCEPTED', quantity, filledQty: 0, price, tsLast: Date.now() },
      });
    },
    quote: (bid) => ticks$.next({ kind: 'quote', instrumentId: BTC.id, tsEvent: Date.now(), tsInit: Date.now(), bid, ask: bid + 1 }),
    fill(id, qty, opts = {}) {
      const o = orders.get(id)!;
      const filledQty = o.report.filledQty + qty;
      const f: FillReport = {
        venue: 'FAKE', instrumentId: BTC.id, clientOrderId: id, venueOrderId: o.report.venueOrderId, tradeId: `T${++trade}`, side: o.cmd.side,
        lastQty: qty, lastPrice: o.cmd.price ?? 100, fee: 0, feeCurrency: 'USD', liquidity: 'maker', tsEvent: opts.at ?? Date.now(),
      };
      fills.push(f);
      o.report = { ...o.report, filledQty, status: filledQty >= o.cmd.quantity ? 'FILLED' : 'PARTIALLY_FILLED', tsLast: f.tsEvent };
      if (!opts.silent) events$.next({ kind: 'OrderFilled', clientOrderId: id, instrumentId: BTC.id, tsEvent: f.tsEvent, venue: 'FAKE', venueOrderId: f.venueOrderId, tradeId: f.tradeId, side: f.side, lastQty: qty, lastPrice: f.lastPrice, fee: 0, feeCurrency: 'USD', liquidity: 'maker' });
    },
    adapter: {
      venue: 'FAKE',
      state$,
      async connect() {
        state$.next('connected');
      },
      async close() {
        state$.next('closed');
      },
      instruments: async () => [BTC],
      marketData: { ticks$, subscribe: () => {}, unsubscribe: () => {} },
      execution: {
        venue: 'FAKE',
        events$,
        resync$,
        submit(c) {
          submitted.push(c);
          const report: OrderStatusReport = {
            venue: 'FAKE', instrumentId: c.instrumentId, clientOrderId: c.clientOrderId, venueOrderId: `V-${c.clientOrderId}`, side: c.side, type: c.type,
            timeInForce: c.timeInForce, status: 'ACCEPTED', quantity: c.quantity, filledQty: 0, ...(c.price !== undefined ? { price: c.price } : {}), tsLast: Date.now(),
          };
          orders.set(c.clientOrderId, { report, cmd: c });
          if (faults.fillOnSubmit) venue.fill(c.clientOrderId, c.quantity, { silent: true });
          if (faults.loseSubmitAnswers) return;
          later(() => {
            events$.next({ kind: 'OrderAccepted', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: Date.now(), venueOrderId: report.venueOrderId });
            if (faults.fillOnSubmit) {
              const f = fills.at(-1)!;
              events$.next({ kind: 'OrderFilled', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: f.tsEvent, venue: 'FAKE', venueOrderId: f.venueOrderId, tradeId: f.tradeId, side: f.side, lastQty: f.lastQty, lastPrice: f.lastPrice, fee: 0, feeCurrency: 'USD', liquidity: 'maker' });
            }
          });
        },
        cancel(c) {
          if (faults.dropCancels > 0) {
            faults.dropCancels--;
            return;
          }
          canceled.push(c);
          const o = orders.get(c.clientOrderId);
          const overtook = faults.refuseCancels > 0 && (faults.refuseCancels--, true);
          if (overtook || !o || !['ACCEPTED', 'PARTIALLY_FILLED'].includes(o.report.status)) {
            later(() => events$.next({ kind: 'OrderCancelRejected', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: Date.now(), reason: 'not open' }));
            return;
          }
          o.report = { ...o.report, status: 'CANCELED', tsLast: Date.now() };
          if (faults.loseCancelAnswers > 0) {
            faults.loseCancelAnswers--;
            return;
          }
          later(() => events$.next({ kind: 'OrderCanceled', clientOrderId: c.clientOrderId, instrumentId: c.instrumentId, tsEvent: Date.now() }));
        },
        modify: () => {},
        async openOrders() {
          failing();
          return [...orders.values()].map((o) => o.report).filter((r) => r.status === 'ACCEPTED' || r.status === 'PARTIALLY_FILLED');
        },
        async fills(since) {
          failing();
          fillQueries.push(since);
          return fills.filter((f) => f.tsEvent >= since);
        },
        async orders(since) {
          failing();
          return [...orders.values()].map((o) => o.report).filter((r) => !['ACCEPTED', 'PARTIALLY_FILLED'].includes(r.status) && r.tsLast >= since);
        },
        async orderStatus(id) {
          if (faults.statusDown) throw new Error('HTTP 503 Service Unavailable');
          return orders.get(id)?.report;
        },
      },
    },
  };
  Object.defineProperty(venue.adapter.execution!, 'positions', {
    get: () => (venue.positions === undefined ? undefined : async () => venue.positions!),
  });
  return venue;
}
