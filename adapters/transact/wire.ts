/**
 * TransAct wire frames (CONTRACT.md) and their validation from `unknown`. Parsers return the typed frame or a short
 * reason and never throw, so a malformed frame becomes a logged error and the stream goes on.
 */
import { attempt, arr, bad, num, numOrNull, obj, oneOf, str, type WireResult } from '../../engine/net/wire-fields.js';
export type { WireResult } from '../../engine/net/wire-fields.js';

export type TransactSide = 'BUY' | 'SELL';
export type TransactOrderState = 'PENDING' | 'WORKING' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
const STATES: readonly TransactOrderState[] = ['PENDING', 'WORKING', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];

export interface TransactStatusWire {
  readonly status: number;
  readonly seq: number | null;
  readonly cmd: string | null;
  readonly text?: string;
  /** The whole frame (some statuses carry fields: order_id, expires). */
  readonly fields: Readonly<Record<string, unknown>>;
}
export interface TransactOrderWire {
  readonly orderId: string;
  readonly clientId: string;
  readonly symbol: string;
  readonly side: TransactSide;
  readonly type: 'LIMIT' | 'MARKET';
  readonly tif: string;
  readonly qty: number;
  readonly price: number | null;
  readonly filledQty: number;
  readonly avgPrice: number | null;
  readonly state: TransactOrderState;
  readonly text?: string;
  readonly time: number;
}
export interface TransactFillWire {
  readonly fillId: string;
  readonly orderId: string;
  readonly clientId: string;
  readonly symbol: string;
  readonly side: TransactSide;
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: 'MAKER' | 'TAKER';
  readonly time: number;
}
export interface TransactInstrumentWire {
  readonly symbol: string;
  readonly root: string;
  readonly currency: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly minQty: number;
  readonly maxQty: number;
  readonly contractSize: number;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly status: string;
}
export type TransactLevelWire = readonly [number, number];

/** Every frame the server sends, by role. */
export type TransactFrame =
  | { readonly kind: 'status'; readonly status: TransactStatusWire }
  | { readonly kind: 'data'; readonly seq: number; readonly data: string; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: 'heartbeat'; readonly time: number }
  | { readonly kind: 'book'; readonly symbol: string; readonly time: number; readonly bids: readonly TransactLevelWire[]; readonly asks: readonly TransactLevelWire[] }
  | { readonly kind: 'trade'; readonly symbol: string; readonly time: number; readonly price: number; readonly qty: number; readonly aggressor: TransactSide | undefined; readonly tradeId: string | undefined }
  | { readonly kind: 'order'; readonly order: TransactOrderWire }
  | { readonly kind: 'fill'; readonly fill: TransactFillWire }
  | { readonly kind: 'ignored'; readonly what: string };

const levels = (v: unknown, what: string): TransactLevelWire[] =>
  arr(v, what).map((l) => {
    const [p, q] = arr(l, `${what} level`);
    return typeof p === 'number' && typeof q === 'number' && Number.isFinite(p) && Number.isFinite(q) ? ([p, q] as const) : bad(`${what} level is not [price, qty]`);
  });

function orderOf(v: unknown): TransactOrderWire {
  const o = obj(v, 'order');
  return {
    orderId: str(o, 'order_id'), clientId: str(o, 'client_id'), symbol: str(o, 'symbol'), side: oneOf(o, 'side', ['BUY', 'SELL'] as const),
    type: oneOf(o, 'type', ['LIMIT', 'MARKET'] as const), tif: typeof o.tif === 'string' ? o.tif : 'GTC', qty: num(o, 'qty'), price: numOrNull(o, 'price'),
    filledQty: numOrNull(o, 'filled_qty') ?? 0, avgPrice: numOrNull(o, 'avg_price'), state: oneOf(o, 'state', STATES),
    ...(typeof o.text === 'string' ? { text: o.text } : {}), time: num(o, 'time'),
  };
}
function fillOf(v: unknown): TransactFillWire {
  const f = obj(v, 'fill');
  return {
    fillId: str(f, 'fill_id'), orderId: str(f, 'order_id'), clientId: str(f, 'client_id'), symbol: str(f, 'symbol'),
    side: oneOf(f, 'side', ['BUY', 'SELL'] as const), qty: num(f, 'qty'), price: num(f, 'price'), fee: num(f, 'fee'),
    feeCurrency: str(f, 'fee_currency'), liquidity: oneOf(f, 'liquidity', ['MAKER', 'TAKER'] as const), time: num(f, 'time'),
  };
}

/** One server frame, classified by role. */
export function parseFrame(raw: unknown): WireResult<TransactFrame> {
  return attempt((): TransactFrame => {
    const o = obj(raw, 'frame');
    if ('status' in o) {
      const seq = o.seq === null || o.seq === undefined ? null : num(o, 'seq');
      return { kind: 'status', status: { status: num(o, 'status'), seq, cmd: typeof o.cmd === 'string' ? o.cmd : null, ...(typeof o.text === 'string' ? { text: o.text } : {}), fields: o } };
    }
    if ('data' in o) return { kind: 'data', seq: num(o, 'seq'), data: str(o, 'data'), body: o };
    const topic = str(o, 'topic');
    switch (topic) {
      case 'heartbeat':
        return { kind: 'heartbeat', time: num(o, 'time') };
      case 'book':
        return { kind: 'book', symbol: str(o, 'symbol'), time: num(o, 'time'), bids: levels(o.bids, 'bids'), asks: levels(o.asks, 'asks') };
      case 'trade': {
        const a = o.aggressor;
        return {
          kind: 'trade', symbol: str(o, 'symbol'), time: num(o, 'time'), price: num(o, 'price'), qty: num(o, 'qty'),
          aggressor: a === 'BUY' || a === 'SELL' ? a : undefined, tradeId: o.trade_id === undefined ? undefined : str(o, 'trade_id'),
        };
      }
      case 'order':
        return { kind: 'order', order: orderOf(o.order) };
      case 'fill':
        return { kind: 'fill', fill: fillOf(o.fill) };
      default:
        return { kind: 'ignored', what: topic };
    }
  });
}

export function parseSession(body: Readonly<Record<string, unknown>>): WireResult<{ key: string; expires: number }> {
  return attempt(() => ({ key: str(body, 'session_key'), expires: num(body, 'expires') }));
}
export function parseOrders(body: Readonly<Record<string, unknown>>): WireResult<TransactOrderWire[]> {
  return attempt(() => arr(body.orders, 'orders').map(orderOf));
}
export function parseFills(body: Readonly<Record<string, unknown>>): WireResult<TransactFillWire[]> {
  return attempt(() => arr(body.fills, 'fills').map(fillOf));
}
export function parseInstruments(body: Readonly<Record<string, unknown>>): WireResult<TransactInstrumentWire[]> {
  return attempt(() =>
    arr(body.instruments, 'instruments').map((v) => {
      const i = obj(v, 'instrument');
      return {
        symbol: str(i, 'symbol'), root: str(i, 'root'), currency: str(i, 'currency'), tickSize: num(i, 'tick_size'), lotSize: num(i, 'lot_size'),
        minQty: num(i, 'min_qty'), maxQty: num(i, 'max_qty'), contractSize: numOrNull(i, 'contract_size') ?? 1,
        makerFee: numOrNull(i, 'maker_fee') ?? 0, takerFee: numOrNull(i, 'taker_fee') ?? 0, status: typeof i.status === 'string' ? i.status : 'open',
      };
    }),
  );
}

/** JSON.parse that never throws. */
export function parseJson(text: string): WireResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}
