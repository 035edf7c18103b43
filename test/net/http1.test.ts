/**
 * The keep-alive HTTP/1.1 pool (engine/net/http1.ts) against a server that writes raw bytes, so every framing case
 * (split heads, chunked bodies cut anywhere, bytes nobody asked for, closes at each point) is exactly what the test says.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, HTTP_SENT_CHANNEL, type HttpOutcome } from '../../engine/net/http-client.js';
import { captureLog, closeServer, deadPort, listen } from './helpers.js';

/** What the raw server does with one request on one connection: `write` bytes, maybe split into pieces, maybe close. */
type Script = (req: { method: string; path: string; body: string; connection: number }, socket: Socket) => void;

interface Raw {
  readonly url: string;
  readonly server: Server;
  /** Requests in the order they arrived, with the number of the connection each came on (1, 2, …). */
  readonly requests: { method: string; path: string; body: string; connection: number }[];
  readonly sockets: Socket[];
}

const servers: (Server | HttpServer)[] = [];
const rawSockets: Socket[] = [];
afterEach(async () => {
  for (const s of rawSockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    if ('closeAllConnections' in s) await closeServer(s);
    else await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A server that reads requests (Content-Length bodies) and answers each through `script`. */
async function rawServer(script: Script): Promise<Raw> {
  const requests: Raw['requests'] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    rawSockets.push(socket);
    const connection = sockets.length;
    let buf = '';
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.slice(0, end).split('\r\n');
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const [method, path] = head[0]!.split(' ') as [string, string];
        const req = { method, path, body: buf.slice(end + 4, end + 4 + length), connection };
        buf = buf.slice(end + 4 + length);
        requests.push(req);
        script(req, socket);
      }
    });
  });
  servers.push(server);
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  return { url: `http://127.0.0.1:${port}`, server, requests, sockets };
}

