/**
 * Order entry over REST, order updates from the user stream, and the reconciliation queries. A definitive venue error
 * becomes OrderRejected / OrderCancelRejected with the venue's message; an unknown outcome (timeout, 5xx, rate limit,
 * network) emits nothing and leaves the order in flight for reconciliation.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { ExecutionClient } from '../../engine/execution/venue-client.js';
import { excerpt } from '../../engine/log/excerpt.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { ClientOrderId, InstrumentId, VenueOrderId } from '../../engine/model/ids.js';
import type { FillReport, OrderStatusReport } from '../../engine/model/reports.js';
import type { ApifinyStream, RestAnswer, RestSession } from './client.js';
import type { ApifinySigner } from './auth.js';
import type { ApifinyConfig } from './config.js';
import { createFixEntry, type FixEntry } from './fix-entry.js';
import { ERROR_CODES, EXCERPT_CHARS, REST_PATHS } from './constants.js';
import { decodeOrderId, encodeOrderId, formatCancel, formatNewOrder, strategyHash } from './format.js';
import { createOrderTracker, fillKey, toFillReport, toStatusReport } from './parse.js';
import { parseFillList, parseOrderList, parseOrderResult, parseUserFrame, type ApifinyOrderUpdateWire, type ApifinyOrderWire } from './wire.js';

export interface ApifinyExecution extends ExecutionClient {
  attach(stream: ApifinyStream): void;
  /** The FIX order-entry path, with `orderEntry: 'fix'` (fix-entry.ts). */
  readonly fix: FixEntry | undefined;
}

/** listFilledOrder's and listCompletedOrder's largest page (documented maximum). */
const PAGE = 1_000;

/**
 * Every item of a list the venue answers newest first, at most PAGE of a [startTime, endTime] range: read page by page
 * backwards, each next page ending at the oldest time of the one before (inclusive: items sharing that millisecond
 * come again and are kept once, by `keyOf`). Oldest first.
 */
async function pagedBackwards<T>(
  sinceMs: number,
  page: (startTime: number, endTime: number | undefined) => Promise<readonly T[]>,
  timeOf: (item: T) => number,
  keyOf: (item: T) => string,
  what: string,
): Promise<T[]> {
  const startTime = Math.floor(sinceMs);
  const seen = new Set<string>();
  const out: T[] = [];
  let endTime: number | undefined;
  for (;;) {
    const items = await page(startTime, endTime);
    let added = 0;
    for (const item of items) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
      added++;
    }
    if (items.length < PAGE) break;
    const oldest = Math.min(...items.map(timeOf));
    if (added === 0) {
      // a whole page within one millisecond, all seen: the time range cannot be split further
      throw new Error(`apifiny ${what}: ${PAGE} items or more in one millisecond (${oldest}); the list cannot be read whole`);
    }
    endTime = oldest;
  }
  return out.reverse(); // pages are newest first, each older than the one before
}

