/**
 * A loopback HTTP proxy in front of the Apifiny simulator's REST API that records every answer the venue gives: the
 * request's method and path, when the proxy passed it on, and the envelope's error code (0 for a success). Tests use
 * it to see what the venue answered without changing the simulator or the adapter.
 */
import { createServer, request, type Server } from 'node:http';

export interface VenueAnswer {
  readonly method: string;
  readonly path: string;
  /** Date.now() when the request was passed on to the venue. */
  readonly sentAt: number;
  /** The envelope's `error.code`, 0 when `error` is null, -1 when the body is not an envelope. */
  readonly code: number;
}

export interface AnswerProxy {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly answers: readonly VenueAnswer[];
  close(): Promise<void>;
}

const errorCodeOf = (body: string): number => {
  try {
    const v = JSON.parse(body) as { error?: { code?: unknown } | null };
    if (v.error === null) return 0;
    return typeof v.error?.code === 'number' ? v.error.code : -1;
  } catch {
    return -1;
  }
};

export async function startAnswerProxy(target: { host: string; port: number }): Promise<AnswerProxy> {
  const answers: VenueAnswer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const sentAt = Date.now();
      const headers = { ...req.headers, host: `${target.host}:${target.port}` };
      const up = request({ host: target.host, port: target.port, method: req.method, path: url, headers }, (upRes) => {
        const parts: Buffer[] = [];
        upRes.on('data', (c: Buffer) => parts.push(c));
        upRes.on('end', () => {
          const body = Buffer.concat(parts);
          answers.push({ method: req.method ?? 'GET', path: url.split('?')[0]!, sentAt, code: errorCodeOf(body.toString('utf8')) });
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(body);
        });
        upRes.on('error', () => res.destroy());
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    answers,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
