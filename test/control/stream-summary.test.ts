/**
 * `?orders=changes` (what the dashboard asks for): fills and other messages whole, of other order events only what
 * changes the open orders; over the server, next to a client of the full stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StreamMessage } from '../../engine/control/source.js';
import { summariseOrders } from '../../engine/control/stream-summary.js';
import { TOKEN, startHarness, type Harness } from './server-harness.js';

const ev = (kind: string, id: string, extra: Record<string, unknown> = {}): StreamMessage => ({ type: 'order', event: { kind, clientOrderId: id, ...extra } });
const batch = (...messages: StreamMessage[]): StreamMessage => ({ type: 'batch', messages });
const kinds = (m: ReturnType<typeof summariseOrders>): string[] =>
  (m.type === 'batch' ? m.messages : [m]).map((x) => (x.type === 'order' ? `${String(x.event.kind)}:${String(x.event.clientOrderId)}` : x.type));

describe('order events summarised per frame', () => {
  it('drops an order that opened and closed within the frame, but keeps its fills and its rejection', () => {
    const out = summariseOrders(batch(
      ev('OrderSubmitted', 'a'), ev('OrderAccepted', 'a'), ev('OrderCanceled', 'a'),
      ev('OrderSubmitted', 'f'), ev('OrderFilled', 'f', { lastQty: 1 }), ev('OrderFilled', 'f', { lastQty: 2 }), ev('OrderCanceled', 'f'),
      ev('OrderSubmitted', 'r'), ev('OrderRejected', 'r'),
    ));
    expect(kinds(out)).toEqual(['OrderFilled:f', 'OrderFilled:f', 'OrderRejected:r']);
    expect(out).toMatchObject({ omittedOrderEvents: 6 });
  });

  it('keeps the first 20 denials of a frame and counts the rest', () => {
    const out = summariseOrders(batch(...Array.from({ length: 25 }, (_, n) => ev('OrderDenied', `d${n}`)), ev('OrderFilled', 'x')));
    expect(kinds(out)).toEqual([...Array.from({ length: 20 }, (_, n) => `OrderDenied:d${n}`), 'OrderFilled:x']);
    expect(out).toMatchObject({ omittedOrderEvents: 5 });
  });

  it('keeps the event that opened an order still open, and its last event, in order with everything else', () => {
    const out = summariseOrders(batch(
      ev('OrderSubmitted', 'a'), { type: 'state', tradingState: 'HALTED', reason: 'x' }, ev('OrderAccepted', 'a'), ev('OrderPendingUpdate', 'a'), ev('OrderUpdated', 'a'),
    ));
    expect(kinds(out)).toEqual(['OrderSubmitted:a', 'state', 'OrderUpdated:a']);
    expect(out).toMatchObject({ omittedOrderEvents: 2 });
  });

  it('keeps only the last event of an order opened in an earlier frame (a cancel that completed)', () => {
    const out = summariseOrders(batch(ev('OrderPendingCancel', 'old'), ev('OrderCanceled', 'old'), ev('OrderAccepted', 'other')));
    expect(kinds(out)).toEqual(['OrderCanceled:old', 'OrderAccepted:other']);
  });

  it('leaves a frame with nothing to leave out as it is', () => {
    const one = ev('OrderAccepted', 'a');
    expect(summariseOrders(one)).toBe(one);
    const b = batch(ev('OrderSubmitted', 'a'), ev('OrderFilled', 'a'));
    expect(summariseOrders(b)).toBe(b);
  });
});

describe('the stream with ?orders=changes', () => {
  let h: Harness;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const s of sockets) s.terminate();
    await h.close();
  });
  const connect = (query: string) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/stream${query}`, [], { headers: { authorization: `Bearer ${TOKEN}` } });
    sockets.push(ws);
    const messages: Array<Record<string, any>> = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, any>));
    return { ws, messages, opened: new Promise((r) => ws.once('open', r)) };
  };
  const waitFor = async (c: { messages: unknown[] }, n: number) => {
    for (let i = 0; i < 2000 && c.messages.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('sends the summary to the clients that asked for it and every event to the others', async () => {
    h = await startHarness();
    const full = connect('');
    const changes = connect('?orders=changes');
    await Promise.all([full.opened, changes.opened]);
    await Promise.all([waitFor(full, 1), waitFor(changes, 1)]);
    h.source.stream$.next(batch(ev('OrderSubmitted', 'a'), ev('OrderCanceled', 'a'), ev('OrderFilled', 'b', { seq: 1 })));
    await Promise.all([waitFor(full, 2), waitFor(changes, 2)]);
    expect(full.messages[1]!.messages).toHaveLength(3);
    expect(changes.messages[1]).toEqual({
      schema: 'engine.stream/1', type: 'batch', omittedOrderEvents: 2, messages: [{ type: 'order', event: { kind: 'OrderFilled', clientOrderId: 'b', seq: 1 } }],
    });
  });

  it('refuses another value of orders with 400, saying which there are', async () => {
    h = await startHarness();
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/stream?orders=some`, [], { headers: { authorization: `Bearer ${TOKEN}` } });
    sockets.push(ws);
    const [status, body] = await new Promise<[number, string]>((resolve) => {
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve([res.statusCode ?? 0, text]));
      });
      ws.once('error', () => undefined);
    });
    expect(status).toBe(400);
    expect((JSON.parse(body) as { error: string }).error).toBe('orders=some: "all" (every order event, the default) or "changes" (what changes the open orders)');
  });
});
