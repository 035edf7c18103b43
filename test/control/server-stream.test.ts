import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STREAM_PROTOCOL } from '../../engine/control/auth.js';
import type { StreamMessage } from '../../engine/control/source.js';
import { TOKEN, WRONG_TOKEN, startHarness, type Harness } from './server-harness.js';

let h: Harness;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets) s.terminate();
  sockets.length = 0;
  await h.close();
});

const streamUrl = (): string => `${h.url.replace('http', 'ws')}/api/v1/stream`;

/** A client that keeps every message it receives, parsed. */
function connect(opts: { protocols?: string[]; headers?: Record<string, string> } = {}) {
  const ws = new WebSocket(streamUrl(), opts.protocols ?? [], { headers: opts.headers ?? { authorization: `Bearer ${TOKEN}` } });
  sockets.push(ws);
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const waitFor = async (n: number): Promise<void> => {
    const until = Date.now() + 10_000;
    while (messages.length < n) {
      if (Date.now() > until) throw new Error(`got ${messages.length} of ${n} messages`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { ws, messages, opened, closed, waitFor };
}

/** The status code of a refused upgrade. */
function upgradeRefusal(headers: Record<string, string>, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl(), protocols, { headers });
    sockets.push(ws);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('error', () => undefined);
  });
}

/** The client's TCP socket: pausing it stops reading, as a client too slow to keep up would. */
const pausable = (ws: WebSocket): { pause(): void; resume(): void } => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;

const fill = (n: number): StreamMessage => ({ type: 'order', event: { kind: 'OrderFilled', clientOrderId: `r7-quoter-${n}`, seq: n } });

describe('control server: the live stream', () => {
  it('sends hello with the status view first', async () => {
    h = await startHarness();
    const c = connect();
    await c.opened;
    await c.waitFor(1);
    expect(c.messages[0]).toEqual({
      schema: 'engine.stream/1',
      type: 'hello',
      status: {
        schema: 'engine.status/1', session: h.source.sessionView, venues: h.source.venueRows, strategies: h.source.strategyRows,
        positions: h.source.positionRows, orders: h.source.orderRows, fills: [], stats: h.source.statsView,
      },
    });
  });

  it('then delivers 1000 stream messages in the order they happened, each under engine.stream/1', async () => {
    h = await startHarness();
    const c = connect();
    await c.opened;
    await c.waitFor(1);
    for (let n = 0; n < 1000; n++) h.source.stream$.next(fill(n));
    h.source.stream$.next({ type: 'state', tradingState: 'HALTED', reason: 'operator' });
    await c.waitFor(1002);
    const seqs = c.messages.slice(1, 1001).map((m) => (m['event'] as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, n) => n));
    expect(c.messages[1]).toEqual({ schema: 'engine.stream/1', type: 'order', event: { kind: 'OrderFilled', clientOrderId: 'r7-quoter-0', seq: 0 } });
    expect(c.messages[1001]).toEqual({ schema: 'engine.stream/1', type: 'state', tradingState: 'HALTED', reason: 'operator' });
  });

  it('sends the same messages to every client', async () => {
    h = await startHarness();
    const a = connect();
    const b = connect();
    await Promise.all([a.opened, b.opened]);
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    for (let n = 0; n < 10; n++) h.source.stream$.next(fill(n));
    await Promise.all([a.waitFor(11), b.waitFor(11)]);
    expect(b.messages).toEqual(a.messages);
  });

  it('takes the token as a bearer.<token> subprotocol and selects engine.stream.v1, never the token', async () => {
    h = await startHarness();
    const c = connect({ protocols: [STREAM_PROTOCOL, `bearer.${TOKEN}`], headers: {} });
    await c.opened;
    expect(c.ws.protocol).toBe(STREAM_PROTOCOL);
    await c.waitFor(1);
    expect(c.messages[0]!['type']).toBe('hello');
  });

  it('refuses an upgrade without a token or with a wrong one with 401', async () => {
    h = await startHarness();
    expect(await upgradeRefusal({})).toBe(401);
    expect(await upgradeRefusal({ authorization: `Bearer ${WRONG_TOKEN}` })).toBe(401);
    expect(await upgradeRefusal({}, [STREAM_PROTOCOL, `bearer.${WRONG_TOKEN}`])).toBe(401);
    expect(h.logs.join('\n')).not.toContain(WRONG_TOKEN);
  });

  it('refuses an upgrade on another path with 404', async () => {
    h = await startHarness();
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${h.url.replace('http', 'ws')}/api/v1/elsewhere`, { headers: { authorization: `Bearer ${TOKEN}` } });
      sockets.push(ws);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => undefined);
    });
    expect(status).toBe(404);
  });

  it('lets a client in without a token when none is configured', async () => {
    h = await startHarness({ token: undefined });
    const c = connect({ headers: {} });
    await c.opened;
    await c.waitFor(1);
    expect(c.messages[0]!['type']).toBe('hello');
  });

  it('closes a client that lets more than 1 MiB pile up with 1013, while the others keep receiving', async () => {
    h = await startHarness();
    const slow = connect();
    const fast = connect();
    await Promise.all([slow.opened, fast.opened]);
    await Promise.all([slow.waitFor(1), fast.waitFor(1)]);
    pausable(slow.ws).pause();
    const big = 'x'.repeat(64 * 1024);
    // loopback socket buffers hold several MiB before anything stays queued in the server: push well past them, in
    // bursts of 256 KiB with a pause between, which a client that reads keeps up with
    for (let n = 0; n < 600; n++) {
      h.source.stream$.next({ type: 'log', level: 'warn', time: n, msg: big, fields: {} });
      if (n % 4 === 3) await new Promise((r) => setTimeout(r, 2));
    }
    pausable(slow.ws).resume();
    const closed = await slow.closed;
    expect(closed).toEqual({ code: 1013, reason: 'too slow: more than 1 MiB of stream messages unsent' });
    expect(slow.messages.length).toBeLessThan(601);
    await fast.waitFor(601);
    expect(h.logs.join('\n')).toMatch(/control stream client is too slow/);
  });

  it('terminates a client that does not answer the heartbeat ping', async () => {
    h = await startHarness({ heartbeatMs: 50 });
    const silent = connect();
    const alive = connect();
    await Promise.all([silent.opened, alive.opened]);
    // a paused socket reads nothing, so it answers no ping
    pausable(silent.ws).pause();
    await new Promise((r) => setTimeout(r, 300));
    pausable(silent.ws).resume();
    expect((await silent.closed).code).toBe(1006);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes every client with 1001 when the server closes', async () => {
    h = await startHarness();
    const c = connect();
    await c.opened;
    const closing = h.close();
    expect((await c.closed).code).toBe(1001);
    await closing;
    h = await startHarness(); // afterEach closes this one
  });

  it('closes within a few seconds even when a client does not answer the close', async () => {
    h = await startHarness();
    const stuck = connect();
    await stuck.opened;
    pausable(stuck.ws).pause();
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(3000);
    h = await startHarness(); // afterEach closes this one
  });
});