const response = (body: string, headers = ''): string =>
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}\r\n${body}`;

/** Writes `bytes` one piece at a time, each on a later turn, so the client gets them in separate reads. */
function trickle(socket: Socket, bytes: string, pieceLength: number, then?: () => void): void {
  let at = 0;
  const next = (): void => {
    if (socket.destroyed) return;
    if (at >= bytes.length) return then?.();
    socket.write(bytes.slice(at, at + pieceLength));
    at += pieceLength;
    setTimeout(next, 1);
  };
  next();
}

function client(url: string, opts: { timeoutMs?: number; maxConnections?: number } = {}) {
  const { log, lines } = captureLog();
  return { http: createHttpClient({ baseUrl: url, timeoutMs: opts.timeoutMs ?? 2_000, log, name: 'venue', maxConnections: opts.maxConnections }), lines };
}

const ok = (out: HttpOutcome): unknown => {
  expect(out.kind, JSON.stringify(out)).toBe('ok');
  return (out as { body: unknown }).body;
};

describe('HTTP/1.1 pool', () => {
  it('writes the request in the call that hands it over, on a kept-alive connection, and reuses that connection', async () => {
    const raw = await rawServer((req, socket) => socket.write(response(JSON.stringify({ path: req.path, body: req.body }))));
    const { http } = client(raw.url);
    const sent: unknown[] = [];
    const onSent = (m: unknown): void => void sent.push(m);
    subscribe(HTTP_SENT_CHANNEL, onSent);
    try {
      expect(ok(await http.request({ method: 'POST', path: '/order', body: { qty: '1' } }))).toEqual({ path: '/order', body: '{"qty":"1"}' });
      // the connection is open and idle now: the next request's bytes are on the socket before request() returns
      sent.length = 0;
      const pending = http.request({ method: 'POST', path: '/order2', body: 'x' });
      expect(sent).toEqual([{ name: 'venue', method: 'POST' }]);
      expect(ok(await pending)).toEqual({ path: '/order2', body: 'x' });
      for (let i = 0; i < 5; i++) ok(await http.request({ method: 'GET', path: `/q${i}` }));
      expect(raw.sockets).toHaveLength(1);
      expect(raw.requests.map((r) => r.connection)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    } finally {
      unsubscribe(HTTP_SENT_CHANNEL, onSent);
      await http.close();
    }
  });

  it('reads a head and a Content-Length body that arrive a few bytes at a time', async () => {
    const body = JSON.stringify({ orderId: 'V-1', text: 'é'.repeat(50) });
    const raw = await rawServer((_req, socket) => trickle(socket, response(body, 'x-extra: 1\r\n'), 7));
    const { http } = client(raw.url);
    try {
      expect(ok(await http.request({ method: 'GET', path: '/a' }))).toEqual(JSON.parse(body));
      expect(ok(await http.request({ method: 'GET', path: '/b' }))).toEqual(JSON.parse(body));
      expect(raw.sockets).toHaveLength(1);
    } finally {
      await http.close();
    }
  });

  it('reads chunked bodies cut at every point, with chunk extensions and trailers, and keeps the connection', async () => {
    const text = JSON.stringify({ fills: Array.from({ length: 12 }, (_, i) => ({ id: i, px: '27000.5' })) });
    const pieces = [text.slice(0, 17), text.slice(17, 150), text.slice(150)];
    const chunked =
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
      pieces.map((p, i) => `${Buffer.byteLength(p).toString(16)}${i === 1 ? ';name=value' : ''}\r\n${p}\r\n`).join('') +
      '0\r\nx-trailer: t\r\n\r\n';
    for (const pieceLength of [1, 3, 64, chunked.length]) {
      const raw = await rawServer((_req, socket) => trickle(socket, chunked, pieceLength));
      const { http } = client(raw.url);
      try {
        expect(ok(await http.request({ method: 'GET', path: '/fills' }))).toEqual(JSON.parse(text));
        expect(ok(await http.request({ method: 'GET', path: '/fills' }))).toEqual(JSON.parse(text));
        expect(raw.sockets, `pieces of ${pieceLength}`).toHaveLength(1);
      } finally {
        await http.close();
      }
    }
  });

  it('closes a connection that gets bytes while idle, and answers the next request on a new one with its own answer', async () => {
    const raw = await rawServer((req, socket) => {
      socket.write(response(JSON.stringify({ path: req.path })));
      // a broken or hostile server: an answer nobody asked for, on the idle connection
      if (req.path === '/first') setTimeout(() => socket.write(response(JSON.stringify({ path: '/forged' }))), 20);
    });
    const { http } = client(raw.url);
    try {
      expect(ok(await http.request({ method: 'GET', path: '/first' }))).toEqual({ path: '/first' });
      await new Promise((r) => setTimeout(r, 80));
      expect(ok(await http.request({ method: 'POST', path: '/second', body: '{}' }))).toEqual({ path: '/second' });
      expect(raw.requests.map((r) => [r.path, r.connection])).toEqual([['/first', 1], ['/second', 2]]);
    } finally {
      await http.close();
    }
  });

  it('does not reuse a connection that carried bytes past the end of an answer', async () => {
    const raw = await rawServer((req, socket) => socket.write(response(JSON.stringify({ path: req.path })) + (req.path === '/a' ? 'HTTP/1.1 200 OK\r\n' : '')));
    const { http } = client(raw.url);
    try {
      expect(ok(await http.request({ method: 'GET', path: '/a' }))).toEqual({ path: '/a' });
      expect(ok(await http.request({ method: 'GET', path: '/b' }))).toEqual({ path: '/b' });
      expect(raw.requests.map((r) => r.connection)).toEqual([1, 2]);
    } finally {
      await http.close();
    }
  });

  it('reads a body up to the close when it has no length, and opens a new connection after Connection: close', async () => {
    const raw = await rawServer((req, socket) => {
      if (req.path === '/eof') socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it');
      else socket.write(response('{"closing":true}', 'connection: close\r\n'));
    });
    const { http } = client(raw.url);
    try {
      expect(ok(await http.request({ method: 'GET', path: '/eof' }))).toBe('all of it');
      expect(ok(await http.request({ method: 'GET', path: '/close' }))).toEqual({ closing: true });
      expect(ok(await http.request({ method: 'GET', path: '/close' }))).toEqual({ closing: true });
      expect(raw.requests.map((r) => r.connection)).toEqual([1, 2, 3]);
    } finally {
      await http.close();
    }
  });

  it("keeps a connection no longer than the server's Keep-Alive timeout less a second", async () => {
    const raw = await rawServer((req, socket) => socket.write(response('{}', 'keep-alive: timeout=2\r\n')));
    const { http } = client(raw.url);
    try {
      ok(await http.request({ method: 'GET', path: '/1' }));
      ok(await http.request({ method: 'GET', path: '/2' })); // at once: reused
      await new Promise((r) => setTimeout(r, 1_150)); // past 2 s − 1 s: the server may be closing it
      ok(await http.request({ method: 'GET', path: '/3' }));
      expect(raw.requests.map((r) => r.connection)).toEqual([1, 1, 2]);
    } finally {
      await http.close();
    }
  });

  it('sends the next request on a new connection when the server closed an idle one', async () => {
    const server = createHttpServer((req, res) => res.end(JSON.stringify({ url: req.url })));
    server.keepAliveTimeout = 50; // Node closes idle connections after 50 ms (and says timeout=1, i.e. none with our margin)
    servers.push(server);
    const port = await listen(server);
    const { http } = client(`http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < 3; i++) {
        expect(ok(await http.request({ method: 'POST', path: `/p${i}`, body: '{}' }))).toEqual({ url: `/p${i}` });
        await new Promise((r) => setTimeout(r, 120));
      }
    } finally {
      await http.close();
    }
  });

  it('gives bad-response for a malformed answer, closes that connection, and goes on', async () => {
    const bad: Record<string, string> = {
      '/status': 'HTTP/2 200 OK\r\n\r\n',
      '/header': 'HTTP/1.1 200 OK\r\nno colon here\r\ncontent-length: 0\r\n\r\n',
      '/length': 'HTTP/1.1 200 OK\r\ncontent-length: 12abc\r\n\r\n',
      '/two-lengths': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nab',
      '/chunk': 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
      '/head-too-big': `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(70_000)}`,
    };
    const raw = await rawServer((req, socket) => socket.write(bad[req.path] ?? response('{"fine":true}')));
    const { http } = client(raw.url);
    try {
      for (const path of Object.keys(bad)) {
        expect(await http.request({ method: 'GET', path }), path).toMatchObject({ kind: 'unknown', reason: 'bad-response', detail: 'HTTP_PROTOCOL' });
      }
      expect(ok(await http.request({ method: 'GET', path: '/fine' }))).toEqual({ fine: true });
      expect(new Set(raw.requests.map((r) => r.connection)).size).toBe(raw.requests.length); // each bad answer closed its connection
    } finally {
      await http.close();
    }
  });

  it('skips informational answers and reads no body after a 204', async () => {
    const raw = await rawServer((req, socket) => {
      if (req.path === '/continue') socket.write('HTTP/1.1 100 Continue\r\n\r\n' + response('{"after":"100"}'));
      else socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const { http } = client(raw.url);
    try {
      expect(ok(await http.request({ method: 'POST', path: '/continue', body: '{}' }))).toEqual({ after: '100' });
      expect(ok(await http.request({ method: 'DELETE', path: '/empty' }))).toBeUndefined();
      expect(raw.requests.map((r) => r.connection)).toEqual([1, 1]);
    } finally {
      await http.close();
    }
  });

  it('fails every waiting request at once when the venue refuses connections, with one attempt per free connection', async () => {
    const { http } = client(`http://127.0.0.1:${await deadPort()}`, { maxConnections: 2 });
    const t0 = performance.now();
    const outs = await Promise.all(Array.from({ length: 10 }, (_, i) => http.request({ method: 'POST', path: `/o${i}`, body: '{}' })));
    expect(performance.now() - t0).toBeLessThan(1_000);
    for (const o of outs) expect(o).toEqual({ kind: 'unknown', reason: 'network', detail: 'ECONNREFUSED' });
    await http.close();
  });

  it('gives unknown network, never ok, when the connection drops after the request was written', async () => {
    const raw = await rawServer((_req, socket) => socket.destroy());
    const { http } = client(raw.url);
    try {
      expect(await http.request({ method: 'POST', path: '/order', body: '{}' })).toMatchObject({ kind: 'unknown', reason: 'network' });
      expect(raw.requests).toHaveLength(1);
    } finally {
      await http.close();
    }
  });

  it('close() lets requests already handed over finish, then refuses new ones', async () => {
    const raw = await rawServer((req, socket) => setTimeout(() => socket.write(response(JSON.stringify({ path: req.path }))), 50));
    const { http } = client(raw.url, { maxConnections: 1 });
    const a = http.request({ method: 'GET', path: '/a' });
    const b = http.request({ method: 'GET', path: '/b' }); // waits for the one connection
    const closed = http.close();
    expect(ok(await a)).toEqual({ path: '/a' });
    expect(ok(await b)).toEqual({ path: '/b' });
    await closed;
    expect(await http.request({ method: 'GET', path: '/c' })).toMatchObject({ kind: 'unknown', reason: 'network' });
  });
});
