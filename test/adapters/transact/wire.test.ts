import { describe, expect, it } from 'vitest';
import { decimalString, formatNewOrder } from '../../../adapters/transact/format.js';
import { createOrderTracker } from '../../../adapters/transact/parse.js';
import { parseFrame, type TransactFillWire, type TransactOrderWire } from '../../../adapters/transact/wire.js';
import { limit } from './helpers.js';

describe('TransAct wire parsing', () => {
  it('classifies status, data and topic frames, and order fields given as decimal strings', () => {
    expect(parseFrame({ status: -10, seq: 4, cmd: 'new_order', text: 'session key expired' })).toMatchObject({ ok: true, value: { kind: 'status', status: { status: -10, seq: 4, text: 'session key expired' } } });
    expect(parseFrame({ data: 'orders', seq: 2, orders: [] })).toMatchObject({ ok: true, value: { kind: 'data', seq: 2, data: 'orders' } });
    expect(parseFrame({ topic: 'heartbeat', time: 1 })).toMatchObject({ ok: true, value: { kind: 'heartbeat' } });
    const order = { order_id: 'T-1', client_id: 'a-1-1', symbol: 'ESZ6', side: 'BUY', type: 'LIMIT', tif: 'GTC', qty: '2', price: '4990.25', filled_qty: '0', avg_price: null, state: 'WORKING', time: 5 };
    expect(parseFrame({ topic: 'order', order })).toMatchObject({ ok: true, value: { kind: 'order', order: { qty: 2, price: 4990.25, state: 'WORKING' } } });
  });

  it('gives a short reason for a malformed frame instead of throwing', () => {
    expect(parseFrame({ topic: 'book', symbol: 'ESZ6', time: 1, bids: [[1]], asks: [] })).toEqual({ ok: false, reason: 'bids level is not [price, qty]' });
    expect(parseFrame({ topic: 'order', order: { state: 'DONE' } })).toMatchObject({ ok: false });
    expect(parseFrame([1, 2])).toEqual({ ok: false, reason: 'frame is not an object' });
  });
});

describe('TransAct order formatting', () => {
  it('sends prices and quantities as exact decimal strings, never exponent notation', () => {
    expect(decimalString(4990.25)).toBe('4990.25');
    expect(decimalString(1e-7)).toBe('0.0000001');
    const f = formatNewOrder(limit('sell', 70.01, 3, { postOnly: true }), 'CLF7');
    expect(f).toEqual({ args: { client_id: expect.any(String), symbol: 'CLF7', side: 'SELL', type: 'LIMIT', qty: '3', price: '70.01', tif: 'GTC', post_only: true } });
  });

  it('refuses locally what the contract cannot carry', () => {
    expect(formatNewOrder(limit('buy', 1, 1, { timeInForce: 'FOK' }), 'ESZ6')).toEqual({ unsupported: 'NOT_SUPPORTED: time in force FOK' });
    expect(formatNewOrder(limit('buy', 1, 1, { clientOrderId: 'has space-1-1' }), 'ESZ6')).toMatchObject({ unsupported: expect.stringMatching(/client_id/) });
  });
});

describe('TransAct order tracker', () => {
  const order = (state: TransactOrderWire['state']): TransactOrderWire => ({
    orderId: 'T-1', clientId: 'c-1-1', symbol: 'ESZ6', side: 'BUY', type: 'LIMIT', tif: 'GTC', qty: 1, price: 4990, filledQty: state === 'FILLED' ? 1 : 0, avgPrice: null, state, time: 1,
  });
  const fill: TransactFillWire = { fillId: 'F1', orderId: 'T-1', clientId: 'c-1-1', symbol: 'ESZ6', side: 'BUY', qty: 1, price: 4990, fee: 4.99, feeCurrency: 'USD', liquidity: 'MAKER', time: 2 };

  it('emits accepted before the first fill, each fill once, and nothing after a terminal state', () => {
    const t = createOrderTracker('TRANSACT');
    expect(t.order(order('PENDING'), 'ESZ6.TRANSACT')).toEqual([]);
    expect(t.fill(fill, 'ESZ6.TRANSACT').map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(t.fill(fill, 'ESZ6.TRANSACT')).toEqual([]);
    expect(t.order(order('FILLED'), 'ESZ6.TRANSACT')).toEqual([]);
    expect(t.order(order('CANCELED'), 'ESZ6.TRANSACT')).toEqual([]);
  });
});

describe('TransAct order tracker memory', () => {
  it('forgets a done order once past its retention: a repeat of it is then news again', () => {
    let now = 0;
    const t = createOrderTracker('TRANSACT', { now: () => now, retention: { keep: 0, minAgeMs: 1_000 } });
    const order = (clientId: string, state: 'CANCELED' | 'FILLED') =>
      ({ orderId: `T-${clientId}`, clientId, symbol: 'ESZ6', side: 'BUY', type: 'LIMIT', tif: 'GTC', qty: 1, price: 4990, filledQty: 0, avgPrice: null, state, time: 1 }) as const;
    expect(t.order(order('c-1-1', 'CANCELED'), 'ESZ6.TRANSACT').map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(t.order(order('c-1-1', 'CANCELED'), 'ESZ6.TRANSACT')).toEqual([]); // remembered: a repeat gives nothing
    now = 1_000;
    t.order(order('c-1-2', 'CANCELED'), 'ESZ6.TRANSACT'); // c-1-1 has been done for 1 s: forgotten
    expect(t.order(order('c-1-1', 'CANCELED'), 'ESZ6.TRANSACT').map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });
});
