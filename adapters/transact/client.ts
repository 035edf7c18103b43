/**
 * The transport session of one TransAct connection: a reconnecting websocket, `cmd`s numbered by `seq` and correlated
 * with their `status`, and the asynchronous topic messages as parsed frames. Data messages carrying the seq may come
 * before or after the status (the document allows both): a successful command whose answer has data (ANSWER_DATA) is
 * complete once its status and its data message are both in, in either order, within `requestTimeoutMs` of each other.
 */
import { Subject, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { createBackoff } from '../../engine/net/backoff.js';
import { createCorrelator } from '../../engine/net/correlation.js';
import { messageOf } from '../../engine/net/endpoint.js';
import { createReconnectingSocket } from '../../engine/net/reconnecting-socket.js';
import type { ReconnectingSocket, SocketOpenContext } from '../../engine/net/reconnecting-socket-api.js';
import type { TransactConfig } from './config.js';
import { ANSWER_DATA, EXCERPT_CHARS, UNKNOWN_OUTCOME_STATUSES } from './constants.js';
import { parseFrame, parseJson, type TransactFrame, type TransactStatusWire } from './wire.js';

export interface DataMessage {
  readonly data: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** The outcome of one command. */
export type Answer =
  | { readonly kind: 'ok'; readonly status: TransactStatusWire; readonly data: readonly DataMessage[] }
  /** A negative status: the venue refused and did not act. */
  | { readonly kind: 'refused'; readonly status: TransactStatusWire }
  /** No status in time, disconnect, send failure or an internal error at the venue: it may or may not have acted. */
  | { readonly kind: 'unknown'; readonly reason: string };

export type Send = (text: string) => boolean;

export interface TransactConnection {
  readonly name: string;
  readonly socket: ReconnectingSocket;
  /** Topic messages (orders, fills, book, trade); heartbeats and answers are handled here. */
  readonly topics$: Observable<TransactFrame>;
  /** A frame that could not be read was dropped (it may have been an order or fill topic message): why. */
  readonly malformed$: Observable<string>;
  /** Sends `{cmd, seq, ...args}` (over `send` during onOpen, else the connected socket) and waits for its status. */
  command(cmd: string, args?: Readonly<Record<string, unknown>>, send?: Send): Promise<Answer>;
  /** Commands sent so far. */
  readonly sent: number;
}

export const describeAnswer = (a: Exclude<Answer, { kind: 'ok' }>): string =>
  a.kind === 'unknown' ? `outcome unknown (${a.reason})` : `status ${a.status.status}${a.status.text ? ` ${a.status.text}` : ''}`;

export function createConnection(opts: {
  name: string;
  url: string;
  config: TransactConfig;
  clock: Clock;
  log: Logger;
  random: () => number;
  onOpen?: (ctx: SocketOpenContext) => Promise<void>;
}): TransactConnection {
  const { name, clock, log, config } = opts;
  const socket = createReconnectingSocket({
    name,
    url: opts.url,
    clock,
    log,
    backoff: createBackoff({ initialMs: 250, maxMs: 15_000, random: opts.random }),
    heartbeat: { idleTimeoutMs: config.idleTimeoutMs },
    connectTimeoutMs: Math.max(10_000, config.requestTimeoutMs * 3),
    ...(opts.onOpen ? { onOpen: opts.onOpen } : {}),
  });
  const correlator = createCorrelator<TransactStatusWire>({ clock, timeoutMs: config.requestTimeoutMs, name });
  /** Successful commands whose data message has not arrived yet, by seq. */
  const dataWaits = createCorrelator<DataMessage>({ clock, timeoutMs: config.requestTimeoutMs, name });
  /** The data messages of every pending command, by seq, and the kind its answer needs. */
  const collected = new Map<number, { readonly needs: string | undefined; readonly data: DataMessage[] }>();
  const topics$ = new Subject<TransactFrame>();
  const malformed$ = new Subject<string>();
  let seq = 0;
  let sent = 0;
  let last = socket.state;
  socket.state$.subscribe((s) => {
    if (last === 'connected' && s !== 'connected') {
      correlator.rejectAll(`${name} ${s}`);
      dataWaits.rejectAll(`${name} ${s}`);
    }
    last = s;
  });

  socket.messages$.subscribe((text) => {
    const json = parseJson(text);
    const f = json.ok ? parseFrame(json.value) : json;
    if (!f.ok) {
      log.error({ connection: name, excerpt: excerpt(text, EXCERPT_CHARS) }, `${name}: malformed frame (${f.reason}), ignored`);
      malformed$.next(`a malformed frame on ${name} was dropped (${f.reason})`);
      return;
    }
    const frame = f.value;
    switch (frame.kind) {
      case 'status': {
        const s = frame.status;
        if (s.seq === null || !correlator.resolve(s.seq, s)) {
          log.warn({ connection: name, seq: s.seq, cmd: s.cmd, status: s.status, text: s.text }, `${name}: status without a pending command (late or unsolicited)`);
        }
        return;
      }
      case 'data': {
        const c = collected.get(frame.seq);
        if (!c) return void log.warn({ connection: name, seq: frame.seq, data: frame.data }, `${name}: data without a pending command (late or unsolicited)`);
        const d = { data: frame.data, body: frame.body };
        c.data.push(d);
        if (d.data === c.needs) dataWaits.resolve(frame.seq, d);
        return;
      }
      case 'heartbeat':
      case 'ignored':
        return;
      default:
        topics$.next(frame);
    }
  });

  return {
    name,
    socket,
    topics$: topics$.asObservable(),
    malformed$: malformed$.asObservable(),
    get sent() {
      return sent;
    },
    async command(cmd, args = {}, send) {
      const id = ++seq;
      const data: DataMessage[] = [];
      const needs = ANSWER_DATA[cmd];
      collected.set(id, { needs, data });
      const waiting = correlator.register(id);
      const ok = (send ?? socket.send)(JSON.stringify({ cmd, seq: id, ...args }));
      if (ok) sent++;
      else correlator.reject(id, new Error('not sent'));
      try {
        const status = await waiting;
        if (status.status > 0) {
          if (needs !== undefined && !data.some((d) => d.data === needs)) {
            try {
              await dataWaits.register(id);
            } catch (e) {
              return { kind: 'unknown', reason: `status ${status.status} but no ${needs} data (${messageOf(e)})` };
            }
          }
          return { kind: 'ok', status, data };
        }
        if (UNKNOWN_OUTCOME_STATUSES.has(status.status)) return { kind: 'unknown', reason: `status ${status.status} ${status.text ?? ''}`.trim() };
        return { kind: 'refused', status };
      } catch (e) {
        return { kind: 'unknown', reason: ok ? messageOf(e) : `${name} not connected: not sent` };
      } finally {
        collected.delete(id);
      }
    },
  };
}
