import { readFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import { createLogger, type Logger } from '../../engine/log/logger.js';

/** A pino logger whose JSON lines are kept in `lines`. */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
  return { log, lines };
}

/** Polls `cond` every 5 ms; fails after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const start = performance.now();
  while (!cond()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function portOf(server: { address(): AddressInfo | string | null }): number {
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('server not listening on a port');
  return a.port;
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(portOf(server))));
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A loopback port that nothing listens on (a server was bound to it, then closed). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await closeServer(s);
  return port;
}

/**
 * A TLS front on a free port that pipes every connection to `targetPort` on loopback, with the self-signed certificate
 * for 127.0.0.1 made for these tests (test/fixtures/tls: never a real key); `cert` is what a client must trust.
 */
export async function startTlsFront(targetPort: number): Promise<{ port: number; cert: string; close(): Promise<void> }> {
  const cert = readFileSync('test/fixtures/tls/localhost-cert.pem', 'utf8');
  const held: Socket[] = [];
  const front = createTlsServer({ cert, key: readFileSync('test/fixtures/tls/localhost-key.pem', 'utf8') }, (client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    held.push(client, upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  return {
    port: (front.address() as AddressInfo).port,
    cert,
    close: () => new Promise<void>((r) => {
      for (const s of held) s.destroy();
      front.close(() => r());
    }),
  };
}
