/**
 * Apifiny wire frames and their validation from `unknown`. A parser returns the typed frame or a short reason; it never
 * throws, so a malformed frame becomes a logged error and the stream goes on.
 */
import { attempt, arr, bad, num, numOrNull, obj, oneOf, str, type Obj, type WireResult } from '../../engine/net/wire-fields.js';
import { ORDER_STATUSES, type ApifinyOrderStatus } from './constants.js';

export type { WireResult } from '../../engine/net/wire-fields.js';

export interface ApifinyErrorWire {
  readonly code: number;
  readonly message: string;
}
export interface ApifinyOrderWire {
  readonly accountId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly orderType: 'LIMIT' | 'MARKET';
  readonly orderSide: 'BUY' | 'SELL';
  readonly limitPrice: number | null;
  readonly quantity: number;
  readonly filledAveragePrice: number;
  readonly filledCumulativeQuantity: number;
  readonly timeInForce: number;
  readonly orderStatus: ApifinyOrderStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}
export interface ApifinyLastFillWire {
  readonly lastCommission: number;
  readonly lastCommissionCurrency: string;
  readonly lastFilledQuantity: number;
  readonly lastFilledPrice: number;
  readonly lastFilledCreatedAt: number;
  readonly isTaker: boolean;
  /** Simulator/venue extension; absent → the fill is keyed by (orderId, filledCumulativeQuantity). */
  readonly tradeId?: string;
}
export type ApifinyFillWire = ApifinyOrderWire & ApifinyLastFillWire;
export interface ApifinyOrderUpdateWire extends ApifinyOrderWire {
  readonly lastFill?: ApifinyLastFillWire;
}
export interface ApifinySymbolWire {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly minQuantity: number;
  readonly maxQuantity: number;
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minNotional: number;
  readonly maxNotional: number;
  readonly status: string;
}
export type ApifinyLevelWire = readonly [number, number];
export interface ApifinyTradeWire {
  readonly price: number;
  readonly qty: number;
  readonly side: 'BUY' | 'SELL';
  readonly tradeTime: number;
  readonly exchangeID?: string;
}

/** Market data websocket frames. */
export type ApifinyMdFrame =
  | { readonly kind: 'ping'; readonly ping: number }
  | { readonly kind: 'orderbook'; readonly symbol: string; readonly updatedAt: number; readonly bids: readonly ApifinyLevelWire[]; readonly asks: readonly ApifinyLevelWire[] }
  | { readonly kind: 'trade'; readonly symbol: string; readonly trades: readonly ApifinyTradeWire[] }
  | { readonly kind: 'ignored'; readonly what: string }
  | { readonly kind: 'error'; readonly error: ApifinyErrorWire };

/** User order stream frames. */
export type ApifinyUserFrame =
  | { readonly kind: 'ping'; readonly ping: number }
  | { readonly kind: 'order'; readonly logTimestamp: number; readonly order: ApifinyOrderUpdateWire }
  | { readonly kind: 'error'; readonly error: ApifinyErrorWire };

/** The standard REST envelope. */
export type ApifinyEnvelope = { readonly kind: 'result'; readonly result: unknown } | { readonly kind: 'error'; readonly error: ApifinyErrorWire };

// ---- helpers -------------------------------------------------------------------------------------------------------


const errorOf = (v: unknown): ApifinyErrorWire => {
  const e = obj(v, 'error');
  return { code: num(e, 'code'), message: typeof e.message === 'string' ? e.message : '' };
};

// ---- parsers -------------------------------------------------------------------------------------------------------

export function parseEnvelope(body: unknown): WireResult<ApifinyEnvelope> {
  return attempt(() => {
    const o = obj(body, 'response');
    if (!('result' in o) && !('error' in o)) bad('neither result nor error');
    if (o.error !== null && o.error !== undefined) return { kind: 'error', error: errorOf(o.error) };
    return { kind: 'result', result: o.result };
  });
}

function orderOf(v: unknown): ApifinyOrderWire {
  const o = obj(v, 'order');
  return {
    accountId: str(o, 'accountId'),
    orderId: str(o, 'orderId'),
    symbol: str(o, 'symbol'),
    orderType: oneOf(o, 'orderType', ['LIMIT', 'MARKET'] as const),
    orderSide: oneOf(o, 'orderSide', ['BUY', 'SELL'] as const),
    limitPrice: numOrNull(o, 'limitPrice'),
    quantity: num(o, 'quantity'),
    filledAveragePrice: numOrNull(o, 'filledAveragePrice') ?? 0,
    filledCumulativeQuantity: numOrNull(o, 'filledCumulativeQuantity') ?? 0,
    timeInForce: numOrNull(o, 'timeInForce') ?? 1,
    orderStatus: oneOf(o, 'orderStatus', ORDER_STATUSES),
    createdAt: num(o, 'createdAt'),
    updatedAt: num(o, 'updatedAt'),
  };
}

