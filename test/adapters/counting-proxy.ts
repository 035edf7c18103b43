/**
 * A loopback HTTP proxy in front of a venue simulator's REST API that records every request the venue is sent
 * (method, path, body) and every answer it gave. Tests use it to count what "the venue saw" without changing the simulator. When the upstream is
 * down the client's connection is destroyed (a network error, as with a dead venue).
 */
import { createServer, request, type Server } from 'node:http';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly at: number;
}

/** What the venue answered a request. */
export interface SeenAnswer {
  readonly method: string;
  readonly path: string;
  /** Date.now() when the request was passed on to the venue. */
  readonly sentAt: number;
  readonly status: number;
  readonly body: string;
}

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly seen: readonly SeenRequest[];
  /** Every answer the venue gave, in the order they came. */
  readonly answers: readonly SeenAnswer[];
  /** Requests whose path ends with `suffix` (e.g. "/order/newOrder"). */
  count(suffix: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(
  target: { host: string; port: number },
  /** Called once a request has been handed to the venue in full (the venue will act on it), before its answer. */
  onForwarded?: (r: SeenRequest) => void,
): Promise<CountingProxy> {
  const seen: SeenRequest[] = [];
  const answers: SeenAnswer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      const seenRequest = { method: req.method ?? 'GET', path: url.split('?')[0]!, body: body.toString('utf8'), at: Date.now() };
      seen.push(seenRequest);
      const headers = { ...req.headers, host: `${target.host}:${target.port}` };
      const up = request({ host: target.host, port: target.port, method: req.method, path: url, headers }, (upRes) => {
        const parts: Buffer[] = [];
        upRes.on('data', (c: Buffer) => parts.push(c));
        upRes.on('end', () => {
          const answer = Buffer.concat(parts);
          answers.push({ method: seenRequest.method, path: seenRequest.path, sentAt: seenRequest.at, status: upRes.statusCode ?? 502, body: answer.toString('utf8') });
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(answer);
        });
        upRes.on('error', () => res.destroy());
      });
      up.on('error', () => res.destroy());
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
      });
      up.end(body, () => onForwarded?.(seenRequest));
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
    seen,
    answers,
    count: (suffix) => seen.filter((r) => r.path.endsWith(suffix)).length,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
