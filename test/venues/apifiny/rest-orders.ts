/**
 * Signed order endpoints: POST order/newOrder, order/cancelOrder, order/cancelAccountVenueAllOrder; GET
 * order/queryOrderInfo, listMultipleOrderInfo, listOpenOrder, listCompletedOrder, listFilledOrder. Lists are newest
 * first and wrapped in the standard envelope (the doc's bare `[ … ]` examples for listMultipleOrderInfo and
 * listCompletedOrder are shorthand for "Same as new order response").
 */
import { fail } from './error-codes.js';
import { cancelAll, cancelOrder } from './order-cancel.js';
import { placeOrder } from './order-entry.js';
import { orderWire, type OrderRecord } from './order-store.js';
import { COMPLETED_STATUSES, OPEN_STATUSES, type ApifinyOrderStatus } from './protocol.js';
import { intParam, route, type RestRequest, type RestRoute } from './rest-route.js';
import type { VenueCore } from './venue-core.js';

const THREE_MONTHS = 90 * 86_400_000;
const MAX_ORDER_IDS = 500;

/** limit: default 500, at most 1000. */
function limitParam(v: unknown): number {
  const limit = intParam(v) ?? 500;
  if (!(limit >= 1 && limit <= 1000)) fail('BAD_PARAMS', 'limit must be 1..1000');
  return limit;
}

function timeParam(v: unknown, name: string): number | undefined {
  const t = intParam(v);
  if (Number.isNaN(t)) fail('BAD_PARAMS', `${name} must be epoch milliseconds`);
  return t;
}

const newestFirst = (a: OrderRecord, b: OrderRecord): number => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt;

export function orderRoutes(core: VenueCore): RestRoute[] {
  const signed = { private: true, envelope: true };
  const withVenue = { ...signed, venueRequired: true };
  const orders = (req: RestRequest): readonly OrderRecord[] => core.store.orders(req.account!.accountId);

  return [
    route('POST', '/order/newOrder', 'order/newOrder', withVenue, (req) => [orderWire(placeOrder(core, req.account!, req.params))]),
    route('POST', '/order/cancelOrder', 'order/cancelOrder', withVenue, async (req) => [
      orderWire(await cancelOrder(core, req.account!, req.params.orderId)),
    ]),
    route('POST', '/order/cancelAccountVenueAllOrder', 'order/cancelAccountVenueAllOrder', signed, (req) =>
      cancelAll(core, req.account!, req.params.symbol),
    ),
    route('GET', '/order/queryOrderInfo', 'order/queryOrderInfo', withVenue, (req) => {
      const id = req.params.orderId;
      if (typeof id !== 'string' || id === '') fail('BAD_PARAMS', 'orderId is required');
      const order = core.store.get(req.account!.accountId, id) ?? fail('ORDER_NOT_EXIST', id);
      return [orderWire(order)];
    }),
    route('GET', '/order/listMultipleOrderInfo', 'order/listMultipleOrderInfo', signed, (req) => {
      const list = req.params.orderIdList;
      if (typeof list !== 'string' || list === '') fail('BAD_PARAMS', 'orderIdList is required');
      const ids = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (ids.length > MAX_ORDER_IDS) fail('BAD_PARAMS', `at most ${MAX_ORDER_IDS} order ids`);
      return ids.flatMap((id) => {
        const o = core.store.get(req.account!.accountId, id);
        return o === undefined ? [] : [orderWire(o)];
      });
    }),
    route('GET', '/order/listOpenOrder', 'order/listOpenOrder', signed, (req) =>
      orders(req).filter((o) => OPEN_STATUSES.has(o.status)).sort(newestFirst).map(orderWire),
    ),
    route('GET', '/order/listCompletedOrder', 'order/listCompletedOrder', { ...signed, venueAliases: ['GBBO'] }, (req) => {
      const { params } = req;
      const status = params.orderStatus;
      if (status !== undefined && status !== '' && !COMPLETED_STATUSES.has(status as ApifinyOrderStatus)) {
        fail('BAD_PARAMS', 'orderStatus must be PART_FILLED, FILLED, CANCELLED or REJECTED');
      }
      const start = timeParam(params.startTime, 'startTime') ?? -Infinity;
      const end = timeParam(params.endTime, 'endTime') ?? Infinity;
      const limit = limitParam(params.limit);
      return orders(req)
        .filter((o) => COMPLETED_STATUSES.has(o.status) && (status === undefined || status === '' || o.status === status))
        .filter((o) => o.updatedAt >= start && o.updatedAt <= end)
        .sort(newestFirst)
        .slice(0, limit)
        .map(orderWire);
    }),
    route('GET', '/order/listFilledOrder', 'order/listFilledOrder', signed, (req) => {
      const { params } = req;
      const symbol = params.symbol;
      if (symbol !== undefined && (typeof symbol !== 'string' || core.market.spec(symbol) === undefined)) fail('UNKNOWN_SYMBOL', String(symbol));
      const orderId = params.orderId;
      const limit = limitParam(params.limit);
      // "up to three months": a missing end is start + 3 months, a missing start is end − 3 months; neither: the last 3 months.
      let start = timeParam(params.startTime, 'startTime');
      let end = timeParam(params.endTime, 'endTime');
      if (start === undefined && end === undefined) end = core.clock.now();
      if (start === undefined) start = end! - THREE_MONTHS;
      if (end === undefined) end = start + THREE_MONTHS;
      return core.store
        .fills(req.account!.accountId)
        .filter((f) => (symbol === undefined || f.symbol === symbol) && (orderId === undefined || f.orderId === orderId))
        .filter((f) => f.wire.lastFilledCreatedAt >= start && f.wire.lastFilledCreatedAt <= end)
        .slice(-limit)
        .reverse()
        .map((f) => f.wire);
    }),
  ];
}
