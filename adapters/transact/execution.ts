/**
 * Order entry and cancel on the orders connection, order and fill topics, and the reconciliation queries. A negative
 * status becomes OrderRejected / OrderCancelRejected with the venue's status and text; an unknown outcome (no status,
 * disconnect, -99) emits nothing and leaves the order in flight for reconciliation.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { ClientOrderId, InstrumentId, VenueId, VenueOrderId } from '../../engine/model/ids.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import type { SessionChannel } from './auth.js';
import { describeAnswer, type Answer, type Send, type TransactConnection } from './client.js';
import { STATUS, UNKNOWN_OUTCOME_STATUSES } from './constants.js';
import { formatCancel, formatNewOrder } from './format.js';
import { createOrderTracker, toFillReport, toStatusReport } from './parse.js';
import { parseFills, parseOrders, type TransactOrderWire } from './wire.js';

export interface TransactExecution extends ExecutionClient {
  /** Subscribes the orders and fills topics (onOpen of the orders connection). */
  subscribeTopics(send: Send): Promise<void>;
}

export function createExecution(opts: {
  venue: VenueId;
  conn: TransactConnection;
  channel: () => SessionChannel;
  symbolOf: (id: InstrumentId) => string | undefined;
  instrumentOf: (symbol: string) => InstrumentId;
  clock: Clock;
  log: Logger;
}): TransactExecution {
  const { venue, conn, clock, log } = opts;
  const events$ = new Subject<VenueOrderEvent>();
  const tracker = createOrderTracker(venue, { now: () => clock.now() });
  const emit = (es: readonly VenueOrderEvent[]): void => es.forEach((e) => events$.next(e));

  conn.topics$.subscribe((f) => {
    if (f.kind === 'order') emit(tracker.order(f.order, opts.instrumentOf(f.order.symbol)));
    else if (f.kind === 'fill') emit(tracker.fill(f.fill, opts.instrumentOf(f.fill.symbol)));
  });

  const must = (a: Answer, what: string, data: string): Readonly<Record<string, unknown>> => {
    if (a.kind !== 'ok') throw new Error(`transact ${what}: ${describeAnswer(a)}`);
    const d = a.data.find((x) => x.data === data);
    if (!d) throw new Error(`transact ${what}: no ${data} data with the status`);
    return d.body;
  };
  const orders = (body: Readonly<Record<string, unknown>>, what: string): TransactOrderWire[] => {
    const p = parseOrders(body);
    if (!p.ok) throw new Error(`transact ${what}: unreadable answer (${p.reason})`);
    return p.value;
  };
  const report = (o: TransactOrderWire): OrderStatusReport => toStatusReport(venue, opts.instrumentOf(o.symbol), o);

  return {
    venue,
    events$: events$.asObservable(),
    resync$: conn.malformed$,

    async subscribeTopics(send) {
      const a = await conn.command('subscribe', { topics: ['orders', 'fills'] }, send);
      if (a.kind !== 'ok') throw new Error(`transact: subscribing orders and fills: ${describeAnswer(a)}`);
    },

    submit(cmd) {
      const reject = (reason: string): void => emit([{ kind: 'OrderRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason }]);
      const symbol = opts.symbolOf(cmd.instrumentId);
      if (symbol === undefined) return reject(`unknown instrument ${cmd.instrumentId}`);
      const f = formatNewOrder(cmd, symbol);
      if ('unsupported' in f) return reject(f.unsupported);
      void opts.channel().request('new_order', f.args).then((a) => {
        if (a.kind === 'ok') return;
        if (a.kind === 'refused' && !UNKNOWN_OUTCOME_STATUSES.has(a.status.status)) {
          if (tracker.reject(cmd.clientOrderId)) reject(`${a.status.status}: ${a.status.text ?? 'refused'}`);
          return;
        }
        log.warn({ clientOrderId: cmd.clientOrderId }, `transact new_order: ${describeAnswer(a)}; left in flight for reconciliation`);
      });
    },

    cancel(cmd) {
      void opts.channel().request('cancel_order', formatCancel(cmd)).then((a) => {
        if (a.kind === 'ok') return; // the orders topic reports CANCELED
        if (a.kind === 'refused') {
          emit([{ kind: 'OrderCancelRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason: `${a.status.status}: ${a.status.text ?? 'refused'}` }]);
          return;
        }
        log.warn({ clientOrderId: cmd.clientOrderId }, `transact cancel_order: ${describeAnswer(a)}`);
      });
    },

    modify(cmd) {
      emit([{ kind: 'OrderModifyRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason: 'NOT_SUPPORTED: the TransAct contract has no amend; cancel and place a new order' }]);
    },

    async openOrders(): Promise<readonly OrderStatusReport[]> {
      return orders(must(await opts.channel().request('query_orders', { state: 'open' }), 'query_orders', 'orders'), 'query_orders').map(report);
    },

    async fills(sinceMs: number): Promise<readonly FillReport[]> {
      const body = must(await opts.channel().request('query_fills', { since: Math.floor(sinceMs) }), 'query_fills', 'fills');
      const p = parseFills(body);
      if (!p.ok) throw new Error(`transact query_fills: unreadable answer (${p.reason})`);
      return p.value.map((f) => toFillReport(venue, opts.instrumentOf(f.symbol), f));
    },

    async orderStatus(clientOrderId: ClientOrderId, venueOrderId?: VenueOrderId): Promise<OrderStatusReport | undefined> {
      const a = await opts.channel().request('query_order', { client_id: clientOrderId });
      if (a.kind === 'refused' && a.status.status === STATUS.ORDER_NOT_FOUND) {
        if (venueOrderId === undefined) return undefined;
        const b = await opts.channel().request('query_order', { order_id: venueOrderId });
        if (b.kind === 'refused' && b.status.status === STATUS.ORDER_NOT_FOUND) return undefined;
        return orders(must(b, 'query_order', 'orders'), 'query_order').map(report)[0];
      }
      return orders(must(a, 'query_order', 'orders'), 'query_order').map(report)[0];
    },
  };
}
