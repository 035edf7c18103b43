/**
 * Fault switches, consulted by the HTTP and websocket layers. Endpoints are named by their route key
 * ("order/newOrder", "utils/currentTimeMillis", "md/orderbook"), with or without a leading "/", or by the last part
 * alone ("newOrder").
 */
export interface ApifinyFaults {
  /** Terminates every websocket (market data and user streams) abruptly. */
  dropConnections(): void;
  /** The next request to `endpoint` is acted on but never answered: the client times out. */
  swallowNextResponse(endpoint: string): void;
  /** Every answer is sent this many ms late (the request is acted on at once). */
  delayMs: number;
  /** The next request to `endpoint` answers HTTP `status` (default 502) with a server error body; `act` = act on it first. */
  failNext(endpoint: string, status?: number, opts?: { readonly act?: boolean }): void;
  /** Stops pings, market data, order/asset pushes and replies on every websocket (sockets stay open); no client is dropped. */
  silenceHeartbeat(): void;
  resumeHeartbeat(): void;
  /** Closes the listeners and every connection; the venue's state (orders, fills, balances, market) is kept. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export interface PlannedFailure {
  readonly status: number;
  readonly act: boolean;
}

export interface FaultState {
  delayMs: number;
  silenced: boolean;
  swallow(endpoint: string): void;
  fail(endpoint: string, failure: PlannedFailure): void;
  /** Consumes a planned swallow for the route, if any. */
  takeSwallow(routeKey: string): boolean;
  takeFailure(routeKey: string): PlannedFailure | undefined;
}

const normalize = (name: string): string => name.replace(/^\/+/, '');
const matches = (name: string, routeKey: string): boolean => name === routeKey || routeKey.endsWith(`/${name}`);

export function createFaultState(): FaultState {
  const swallows: string[] = [];
  const failures: { name: string; failure: PlannedFailure }[] = [];
  return {
    delayMs: 0,
    silenced: false,
    swallow: (endpoint) => void swallows.push(normalize(endpoint)),
    fail: (endpoint, failure) => void failures.push({ name: normalize(endpoint), failure }),
    takeSwallow(routeKey) {
      const i = swallows.findIndex((n) => matches(n, routeKey));
      if (i < 0) return false;
      swallows.splice(i, 1);
      return true;
    },
    takeFailure(routeKey) {
      const i = failures.findIndex((f) => matches(f.name, routeKey));
      if (i < 0) return undefined;
      return failures.splice(i, 1)[0]!.failure;
    },
  };
}
