import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../engine/execution/venue-adapter.js';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import { createBackoff, type Backoff } from '../../engine/net/backoff.js';
import { ConnectionRejectedError, SocketClosedError } from '../../engine/net/errors.js';
import { createReconnectingSocket } from '../../engine/net/reconnecting-socket.js';
import type { ReconnectingSocketOptions } from '../../engine/net/reconnecting-socket-api.js';
import { captureLog, closeServer, deadPort, listen, sleep, waitFor } from './helpers.js';
import { startWsServer } from './ws-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Overrides = Omit<Partial<ReconnectingSocketOptions>, 'url' | 'urlProvider'> &
  ({ url: string } | { urlProvider: () => string | Promise<string> });

function openSocket(over: Overrides) {
  const { log, lines } = captureLog();
  const socket = createReconnectingSocket({
    name: 'test-feed',
    clock: createLiveClock(),
    backoff: createBackoff({ initialMs: 20, maxMs: 100, random: () => 0.5 }),
    log,
    ...over,
  });
  const states: ConnectionState[] = [];
  const messages: string[] = [];
  const subs = [socket.state$.subscribe((s) => states.push(s)), socket.messages$.subscribe((m) => messages.push(m))];
  cleanups.push(async () => {
    await socket.close();
    for (const s of subs) s.unsubscribe();
  });
  return { socket, states, messages, lines };
}

async function server(opts: Parameters<typeof startWsServer>[0] = {}) {
  const s = await startWsServer(opts);
  cleanups.push(() => s.close());
  return s;
}