export function createExecution(opts: {
  config: ApifinyConfig;
  rest: RestSession;
  clock: Clock;
  log: Logger;
  symbolOf: (id: InstrumentId) => string | undefined;
  instrumentOf: (symbol: string) => InstrumentId;
  /** For `orderEntry: 'fix'`: the Logon's signer, the backoff's randomness, a symbol's fee (quote) currency. */
  fix?: { signer: ApifinySigner; random: () => number; quoteOf: (symbol: string) => string };
}): ApifinyExecution {
  const { config, rest, clock, log } = opts;
  const { accountId } = config.credentials;
  const venue = config.venueId;
  const events$ = new Subject<VenueOrderEvent>();
  const resync$ = new Subject<string>();
  const byClient = new Map<ClientOrderId, string>();
  const byOrder = new Map<string, ClientOrderId>();
  // a done order's ids are forgotten with it (after the default retention: the newest 10,000, and 60 s at least)
  const tracker = createOrderTracker(venue, {
    onForget: (orderId) => {
      const cid = byOrder.get(orderId);
      byOrder.delete(orderId);
      fix?.forget(orderId);
      instrumentOfOrder.delete(orderId);
      if (cid !== undefined && byClient.get(cid) === orderId) byClient.delete(cid);
    },
  });
  const strategies = new Map<string, string>(config.strategies.map((s) => [strategyHash(s), s]));
  const emit = (es: readonly VenueOrderEvent[]): void => es.forEach((e) => events$.next(e));
  const describe = (a: Exclude<RestAnswer, { kind: 'ok' }>): string => (a.kind === 'unknown' ? a.reason : `${a.error.code}: ${a.error.message}`);

  const remember = (cid: ClientOrderId, orderId: string): void => {
    byClient.set(cid, orderId);
    byOrder.set(orderId, cid);
  };
  /** The client order id of one of our orders, or undefined for a foreign one. */
  const clientIdOf = (orderId: string): ClientOrderId | undefined => {
    const known = byOrder.get(orderId);
    if (known !== undefined) return known;
    const d = decodeOrderId(orderId, accountId);
    if (d === undefined) return undefined;
    if (d.kind === 'full') return d.clientOrderId;
    const s = strategies.get(d.hash);
    return s === undefined ? undefined : `${s}-${d.run}-${d.counter}`;
  };
  const observe = (o: ApifinyOrderUpdateWire): void => {
    const cid = clientIdOf(o.orderId);
    if (cid === undefined) return void log.debug({ orderId: o.orderId }, 'apifiny: update of an order that is not ours');
    emit(tracker.observe(o, cid, opts.instrumentOf(o.symbol), clock.now()));
  };

  const onUserFrame = (raw: unknown): void => {
    const f = parseUserFrame(raw);
    if (!f.ok) {
      log.error({ excerpt: excerpt(raw, EXCERPT_CHARS) }, `apifiny order stream: malformed frame (${f.reason}), ignored`);
      resync$.next('a malformed frame on the order stream was dropped (it may have been an order update or a fill)');
      return;
    }
    if (f.value.kind === 'order') observe(f.value.order);
    else if (f.value.kind === 'error') log.warn({ code: f.value.error.code }, `apifiny order stream error: ${f.value.error.message}`);
  };

  const reject = (cid: ClientOrderId, instrumentId: InstrumentId, reason: string): void =>
    emit([{ kind: 'OrderRejected', clientOrderId: cid, instrumentId, tsEvent: clock.now(), reason }]);
  const cancelRejected = (cid: ClientOrderId, instrumentId: InstrumentId, reason: string): void =>
    emit([{ kind: 'OrderCancelRejected', clientOrderId: cid, instrumentId, tsEvent: clock.now(), reason }]);
  /** Instruments of orders sent here, for events about them that carry no symbol (a cancel reject). */
  const instrumentOfOrder = new Map<string, InstrumentId>();

  const fixDeps = opts.fix;
  if (config.orderEntry === 'fix' && fixDeps === undefined) throw new Error('apifiny: orderEntry "fix" needs the FIX dependencies');
  const fix: FixEntry | undefined = fixDeps === undefined || config.orderEntry !== 'fix' ? undefined : createFixEntry({
    config, signer: fixDeps.signer, clock, log, random: fixDeps.random,
    sink: {
      observe,
      rejected(orderId, reason) {
        const cid = clientIdOf(orderId);
        const instrumentId = instrumentOfOrder.get(orderId);
        if (cid !== undefined && instrumentId !== undefined && tracker.reject(orderId, clock.now())) reject(cid, instrumentId, reason);
      },
      cancelRejected(orderId, reason) {
        const cid = clientIdOf(orderId);
        const instrumentId = instrumentOfOrder.get(orderId);
        if (cid !== undefined && instrumentId !== undefined) cancelRejected(cid, instrumentId, reason);
      },
      resync: (why) => resync$.next(why),
      filledOf: (orderId) => tracker.filledOf(orderId),
      isOpen: (orderId) => tracker.isOpen(orderId),
      quoteOf: fixDeps.quoteOf,
    },
  });

  const params = { accountId, venue: config.venue };
  const must = <T>(a: RestAnswer, what: string, parse: (r: unknown) => { ok: true; value: T } | { ok: false; reason: string }): T => {
    if (a.kind !== 'ok') throw new Error(`apifiny ${what}: ${describe(a)}`);
    const p = parse(a.result);
    if (!p.ok) throw new Error(`apifiny ${what}: unreadable answer (${p.reason})`);
    return p.value;
  };
  const report = (o: ApifinyOrderWire): OrderStatusReport => toStatusReport(venue, opts.instrumentOf(o.symbol), o, clientIdOf(o.orderId));

  return {
    venue,
    events$: events$.asObservable(),
    resync$: resync$.asObservable(),
    attach: (stream) => void stream.frames$.subscribe(onUserFrame),
    fix,

    submit(cmd) {
      const refuse = (reason: string): void => reject(cmd.clientOrderId, cmd.instrumentId, reason);
      const symbol = opts.symbolOf(cmd.instrumentId);
      if (symbol === undefined) return refuse(`unknown instrument ${cmd.instrumentId}`);
      strategies.set(strategyHash(cmd.strategyId), cmd.strategyId);
      const orderId = byClient.get(cmd.clientOrderId) ?? encodeOrderId(cmd.clientOrderId, accountId, clock.now());
      if (orderId === undefined) return refuse(`client order id ${cmd.clientOrderId} cannot be encoded as an Apifiny orderId`);
      const body = formatNewOrder(cmd, symbol, accountId, config.venue, orderId);
      if ('unsupported' in body) return refuse(body.unsupported);
      remember(cmd.clientOrderId, orderId);
      if (fix !== undefined) {
        instrumentOfOrder.set(orderId, cmd.instrumentId);
        if (fix.submit(cmd, symbol, orderId)) return;
        log.warn({ clientOrderId: cmd.clientOrderId }, 'apifiny: the FIX session is not logged on; the order goes over REST');
      }
      void rest.post(REST_PATHS.newOrder, body).then((a) => {
        if (a.kind === 'ok') {
          const o = parseOrderResult(a.result);
          if (o.ok) observe(o.value);
          else log.error({ orderId }, `apifiny newOrder: unreadable answer (${o.reason}); the order is settled by reconciliation`);
        } else if (a.kind === 'venue-error' && !a.unknownOutcome) {
          if (tracker.reject(orderId, clock.now())) refuse(`${a.error.code}: ${a.error.message}`);
        } else log.warn({ clientOrderId: cmd.clientOrderId, orderId }, `apifiny newOrder: outcome unknown (${describe(a)}); left in flight`);
      });
    },

    cancel(cmd) {
      const refused = (reason: string): void => cancelRejected(cmd.clientOrderId, cmd.instrumentId, reason);
      const orderId = byClient.get(cmd.clientOrderId) ?? cmd.venueOrderId;
      if (orderId === undefined) return refused('unknown order: no Apifiny orderId for it');
      if (fix?.cancel(cmd, orderId)) return; // an order not entered over FIX here, or FIX down: REST
      void rest.post(REST_PATHS.cancelOrder, formatCancel(cmd, accountId, config.venue, orderId)).then((a) => {
        if (a.kind === 'ok') {
          const o = parseOrderResult(a.result);
          if (o.ok) observe(o.value);
        } else if (a.kind === 'venue-error' && !a.unknownOutcome) refused(`${a.error.code}: ${a.error.message}`);
        else log.warn({ clientOrderId: cmd.clientOrderId, orderId }, `apifiny cancelOrder: outcome unknown (${describe(a)})`);
      });
    },

    modify(cmd) {
      emit([{ kind: 'OrderModifyRejected', clientOrderId: cmd.clientOrderId, instrumentId: cmd.instrumentId, tsEvent: clock.now(), reason: 'NOT_SUPPORTED: Apifiny cannot amend an order; cancel and place a new one' }]);
    },

    async openOrders(): Promise<readonly OrderStatusReport[]> {
      return must(await rest.get(REST_PATHS.listOpenOrder, params), 'listOpenOrder', parseOrderList).map(report);
    },

    /** Every fill since `sinceMs`, oldest first (listFilledOrder, paged: see pagedBackwards). */
    async fills(sinceMs: number): Promise<readonly FillReport[]> {
      const page = async (startTime: number, endTime: number | undefined) =>
        must(await rest.get(REST_PATHS.listFilledOrder, Object.assign({}, params, { startTime, limit: PAGE }, endTime === undefined ? {} : { endTime })), 'listFilledOrder', parseFillList);
      const list = await pagedBackwards(sinceMs, page, (f) => f.lastFilledCreatedAt, (f) => `${f.orderId}\u0000${fillKey(f.orderId, f)}`, 'listFilledOrder');
      return list.map((f) => toFillReport(venue, opts.instrumentOf(f.symbol), f, clientIdOf(f.orderId)));
    },

    /** Every order the venue completed since `sinceMs` (listCompletedOrder by update time, paged), oldest first. */
    async orders(sinceMs: number): Promise<readonly OrderStatusReport[]> {
      const page = async (startTime: number, endTime: number | undefined) =>
        must(await rest.get(REST_PATHS.listCompletedOrder, Object.assign({}, params, { startTime, limit: PAGE }, endTime === undefined ? {} : { endTime })), 'listCompletedOrder', parseOrderList);
      const list = await pagedBackwards(sinceMs, page, (o) => o.updatedAt, (o) => o.orderId, 'listCompletedOrder');
      return list.map(report);
    },

    async orderStatus(clientOrderId: ClientOrderId, venueOrderId?: VenueOrderId): Promise<OrderStatusReport | undefined> {
      let orderId = byClient.get(clientOrderId) ?? venueOrderId;
      if (orderId === undefined) {
        // Not known here (e.g. after a restart): look for it among the venue's orders by decoding their ids.
        const open = must(await rest.get(REST_PATHS.listOpenOrder, params), 'listOpenOrder', parseOrderList);
        const done = must(await rest.get(REST_PATHS.listCompletedOrder, Object.assign({}, params, { limit: 1000 })), 'listCompletedOrder', parseOrderList);
        const found = [...open, ...done].find((o) => clientIdOf(o.orderId) === clientOrderId);
        return found && report(found);
      }
      const a = await rest.get(REST_PATHS.queryOrderInfo, Object.assign({}, params, { orderId }));
      if (a.kind === 'venue-error' && a.error.code === ERROR_CODES.ORDER_NOT_EXIST) return undefined;
      return report(must(a, 'queryOrderInfo', parseOrderResult));
    },
  };
}
