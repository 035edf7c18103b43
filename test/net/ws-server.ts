import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { portOf } from './helpers.js';

export interface TestWsServer {
  readonly port: number;
  url(pathAndQuery?: string): string;
  /** Upgrade requests seen, accepted or not. */
  readonly attempts: IncomingMessage[];
  /** Accepted connections, in order. */
  readonly connections: WebSocket[];
  /** Text frames received, per connection. */
  readonly received: string[][];
  close(): Promise<void>;
}

/**
 * A loopback websocket server. `refuse` returns an HTTP status to refuse an upgrade with (undefined accepts);
 * `onConnection` runs for each accepted connection with its index.
 */
export async function startWsServer(
  opts: { refuse?: (req: IncomingMessage) => number | undefined; onConnection?: (ws: WebSocket, index: number) => void } = {},
): Promise<TestWsServer> {
  const attempts: IncomingMessage[] = [];
  const connections: WebSocket[] = [];
  const received: string[][] = [];
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, cb) => {
      attempts.push(info.req);
      const status = opts.refuse?.(info.req);
      if (status === undefined) cb(true);
      else cb(false, status);
    },
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    const index = connections.length;
    connections.push(ws);
    const frames: string[] = [];
    received.push(frames);
    ws.on('message', (data) => frames.push(String(data)));
    opts.onConnection?.(ws, index);
  });
  const port = portOf(wss);
  return {
    port,
    url: (pathAndQuery = '/ws') => `ws://127.0.0.1:${port}${pathAndQuery}`,
    attempts,
    connections,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
