/**
 * The live stream at /api/v1/stream: one subscription to the source's stream$, each message serialised once and the
 * same bytes sent to every client. A client never slows the engine: sending only queues bytes, and a client whose
 * queue passes MAX_BUFFERED_BYTES is closed (1013, try again later) instead of being waited for. A heartbeat pings
 * every client and terminates one that did not answer the previous ping.
 */
import type { Observable, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import type { Logger } from '../log/logger.js';
import type { StreamMessage } from './source.js';
import { summariseOrders } from './stream-summary.js';

export const MAX_BUFFERED_BYTES = 1024 * 1024;
export const SLOW_CLIENT_CODE = 1013;
export const SLOW_CLIENT_REASON = 'too slow: more than 1 MiB of stream messages unsent';
export const HEARTBEAT_MS = 15_000;
const CLOSE_GRACE_MS = 1000;

export interface StreamHub {
  /**
   * Sends `hello` to a newly connected client, then every stream message: with `orders` "changes", order events
   * summarised per frame (stream-summary.ts).
   */
  add(socket: WebSocket, hello: Record<string, unknown>, orders?: 'all' | 'changes'): void;
  readonly clients: number;
  close(): void;
}

interface Client {
  readonly socket: WebSocket;
  readonly changesOnly: boolean;
  alive: boolean;
}

const OPEN = 1;

export function createStreamHub(stream$: Observable<StreamMessage>, log: Logger, heartbeatMs = HEARTBEAT_MS): StreamHub {
  const clients = new Set<Client>();

  const send = (client: Client, data: Buffer): void => {
    const { socket } = client;
    if (socket.readyState !== OPEN) return;
    socket.send(data, { binary: false });
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn({ buffered: socket.bufferedAmount }, 'control stream client is too slow: closing it');
      clients.delete(client);
      socket.close(SLOW_CLIENT_CODE, SLOW_CLIENT_REASON);
    }
  };

  const subscription: Subscription = stream$.subscribe({
    next: (message) => {
      if (clients.size === 0) return;
      // each form serialised once, and only when a client wants it
      let full: Buffer | undefined;
      let changes: Buffer | undefined;
      for (const client of clients) {
        if (client.changesOnly) send(client, (changes ??= Buffer.from(JSON.stringify({ schema: 'engine.stream/1', ...summariseOrders(message) }))));
        else send(client, (full ??= Buffer.from(JSON.stringify({ schema: 'engine.stream/1', ...message }))));
      }
    },
    error: (e: unknown) => log.error({ err: e }, 'control stream source failed: no more stream messages'),
  });

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        clients.delete(client);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    add(socket, hello, orders = 'all') {
      const client: Client = { socket, changesOnly: orders === 'changes', alive: true };
      clients.add(client);
      socket.on('pong', () => {
        client.alive = true;
      });
      socket.on('close', () => clients.delete(client));
      socket.on('error', (e) => log.debug({ err: e }, 'control stream client error'));
      // the stream is one-way: whatever a client sends is ignored
      send(client, Buffer.from(JSON.stringify(hello)));
    },
    get clients() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      for (const client of clients) {
        client.socket.close(1001, 'the session is shutting down');
        // a client that does not answer the close (a stuck reader) would hold the server's close for ws's 30 s
        setTimeout(() => client.socket.terminate(), CLOSE_GRACE_MS).unref();
      }
      clients.clear();
    },
  };
}
