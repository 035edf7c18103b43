import type { Observable } from 'rxjs';
import type { Clock } from '../clock/clock.js';
import type { ConnectionState } from '../execution/venue-adapter.js';
import type { Logger } from '../log/logger.js';
import type { Backoff } from './backoff.js';
import type { ConnectionRejectedError } from './errors.js';

/** Handed to `onOpen` on every (re)open, before `connected` is emitted. */
export interface SocketOpenContext {
  /** Sends on the socket being opened (the public `send` refuses until `connected`). */
  send(text: string): boolean;
  /** Definitive refusal (e.g. the venue rejected the login): close, do not reconnect, reject `connect()`. */
  fail(error: unknown): void;
  /** 1 on the first open of a `connect()` cycle, 2+ on reconnects. */
  readonly openCount: number;
}

export interface ReconnectingSocketOptions {
  /** Short name for logs and errors, e.g. `apifiny-md`. */
  readonly name: string;
  /** Either a fixed url … */
  readonly url?: string;
  /** … or one resolved afresh on every attempt (e.g. to sign a new JWT). Throwing a ConnectionRejectedError is definitive. */
  readonly urlProvider?: () => string | Promise<string>;
  /** Upgrade request headers, built afresh on every attempt. Never logged. */
  readonly headers?: () => Record<string, string> | Promise<Record<string, string>>;
  readonly clock: Clock;
  readonly backoff: Backoff;
  readonly log: Logger;
  /** Terminate and reconnect when no frame (data, ping or pong) arrives for `idleTimeoutMs` of engine time. */
  readonly heartbeat?: { readonly idleTimeoutMs: number };
  /** Upper bound, in engine time, from the start of an attempt to `connected` (TCP, upgrade and onOpen); default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * The backoff is reset once a connection has stayed `connected` this long (engine time; default 10 s), so a server
   * that accepts and then drops every connection meets a growing delay instead of a reconnect loop.
   */
  readonly stableAfterMs?: number;
  /** How long `close()` waits for the closing handshake before terminating; default 1 s. */
  readonly closeTimeoutMs?: number;
  /** Re-authenticate and resubscribe. A rejection is transient (reconnect with backoff) unless it is a ConnectionRejectedError. */
  readonly onOpen?: (ctx: SocketOpenContext) => void | Promise<void>;
}

export interface ReconnectingSocket {
  /** Raw text frames (binary frames decoded as UTF-8). Never errors or completes. */
  readonly messages$: Observable<string>;
  /** Current state first, then each change. */
  readonly state$: Observable<ConnectionState>;
  readonly state: ConnectionState;
  /** The definitive refusal that closed the socket, if any. */
  readonly failure: ConnectionRejectedError | undefined;
  /** False (never throws) unless `connected`; true means handed to the socket, not delivered. */
  send(text: string): boolean;
  /** Resolves on the first `connected`; rejects on a definitive refusal or `close()`. Transient failures are retried. */
  connect(): Promise<void>;
  /** Closes for good (until the next `connect()`): no reconnect after it. */
  close(): Promise<void>;
  /** Definitive refusal reported by the adapter outside onOpen: go to `closed`, do not reconnect. */
  fail(error: unknown): void;
}