describe('reconnecting socket', () => {
  it('connects, reports its states and delivers text frames as they arrive', async () => {
    const srv = await server({
      onConnection: (ws) => {
        ws.send('hello');
        ws.send('{"ping":1}');
        ws.send(Buffer.from('as binary'), { binary: true });
      },
    });
    const { socket, states, messages } = openSocket({ url: srv.url() });
    expect(socket.state).toBe('closed');
    await socket.connect();
    expect(socket.state).toBe('connected');
    await waitFor(() => messages.length === 3, 2_000, 'three frames');
    expect(messages).toEqual(['hello', '{"ping":1}', 'as binary']);
    expect(states).toEqual(['closed', 'connecting', 'connected']);
    expect(socket.send('{"pong":1}')).toBe(true);
    await waitFor(() => srv.received[0]?.length === 1, 2_000, 'the pong');
    expect(srv.received[0]).toEqual(['{"pong":1}']);
  });

  it('reconnects after the server drops the connection and calls onOpen again to resubscribe', async () => {
    const srv = await server({ onConnection: (ws, i) => void (i === 0 && setTimeout(() => ws.terminate(), 30)) });
    const openCounts: number[] = [];
    const { socket, states } = openSocket({
      url: srv.url(),
      onOpen: (ctx) => {
        openCounts.push(ctx.openCount);
        expect(ctx.send('{"subscribe":"BTCUSD"}')).toBe(true);
      },
    });
    await socket.connect();
    await waitFor(() => srv.connections.length === 2 && socket.state === 'connected', 3_000, 'the reconnect');
    await sleep(100);
    expect(srv.connections).toHaveLength(2);
    expect(openCounts).toEqual([1, 2]);
    expect(srv.received).toEqual([['{"subscribe":"BTCUSD"}'], ['{"subscribe":"BTCUSD"}']]);
    expect(states).toEqual(['closed', 'connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('waits a growing, jittered backoff between failed attempts (a 503 on upgrade is retried)', async () => {
    const seen: number[] = [];
    const srv = await server({
      refuse: () => {
        seen.push(performance.now());
        return 503;
      },
    });
    const randoms = [0.9, 0.7, 0.8];
    let r = 0;
    const inner = createBackoff({ initialMs: 40, maxMs: 400, random: () => randoms[r++ % randoms.length]! });
    const delays: number[] = [];
    const backoff: Backoff = {
      next: () => {
        const d = inner.next();
        delays.push(d);
        return d;
      },
      reset: () => inner.reset(),
      get attempt() {
        return inner.attempt;
      },
    };
    const { socket, states } = openSocket({ url: srv.url(), backoff });
    const connecting = socket.connect().catch((e: unknown) => e);
    await waitFor(() => seen.length >= 4, 3_000, 'four attempts');
    expect(delays.slice(0, 3)).toEqual([36, 56, 128]);
    const gaps = [seen[1]! - seen[0]!, seen[2]! - seen[1]!, seen[3]! - seen[2]!];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(delays[i]! - 3);
      expect(gap).toBeLessThan(delays[i]! + 150);
    });
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(states).toEqual(['closed', 'connecting']);
    await socket.close();
    expect(await connecting).toBeInstanceOf(SocketClosedError);
  });

  it('keeps growing the backoff for a server that drops every connection at once, and resets it once a connection is stable', async () => {
    const srv = await server({ onConnection: (ws, i) => void (i < 4 && ws.terminate()) });
    const backoff = createBackoff({ initialMs: 10, maxMs: 1_000, random: () => 0.5 });
    const { socket } = openSocket({ url: srv.url(), backoff, stableAfterMs: 60 });
    await socket.connect();
    await waitFor(() => srv.connections.length === 5 && socket.state === 'connected', 3_000, 'the fifth connection');
    expect(backoff.attempt).toBe(4); // 5, 10, 20, 40 ms: never reset by the short-lived connections
    await waitFor(() => backoff.attempt === 0, 1_000, 'the reset after a stable connection');
  });

  it.each([401, 403])('stops at once when the upgrade is refused with HTTP %i: one attempt, a readable error, no retry storm', async (status) => {
    const srv = await server({ refuse: () => status });
    const { socket, lines } = openSocket({
      url: srv.url('/ws/private?token=SECRET-QUERY'),
      headers: () => ({ authorization: 'Bearer SECRET-HEADER' }),
    });
    const error = await socket.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRejectedError);
    const rejected = error as ConnectionRejectedError;
    expect(rejected.message).toMatch(new RegExp(`^test-feed: ws://127\\.0\\.0\\.1:${srv.port}/ws/private refused the connection: HTTP ${status}`));
    expect(rejected.status).toBe(status);
    expect(rejected.message).not.toContain('SECRET');
    expect(socket.state).toBe('closed');
    expect(socket.failure).toBe(rejected);
    await sleep(300); // several backoff periods (20..100 ms)
    expect(srv.attempts).toHaveLength(1);
    expect(srv.attempts[0]!.headers.authorization).toBe('Bearer SECRET-HEADER');
    expect(lines.join('')).not.toContain('SECRET');
    expect(socket.send('x')).toBe(false);
  });

  it('stops for good when the adapter reports a refused login through fail()', async () => {
    const srv = await server();
    const { socket } = openSocket({ url: srv.url(), onOpen: (ctx) => ctx.fail(new Error('invalid api key')) });
    const error = await socket.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRejectedError);
    expect((error as Error).message).toBe(`test-feed: ws://127.0.0.1:${srv.port}/ws refused the session: invalid api key`);
    expect(socket.state).toBe('closed');
    await sleep(200);
    expect(srv.attempts).toHaveLength(1);
  });

  it('treats a failing onOpen as transient and retries', async () => {
    const srv = await server();
    const { socket } = openSocket({
      url: srv.url(),
      onOpen: async (ctx) => {
        if (ctx.openCount === 1) throw new Error('auth reply timed out');
      },
    });
    await socket.connect();
    expect(srv.connections).toHaveLength(2);
  });

  it('detects a server gone silent after idleTimeoutMs and reconnects', async () => {
    const srv = await server();
    const { socket, states } = openSocket({ url: srv.url(), heartbeat: { idleTimeoutMs: 150 } });
    await socket.connect();
    const connectedAt = performance.now();
    await waitFor(() => srv.connections.length === 2, 2_000, 'the reconnect after silence');
    expect(performance.now() - connectedAt).toBeGreaterThanOrEqual(145);
    await waitFor(() => socket.state === 'connected', 2_000, 'connected again');
    expect(states).toEqual(['closed', 'connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('keeps a connection that sends frames more often than idleTimeoutMs', async () => {
    const srv = await server({
      onConnection: (ws) => {
        const t = setInterval(() => ws.send('{"ping":1}'), 40);
        ws.on('close', () => clearInterval(t));
      },
    });
    const { socket } = openSocket({ url: srv.url(), heartbeat: { idleTimeoutMs: 150 } });
    await socket.connect();
    await sleep(450);
    expect(srv.connections).toHaveLength(1);
    expect(socket.state).toBe('connected');
  });

  it('retries an upgrade that never completes after connectTimeoutMs', async () => {
    const http = createServer();
    let upgrades = 0;
    const held: Duplex[] = [];
    http.on('upgrade', (_req, sock: Duplex) => {
      upgrades++;
      held.push(sock); // never answers
    });
    const port = await listen(http);
    cleanups.push(() => {
      for (const s of held) s.destroy();
      return closeServer(http);
    });
    const { socket } = openSocket({ url: `ws://127.0.0.1:${port}/ws`, connectTimeoutMs: 100 });
    const connecting = socket.connect().catch((e: unknown) => e);
    await waitFor(() => upgrades >= 2, 2_000, 'a second attempt');
    expect(socket.state).toBe('connecting');
    await socket.close();
    expect(await connecting).toBeInstanceOf(SocketClosedError);
  });

  it('returns false from send() whenever it is not connected', async () => {
    const srv = await server();
    const { socket } = openSocket({ url: srv.url() });
    expect(socket.send('early')).toBe(false);
    await socket.connect();
    expect(socket.send('now')).toBe(true);
    await srv.close();
    await waitFor(() => socket.state === 'reconnecting', 2_000, 'reconnecting');
    expect(socket.send('while down')).toBe(false);
    await socket.close();
    expect(socket.send('after close')).toBe(false);
  });

  it('stops reconnecting after close(), closing with code 1000, and can connect again', async () => {
    const codes: number[] = [];
    const srv = await server({ onConnection: (ws) => ws.on('close', (code) => codes.push(code)) });
    const { socket, states } = openSocket({ url: srv.url() });
    await socket.connect();
    await socket.close();
    expect(socket.state).toBe('closed');
    await waitFor(() => codes.length === 1, 2_000, 'the server to see the close');
    expect(codes).toEqual([1000]);
    await sleep(150);
    expect(srv.attempts).toHaveLength(1);
    await socket.connect();
    expect(srv.connections).toHaveLength(2);
    expect(states).toEqual(['closed', 'connecting', 'connected', 'closed', 'connecting', 'connected']);
  });

  it('asks urlProvider for a fresh url on every attempt and never logs its query string', async () => {
    const srv = await server({ onConnection: (ws, i) => void (i === 0 && setTimeout(() => ws.terminate(), 20)) });
    let n = 0;
    const { socket, lines } = openSocket({ urlProvider: async () => srv.url(`/ws?jwt=SECRET-${++n}`) });
    await socket.connect();
    await waitFor(() => srv.connections.length === 2 && socket.state === 'connected', 2_000, 'the reconnect');
    expect(srv.attempts.map((a) => a.url)).toEqual(['/ws?jwt=SECRET-1', '/ws?jwt=SECRET-2']);
    const log = lines.join('');
    expect(log).toContain(`ws://127.0.0.1:${srv.port}/ws`);
    expect(log).toContain('"state":"reconnecting"');
    expect(log).not.toContain('SECRET');
    expect(log).not.toContain('jwt=');
  });

  it('keeps secrets out of logs and errors when the host is unreachable or the url is malformed', async () => {
    const port = await deadPort();
    const down = openSocket({ url: `ws://127.0.0.1:${port}/ws?apiKey=SECRET-KEY` });
    const pending = down.socket.connect().catch((e: unknown) => e);
    await waitFor(() => down.lines.filter((l) => l.includes('ECONNREFUSED')).length >= 2, 2_000, 'two refused attempts');
    await down.socket.close();
    expect(await pending).toBeInstanceOf(SocketClosedError);
    expect(down.lines.join('')).not.toContain('SECRET');

    const bad = openSocket({ url: 'ws://[not-a-host/ws?token=SECRET-TOKEN' });
    const error = await bad.socket.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionRejectedError);
    expect(String((error as Error).message)).not.toContain('SECRET');
    expect(bad.lines.join('')).not.toContain('SECRET');
  });
});