function lastFillOf(o: Obj): ApifinyLastFillWire {
  const tradeId = o.tradeId;
  return {
    lastCommission: num(o, 'lastCommission'),
    lastCommissionCurrency: str(o, 'lastCommissionCurrency'),
    lastFilledQuantity: num(o, 'lastFilledQuantity'),
    lastFilledPrice: num(o, 'lastFilledPrice'),
    lastFilledCreatedAt: num(o, 'lastFilledCreatedAt'),
    isTaker: o.isTaker === true,
    ...(typeof tradeId === 'string' || typeof tradeId === 'number' ? { tradeId: String(tradeId) } : {}),
  };
}

/** One order (newOrder / cancelOrder / queryOrderInfo results are a one-element list). */
export function parseOrderResult(result: unknown): WireResult<ApifinyOrderWire> {
  return attempt(() => orderOf(Array.isArray(result) ? result[0] : result));
}
export function parseOrderList(result: unknown): WireResult<ApifinyOrderWire[]> {
  return attempt(() => arr(result, 'result').map(orderOf));
}
export function parseFillList(result: unknown): WireResult<ApifinyFillWire[]> {
  return attempt(() => arr(result, 'result').map((v) => ({ ...orderOf(v), ...lastFillOf(obj(v, 'fill')) })));
}
export function parseSymbolList(result: unknown): WireResult<ApifinySymbolWire[]> {
  return attempt(() =>
    arr(result, 'result').map((v) => {
      const o = obj(v, 'symbol');
      return {
        symbol: str(o, 'symbol'), baseAsset: str(o, 'baseAsset'), quoteAsset: str(o, 'quoteAsset'),
        minPrice: num(o, 'minPrice'), maxPrice: num(o, 'maxPrice'), minQuantity: num(o, 'minQuantity'), maxQuantity: num(o, 'maxQuantity'),
        tickSize: num(o, 'tickSize'), stepSize: num(o, 'stepSize'), minNotional: num(o, 'minNotional'), maxNotional: num(o, 'maxNotional'),
        status: typeof o.status === 'string' ? o.status : 'enabled',
      };
    }),
  );
}
/** getCommissionRate: `[{ takeFee, makeFee }]`. */
export function parseCommission(result: unknown): WireResult<{ makeFee: number; takeFee: number }> {
  return attempt(() => {
    const o = obj(Array.isArray(result) ? result[0] : result, 'commission');
    return { makeFee: num(o, 'makeFee'), takeFee: num(o, 'takeFee') };
  });
}

const levels = (v: unknown, what: string): ApifinyLevelWire[] =>
  arr(v, what).map((l) => {
    const a = arr(l, `${what} level`);
    const p = a[0];
    const s = a[1];
    return typeof p === 'number' && typeof s === 'number' && Number.isFinite(p) && Number.isFinite(s) ? ([p, s] as const) : bad(`${what} level is not [price, size]`);
  });

export function parseMdFrame(raw: unknown): WireResult<ApifinyMdFrame> {
  return attempt((): ApifinyMdFrame => {
    const o = obj(raw, 'frame');
    if ('ping' in o) return { kind: 'ping', ping: num(o, 'ping') };
    if ('error' in o && o.error !== null) return { kind: 'error', error: errorOf(o.error) };
    const channel = str(o, 'channel');
    if (channel === 'orderbook') {
      const b = obj(o.orderbook, 'orderbook');
      return { kind: 'orderbook', symbol: str(b, 'symbol'), updatedAt: num(b, 'updatedAt'), bids: levels(b.bids, 'bids'), asks: levels(b.asks, 'asks') };
    }
    if (channel === 'trade') {
      const t = obj(o.trade, 'trade');
      const trades = arr(t.trades, 'trades').map((x): ApifinyTradeWire => {
        const r = obj(x, 'trade');
        const id = r.exchangeID;
        return {
          price: num(r, 'price'), qty: num(r, 'qty'), side: oneOf(r, 'side', ['BUY', 'SELL'] as const), tradeTime: num(r, 'tradeTime'),
          ...(typeof id === 'string' || typeof id === 'number' ? { exchangeID: String(id) } : {}),
        };
      });
      return { kind: 'trade', symbol: str(o, 'symbol'), trades };
    }
    return { kind: 'ignored', what: channel };
  });
}

export function parseUserFrame(raw: unknown): WireResult<ApifinyUserFrame> {
  return attempt((): ApifinyUserFrame => {
    const o = obj(raw, 'frame');
    if ('ping' in o) return { kind: 'ping', ping: num(o, 'ping') };
    if ('error' in o && o.error !== null && o.error !== undefined) return { kind: 'error', error: errorOf(o.error) };
    const p = obj(o.payload, 'payload');
    const order = orderOf(p);
    const lastFill = p.lastFilledQuantity !== undefined && p.lastFilledQuantity !== null ? lastFillOf(p) : undefined;
    return { kind: 'order', logTimestamp: num(o, 'logTimestamp'), order: lastFill ? Object.assign({}, order, { lastFill }) : order };
  });
}

/** JSON.parse that never throws. */
export function parseJson(text: string): WireResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}
