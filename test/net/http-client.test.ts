import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedClock } from '../../engine/clock/simulated-clock.js';
import { createHttpClient, describeHttpOutcome, type HttpOutcome } from '../../engine/net/http-client.js';
import { parseRetryAfter } from '../../engine/net/retry-after.js';
import { captureLog, closeServer, deadPort, listen } from './helpers.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

const routes: Record<string, Route> = {
  '/api/v1/ok': (_q, res) => json(res, 200, { orderId: 'V1', status: 'NEW' }),
  '/api/v1/empty': (_q, res) => void res.writeHead(204).end(),
  '/api/v1/bad': (_q, res) => json(res, 400, { code: -1013, msg: 'Invalid quantity' }),
  '/api/v1/boom': (_q, res) => json(res, 500, { msg: 'internal' }),
  '/api/v1/gateway': (_q, res) => void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'),
  '/api/v1/busy': (_q, res) => json(res, 429, { msg: 'slow down' }, { 'retry-after': '3' }),
  '/api/v1/busy-until': (_q, res) =>
    json(res, 429, {}, { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT', date: 'Wed, 21 Oct 2015 07:28:00 GMT' }),
  '/api/v1/server-timeout': (_q, res) => void res.writeHead(408).end(),
  '/api/v1/text': (_q, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('pong'),
  '/api/v1/moved': (_q, res) => void res.writeHead(302, { location: '/api/v1/ok' }).end(),
  '/api/v1/hang': () => undefined, // never answers
  '/api/v1/cut': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"partial":');
    setTimeout(() => res.destroy(), 20);
  },
  '/api/v1/hint-then-drop': (_q, res) => {
    res.writeEarlyHints({ link: '</x.css>; rel=preload' });
    setTimeout(() => res.destroy(), 20);
  },
  '/api/v1/echo': (req, res, body) => json(res, 200, { method: req.method, url: req.url, contentType: req.headers['content-type'], body }),
};

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (route) route(req, res, body);
    else json(res, 404, { msg: 'no route' });
  });
});
let baseUrl = '';

