/**
 * A loopback HTTP proxy in front of a venue simulator's REST API that records every request the venue is sent
 * (method, path, body). Tests use it to count what "the venue saw" without changing the simulator. When the upstream is
 * down the client's connection is destroyed (a network error, as with a dead venue).
 */
import { createServer, request, type Server } from 'node:http';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly at: number;
}

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly seen: readonly SeenRequest[];
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
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
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
    count: (suffix) => seen.filter((r) => r.path.endsWith(suffix)).length,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
