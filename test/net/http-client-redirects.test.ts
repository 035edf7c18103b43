import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../engine/net/http-client.js';
import { captureLog, closeServer, listen } from './helpers.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

const routes: Record<string, Route> = {
  '/a': (_q, res) => void res.writeHead(303, { location: '/b?x=1' }).end(),
  '/b': (_q, res) => void res.writeHead(303, { location: 'c' }).end(), // relative to /b
  '/c': (req, res, body) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ at: req.url, method: req.method, body })),
  '/keep': (_q, res) => void res.writeHead(307, { location: '/c' }).end(),
  '/away': (_q, res) => void res.writeHead(303, { location: 'http://example.invalid/c' }).end(),
  '/loop': (_q, res) => void res.writeHead(303, { location: '/loop' }).end(),
  '/gz': (_q, res) => void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify({ n: 1 }))),
  '/badgz': (_q, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
  '/big': (_q, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"t":1798761600123456789}'),
};

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (route) route(req, res, body);
    else void res.writeHead(404).end();
  });
});
let baseUrl = '';
beforeAll(async () => {
  baseUrl = `http://127.0.0.1:${await listen(server)}`;
});
afterAll(() => closeServer(server));

const client = () => createHttpClient({ baseUrl, timeoutMs: 1_000, log: captureLog().log, name: 'redirects' });

describe('http client: redirects', () => {
  it('follows a chain of 303s as GETs without the body, keeping the headers', async () => {
    seen.length = 0;
    const out = await client().request({ method: 'POST', path: '/a', body: 'x=1', headers: { authorization: 'Bearer t' }, maxRedirects: 3 });
    expect(out).toEqual({ kind: 'ok', status: 200, body: { at: '/c', method: 'GET', body: '' } });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /a', 'GET /b?x=1', 'GET /c']);
    expect(seen.every((s) => s.auth === 'Bearer t')).toBe(true);
  });

  it('keeps the method and body through a 307', async () => {
    const out = await client().request({ method: 'POST', path: '/keep', body: { a: 1 }, maxRedirects: 1 });
    expect(out).toMatchObject({ kind: 'ok', body: { method: 'POST', body: '{"a":1}' } });
  });

  it('does not follow redirects unless asked, nor past maxRedirects', async () => {
    expect(await client().request({ method: 'GET', path: '/a' })).toMatchObject({ kind: 'unknown', reason: 'bad-response', status: 303 });
    seen.length = 0;
    expect(await client().request({ method: 'GET', path: '/loop', maxRedirects: 4 })).toMatchObject({ kind: 'unknown', status: 303 });
    expect(seen).toHaveLength(5);
  });

  it('does not follow a redirect to another origin', async () => {
    expect(await client().request({ method: 'GET', path: '/away', maxRedirects: 2 })).toMatchObject({
      kind: 'unknown', reason: 'bad-response', status: 303, detail: 'CROSS_ORIGIN_REDIRECT',
    });
  });
});

describe('http client: bodies', () => {
  it('reads a gzip-encoded body', async () => {
    expect(await client().request({ method: 'GET', path: '/gz', headers: { 'accept-encoding': 'gzip' } })).toEqual({ kind: 'ok', status: 200, body: { n: 1 } });
  });

  it('reports a body that claims gzip but is not as an unreadable answer', async () => {
    expect(await client().request({ method: 'GET', path: '/badgz' })).toMatchObject({ kind: 'unknown', reason: 'bad-response', detail: 'BAD_GZIP' });
  });

  it('hands over the text unparsed when asked (integers past 2^53 stay exact)', async () => {
    expect(await client().request({ method: 'GET', path: '/big', rawText: true })).toEqual({ kind: 'ok', status: 200, body: '{"t":1798761600123456789}' });
  });
});