beforeAll(async () => {
  baseUrl = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(() => closeServer(server));

function client(timeoutMs = 1_000) {
  const { log, lines } = captureLog();
  return { http: createHttpClient({ baseUrl, timeoutMs, log, name: 'apifiny-rest' }), lines };
}

describe('http client', () => {
  it('returns ok with the parsed JSON body for a 2xx', async () => {
    const { http } = client();
    expect(await http.request({ method: 'GET', path: '/api/v1/ok' })).toEqual({ kind: 'ok', status: 200, body: { orderId: 'V1', status: 'NEW' } });
    expect(await http.request({ method: 'DELETE', path: '/api/v1/empty' })).toEqual({ kind: 'ok', status: 204, body: undefined });
  });

  it('returns ok with the raw text when a 2xx body is not JSON', async () => {
    const { http } = client();
    expect(await http.request({ method: 'GET', path: '/api/v1/text' })).toEqual({ kind: 'ok', status: 200, body: 'pong' });
  });

  it('sends the query and a JSON body, setting content-type', async () => {
    const { http } = client();
    const out = await http.request({ method: 'POST', path: '/api/v1/echo', query: { symbol: 'BTCUSD', limit: 5, skip: undefined }, body: { qty: '0.5' } });
    expect(out).toEqual({
      kind: 'ok',
      status: 200,
      body: { method: 'POST', url: '/api/v1/echo?symbol=BTCUSD&limit=5', contentType: 'application/json', body: '{"qty":"0.5"}' },
    });
    const signed = await http.request({ method: 'GET', path: '/api/v1/echo', query: 'b=2&a=1&signature=abc' });
    expect(signed.kind === 'ok' && (signed.body as { url: string }).url).toBe('/api/v1/echo?b=2&a=1&signature=abc');
  });

  it('returns rejected with the body for a 4xx refusal', async () => {
    const { http } = client();
    expect(await http.request({ method: 'POST', path: '/api/v1/bad', body: {} })).toEqual({
      kind: 'rejected',
      status: 400,
      body: { code: -1013, msg: 'Invalid quantity' },
    });
  });

  it.each([
    ['/api/v1/boom', 500, { msg: 'internal' }],
    ['/api/v1/gateway', 502, '<html>Bad Gateway</html>'],
  ])('returns unknown server-error for %s (HTTP %i)', async (path, status, body) => {
    const { http } = client();
    expect(await http.request({ method: 'POST', path, body: {} })).toEqual({ kind: 'unknown', reason: 'server-error', status, body });
  });

  it('returns unknown rate-limited for a 429, with Retry-After in ms', async () => {
    const { http } = client();
    expect(await http.request({ method: 'POST', path: '/api/v1/busy' })).toEqual({
      kind: 'unknown',
      reason: 'rate-limited',
      status: 429,
      retryAfterMs: 3_000,
      body: { msg: 'slow down' },
    });
    const dated = await http.request({ method: 'POST', path: '/api/v1/busy-until' });
    expect(dated).toMatchObject({ kind: 'unknown', reason: 'rate-limited', retryAfterMs: 30_000 });
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const at = 'Wed, 21 Oct 2015 07:28:30 GMT';
    expect(parseRetryAfter(at)).toBeUndefined();
    expect(parseRetryAfter(at, null, createSimulatedClock({ start: Date.parse(at) - 5_000 }))).toBe(5_000);
    expect(parseRetryAfter(at, 'Wed, 21 Oct 2015 07:29:00 GMT')).toBe(0);
  });

  it('returns unknown timeout for a 408', async () => {
    const { http } = client();
    expect(await http.request({ method: 'POST', path: '/api/v1/server-timeout' })).toEqual({ kind: 'unknown', reason: 'timeout', status: 408 });
  });

  it('returns unknown timeout within timeoutMs when the server never answers', async () => {
    const { http, lines } = client(150);
    const start = performance.now();
    const out = await http.request({ method: 'POST', path: '/api/v1/hang', body: { qty: '1' } });
    const elapsed = performance.now() - start;
    expect(out).toEqual({ kind: 'unknown', reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_000);
    expect(lines.join('')).toContain('apifiny-rest POST /api/v1/hang: outcome unknown (timeout after 150 ms)');
  });

  it('returns unknown network when the connection is refused', async () => {
    const { log } = captureLog();
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${await deadPort()}`, timeoutMs: 1_000, log, name: 'x' });
    expect(await http.request({ method: 'GET', path: '/api/v1/ok' })).toEqual({ kind: 'unknown', reason: 'network', detail: 'ECONNREFUSED' });
  });

  it('returns unknown bad-response when the body is cut off or the status is a redirect', async () => {
    const { http } = client();
    expect(await http.request({ method: 'GET', path: '/api/v1/cut' })).toMatchObject({ kind: 'unknown', reason: 'bad-response', status: 200 });
    expect(await http.request({ method: 'POST', path: '/api/v1/moved' })).toMatchObject({ kind: 'unknown', reason: 'bad-response', status: 302 });
  });

  it('treats a connection lost after an informational 103 as lost before any answer (unknown network, no status)', async () => {
    const { http } = client();
    const out = await http.request({ method: 'POST', path: '/api/v1/hint-then-drop', body: '{}' });
    expect(out).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(out).not.toHaveProperty('status');
  });

  it('never logs query strings, headers or request bodies, and logs a response excerpt only when asked', async () => {
    const { http, lines } = client();
    const secret = { query: 'apiKey=SECRET-Q&signature=SECRET-S', headers: { 'x-api-key': 'SECRET-H' }, body: '{"secret":"SECRET-B"}' };
    await http.request({ method: 'POST', path: '/api/v1/boom', ...secret });
    await http.request({ method: 'POST', path: '/api/v1/bad?sig=SECRET-P', ...secret });
    const quiet = lines.join('');
    expect(quiet).toContain('"path":"/api/v1/boom"');
    expect(quiet).toContain('"path":"/api/v1/bad"');
    expect(quiet).not.toContain('SECRET');
    expect(quiet).not.toContain('Invalid quantity');
    lines.length = 0;
    await http.request({ method: 'POST', path: '/api/v1/bad', ...secret, logResponseBody: true });
    expect(lines.join('')).toContain('Invalid quantity');
    expect(lines.join('')).not.toContain('SECRET');
  });

  it('keeps to its connection limit: requests beyond it wait for a free connection, and a waiting one times out as unknown and is never sent', async () => {
    const sockets = new Set<unknown>();
    const seen: string[] = [];
    const counting = createServer((req, res) => {
      sockets.add(req.socket);
      seen.push(req.url ?? '');
      setTimeout(() => json(res, 200, { url: req.url }), req.url === '/slow' ? 300 : 5);
    });
    const port = await listen(counting);
    const { log } = captureLog();
    const http = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1_000, log, name: 'x', maxConnections: 2 });
    try {
      const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => http.request({ method: 'POST', path: `/n${i}`, body: '{}' })));
      expect(outs.map((o) => o.kind === 'ok' && (o.body as { url: string }).url)).toEqual(Array.from({ length: 20 }, (_, i) => `/n${i}`));
      expect(sockets.size).toBeLessThanOrEqual(2);
      // both connections busy for 300 ms: a third request with a 100 ms timeout never gets one, and says so on time
      const slow = [http.request({ method: 'GET', path: '/slow' }), http.request({ method: 'GET', path: '/slow' })];
      const t0 = performance.now();
      expect(await http.request({ method: 'POST', path: '/queued', body: '{}', timeoutMs: 100 })).toMatchObject({ kind: 'unknown', reason: 'timeout' });
      expect(performance.now() - t0).toBeLessThan(250);
      expect((await Promise.all(slow)).map((o) => o.kind)).toEqual(['ok', 'ok']);
      // the order that timed out waiting is not sent once a connection frees up: its outcome was already given
      expect(await http.request({ method: 'GET', path: '/after' })).toMatchObject({ kind: 'ok' });
      expect(seen).not.toContain('/queued');
      expect(seen).toContain('/after');
    } finally {
      await http.close();
      await closeServer(counting);
    }
  });

  it('describes an outcome with method and path only', () => {
    const out: HttpOutcome = { kind: 'unknown', reason: 'server-error', status: 503 };
    expect(describeHttpOutcome({ method: 'POST', path: '/api/v1/order?signature=abc' }, out)).toBe(
      'POST /api/v1/order: outcome unknown (server-error, HTTP 503)',
    );
  });
});
