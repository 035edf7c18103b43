/**
 * Paces market-data websocket requests within the document's "We throttle public endpoints by Access Key 1 request
 * per second": one request at a time, at least MD_REQUEST_SPACING_MS apart (the second plus a margin for transit
 * jitter, so two requests never land inside one second at the venue), the rest queued in order. The spacing holds
 * across reconnects (the venue counts by key, not by connection). A request queued for a stream that a later one
 * cancels (a sub then its unsub) is dropped with it, never sent.
 */
import type { Clock, TimerHandle } from '../../engine/clock/clock.js';

/** The document's limit: 1 market-data request per second. */
export const MD_REQUESTS_PER_SECOND = 1;
/** Time between two requests: the second of the limit plus 10 % for transit jitter. */
export const MD_REQUEST_SPACING_MS = Math.ceil((1000 / MD_REQUESTS_PER_SECOND) * 1.1);

export interface MdRequest {
  readonly channel: string;
  readonly symbol: string;
  readonly action: 'sub' | 'unsub';
}

export interface MdPacer {
  /** Queues a request; it goes out at once when the spacing allows and nothing is waiting. */
  enqueue(r: MdRequest): void;
  /**
   * A new connection: drops every queued request (the connection has no subscriptions to undo) and queues `requests`
   * instead; the first is handed to `firstSend` (the opening socket's own send) when the spacing allows it now.
   */
  restart(requests: readonly MdRequest[], firstSend: (text: string) => boolean): void;
  /** Requests waiting. */
  readonly queued: number;
  dispose(): void;
}

export function createMdPacer(opts: {
  venue: string;
  clock: Pick<Clock, 'now' | 'setTimer'>;
  /** The connected socket's send (false when not connected: the queue is kept for the next connection's restart). */
  send: (text: string) => boolean;
  spacingMs?: number;
}): MdPacer {
  const spacing = opts.spacingMs ?? MD_REQUEST_SPACING_MS;
  const queue: MdRequest[] = [];
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let timer: TimerHandle | undefined;
  const text = (r: MdRequest): string => JSON.stringify({ channel: r.channel, symbol: r.symbol, venues: [opts.venue], action: r.action });

  const schedule = (): void => {
    if (timer !== undefined || queue.length === 0) return;
    timer = opts.clock.setTimer(Math.max(opts.clock.now(), lastSentAt + spacing), () => {
      timer = undefined;
      pump(opts.send);
    });
  };
  /** Sends the head of the queue if its time has come, then waits for the next one's. */
  const pump = (send: (text: string) => boolean): void => {
    const head = queue[0];
    if (head === undefined) return;
    if (opts.clock.now() >= lastSentAt + spacing) {
      if (!send(text(head))) return; // not connected: the next connection's restart queues what is wanted again
      queue.shift();
      lastSentAt = opts.clock.now();
    }
    schedule();
  };

  return {
    enqueue(r) {
      const opposite = queue.findIndex((q) => q.channel === r.channel && q.symbol === r.symbol && q.action !== r.action);
      // a sub not yet sent and its unsub (or an unsub not yet sent and a new sub) cancel out: the venue's state is unchanged
      if (opposite >= 0) return void queue.splice(opposite, 1);
      if (queue.some((q) => q.channel === r.channel && q.symbol === r.symbol)) return;
      queue.push(r);
      if (queue.length === 1 && timer === undefined) pump(opts.send);
    },
    restart(requests, firstSend) {
      queue.length = 0;
      queue.push(...requests);
      if (timer === undefined) pump(firstSend);
    },
    get queued() {
      return queue.length;
    },
    dispose() {
      timer?.cancel();
      timer = undefined;
      queue.length = 0;
    },
  };
}
