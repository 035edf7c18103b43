/**
 * The simulator's FIX 4.2 order-entry acceptor (issue 16), as the document's "FIX API" section describes it, on the
 * engine's own session layer (engine/fix/session.ts) and the same matching as the REST side (placeOrder/cancelOrder on
 * the venue core), so an order entered over FIX is visible through REST and the user stream, and the reverse.
 *
 * Logon: SenderCompID is the account id, TargetCompID APIFINY; RawData (96) carries a JWT signed with the account's API
 * secret, `method` "Fix", `digest` the sha256 of the account id, and `exp` in the future; anything else is answered
 * with a Logout giving the reason. Sessions reset their sequence numbers on logon, as the document's settings say.
 *
 * NewOrderSingle → ExecutionReport New (ExecType 0) once the venue has it, then one per fill (1 partial, 2 filled, its
 * ExecID the trade id), Canceled (4) or Rejected (8, with the venue's reason in Text). OrderCancelRequest cancels the
 * order named by OrigClOrdID (41), or by ClOrdID (11) alone as the document's table has it; a cancel the venue refuses
 * is an OrderCancelReject (9). OrderStatusRequest answers an ExecutionReport with ExecTransType 3 (Status). Every
 * ExecutionReport carries the tags standard FIX 4.2 requires beside the document's (20, 151, 14, 6).
 *
 * Fault switches (`faults`), for the adapter's recovery tests: drop the connection after acting on the next order
 * message (the venue has it, the client gets no answer), delay every answer, swallow the next message sent (a sequence
 * gap the client must ask to have resent: it gets a gap fill, never the message), garble the next message sent (a
 * wrong CheckSum: the client ignores it, and the gap follows).
 */
import { createServer, type Server, type Socket } from 'node:net';
import jwt from 'jsonwebtoken';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import { FixFramer, fixTimestamp, isGarbled, type FixField, type FixMessage } from '../../../engine/fix/codec.js';
import { FixSession, memorySeqStore } from '../../../engine/fix/session.js';
import { silentLogger } from '../../../engine/log/logger.js';
import type { SimAccount } from './accounts.js';
import { ApifinyFailure } from './error-codes.js';
import { verifyApifinyToken, sha256Hex } from './jwt-auth.js';
import { cancelOrder } from './order-cancel.js';
import { placeOrder } from './order-entry.js';
import type { OrderRecord } from './order-store.js';
import type { ApifinyOrderUpdateFrame } from './protocol.js';
import type { VenueCore } from './venue-core.js';

export const FIX_TARGET_COMP_ID = 'APIFINY';

export interface SimFixFaults {
  /** The next NewOrderSingle, OrderCancelRequest or OrderStatusRequest is acted on, then the connection drops unanswered. */
  dropAfterActing(): void;
  /** Every message the acceptor sends waits this long first (0: none). */
  delayMs: number;
  /** The next message sent is never written: its sequence number is a gap on the client's side. */
  swallowNext(): void;
  /** The next message sent goes out with a wrong CheckSum. */
  garbleNext(): void;
}

export interface SimFixAcceptor {
  readonly port: number;
  readonly faults: SimFixFaults;
  /**
   * Order messages received, per `<MsgType>:<order>` (the order: OrigClOrdID, else ClOrdID), e.g. `D:<id>` counts
   * NewOrderSingles, `H:<id>` status requests: the tests check that nothing is sent twice.
   */
  readonly seen: ReadonlyMap<string, number>;
  /** Drops every FIX connection (the venue's sessions end; clients reconnect). */
  dropConnections(): void;
  /** Stops listening and drops every connection, as a venue outage; `restart` listens again on the same port. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Order updates of the venue core (wired beside the user stream): ExecutionReports to the account's sessions. */
  onOrderUpdate(accountId: string, frame: ApifinyOrderUpdateFrame): void;
  close(): Promise<void>;
}

interface Live {
  readonly session: FixSession;
  readonly account: SimAccount;
}

const EXEC = { new: '0', partial: '1', fill: '2', canceled: '4', rejected: '8' } as const;

export async function startFixAcceptor(
  core: VenueCore,
  opts: { host: string; port?: number; heartBtInt?: number; onMessage?: (m: FixMessage) => void },
): Promise<SimFixAcceptor> {
  const clock = createLiveClock();
  const sessions = new Map<string, Set<Live>>();
  /** Per order: whether New was reported, the last trade reported, and the ClOrdID of a cancel asked over FIX. */
  const reported = new Map<string, { acked: boolean; lastTrade: string | undefined; cancelId: string | undefined }>();
  let execSeq = 0;
  const sockets = new Set<Socket>();
  const seen = new Map<string, number>();
  let dropAfterActing = false;
  let swallow = false;
  let garble = false;
  const faults: SimFixFaults = {
    dropAfterActing: () => void (dropAfterActing = true),
    delayMs: 0,
    swallowNext: () => void (swallow = true),
    garbleNext: () => void (garble = true),
  };
  /** Writes an outgoing message, through the fault switches. */
  const write = (socket: Socket, bytes: Buffer): void => {
    if (socket.destroyed) return;
    if (swallow) {
      swallow = false;
      return;
    }
    let out = bytes;
    if (garble) {
      garble = false;
      out = Buffer.from(bytes);
      const at = out.length - 2; // the CheckSum's last digit
      out[at] = out[at] === 0x30 ? 0x31 : 0x30;
    }
    if (faults.delayMs > 0) setTimeout(() => void (socket.destroyed || socket.write(out)), faults.delayMs);
    else socket.write(out);
  };

  const stateOf = (orderId: string) => {
    let s = reported.get(orderId);
    if (s === undefined) reported.set(orderId, (s = { acked: false, lastTrade: undefined, cancelId: undefined }));
    return s;
  };

  const report = (o: Pick<OrderRecord, 'orderId' | 'symbol' | 'orderSide' | 'quantity' | 'limitPrice'> & { filled: number; avg: number; open: boolean },
    execType: string, ordStatus: string, extra: FixField[] = []): FixField[] => {
    const leaves = o.open ? Math.max(0, +(o.quantity - o.filled).toFixed(12)) : 0;
    const body: FixField[] = [
      [6, String(o.avg)], [11, o.orderId], [14, String(o.filled)], [17, `EXEC-${++execSeq}`], [20, '0'], [37, o.orderId], [38, String(o.quantity)],
      [39, ordStatus], [54, o.orderSide === 'BUY' ? '1' : '2'], [55, o.symbol], [60, fixTimestamp(clock.now())], [150, execType], [151, String(leaves)],
    ];
    if (o.limitPrice !== null) body.push([44, String(o.limitPrice)]);
    for (const [tag, value] of extra) {
      const at = body.findIndex(([t]) => t === tag);
      if (at >= 0) body[at] = [tag, value];
      else body.push([tag, value]);
    }
    return body;
  };

  const toAccount = (accountId: string, body: FixField[]): void => {
    for (const live of sessions.get(accountId) ?? []) live.session.sendApp('8', body);
  };

  const onOrderUpdate = (accountId: string, frame: ApifinyOrderUpdateFrame): void => {
    if (!sessions.has(accountId)) return;
    const p = frame.payload;
    const st = stateOf(p.orderId);
    const o = { orderId: p.orderId, symbol: p.symbol, orderSide: p.orderSide, quantity: p.quantity, limitPrice: p.limitPrice, filled: p.filledCumulativeQuantity, avg: p.filledAveragePrice, open: p.openQuantity > 0 };
    if (!st.acked && p.orderStatus !== 'PENDING_SUBMIT' && p.orderStatus !== 'REJECTED') {
      st.acked = true;
      toAccount(accountId, report({ ...o, filled: 0, avg: 0, open: true }, EXEC.new, '0'));
    }
    if (p.tradeId !== undefined && p.tradeId !== st.lastTrade && p.lastFilledQuantity !== undefined) {
      st.lastTrade = p.tradeId;
      const done = p.orderStatus === 'FILLED';
      // Commission (12) with CommType 3 (absolute): standard FIX 4.2 tags the document's table leaves out, so a FIX
      // client learns the fee without the user stream
      toAccount(accountId, report(o, done ? EXEC.fill : EXEC.partial, done ? '2' : '1', [
        [17, p.tradeId], [32, String(p.lastFilledQuantity)], [31, String(p.lastFilledPrice)], [44, String(p.lastFilledPrice)],
        [12, String(p.lastCommission ?? 0)], [13, '3'],
      ]));
    }
    if (p.orderStatus === 'CANCELLED' || p.orderStatus === 'PART_FILLED') {
      toAccount(accountId, report({ ...o, open: false }, EXEC.canceled, '4', st.cancelId === undefined ? [] : [[11, st.cancelId], [41, p.orderId]]));
      reported.delete(p.orderId);
    } else if (p.orderStatus === 'REJECTED') {
      toAccount(accountId, report({ ...o, open: false }, EXEC.rejected, '8'));
      reported.delete(p.orderId);
    } else if (p.orderStatus === 'FILLED') reported.delete(p.orderId);
  };

  const authorize = (accountId: string, logon: FixMessage): string | undefined => {
    const token = logon.get(96);
    const checked = verifyApifinyToken(token, core.accounts, clock.now(), [sha256Hex(accountId)]);
    if (!checked.ok) return `${checked.error.code}: ${checked.error.message}`;
    if (checked.accountId !== accountId) return `the signature is for ${checked.accountId}, not ${accountId}`;
    const claims = jwt.decode(token!) as Record<string, unknown> | null;
    if (claims?.method !== 'Fix') return 'the signature\'s method must be "Fix"';
    return undefined;
  };

  const onMessage = (live: Live, m: FixMessage): void => {
    const account = live.account;
    const key = `${m.msgType}:${m.get(41) ?? m.get(11)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    opts.onMessage?.(m);
    switch (m.msgType) {
      case 'D': {
        const id = m.get(11);
        const side = m.get(54);
        const body = {
          orderId: id,
          orderInfo: {
            symbol: m.get(55), orderType: m.get(40) === '1' ? 'MARKET' : 'LIMIT', orderSide: side === '1' ? 'BUY' : side === '2' ? 'SELL' : `side ${side}`,
            timeInForce: m.get(59), limitPrice: m.get(44), quantity: m.get(38),
          },
        };
        try {
          placeOrder(core, account, body);
        } catch (e) {
          if (!(e instanceof ApifinyFailure)) throw e;
          const qty = Number(m.get(38));
          live.session.sendApp('8', report({ orderId: id ?? 'NONE', symbol: m.get(55) ?? '', orderSide: side === '2' ? 'SELL' : 'BUY', quantity: Number.isFinite(qty) ? qty : 0, limitPrice: null, filled: 0, avg: 0, open: false },
            EXEC.rejected, '8', [[58, `${e.error.code}: ${e.error.message}`]]));
        }
        return;
      }
      case 'F': {
        const target = m.get(41) ?? m.get(11);
        const cancelId = m.get(11) ?? target;
        if (target !== undefined) stateOf(target).cancelId = cancelId;
        cancelOrder(core, account, target).catch((e: unknown) => {
          const reason = e instanceof ApifinyFailure ? `${e.error.code}: ${e.error.message}` : String(e);
          if (target !== undefined) stateOf(target).cancelId = undefined;
          const order = target === undefined ? undefined : core.store.get(account.accountId, target);
          live.session.sendApp('9', [
            [11, cancelId ?? 'NONE'], [37, order?.orderId ?? 'NONE'], [39, order === undefined ? '8' : order.status === 'FILLED' ? '2' : '0'], [41, target ?? 'NONE'],
            [58, reason], [434, '1'],
          ]);
        });
        return;
      }
      case 'H': {
        const id = m.get(11);
        const order = id === undefined ? undefined : core.store.get(account.accountId, id);
        if (order === undefined) {
          live.session.sendApp('8', report({ orderId: id ?? 'NONE', symbol: m.get(55) ?? '', orderSide: m.get(54) === '2' ? 'SELL' : 'BUY', quantity: 0, limitPrice: null, filled: 0, avg: 0, open: false },
            EXEC.rejected, '8', [[20, '3'], [58, 'unknown order']]));
          return;
        }
        const filled = order.filledQuantity.toNumber();
        const avg = order.filledQuantity.isZero() ? 0 : order.fillNotional.div(order.filledQuantity).toNumber();
        const open = order.status === 'PENDING_SUBMIT' || order.status === 'SUBMITTED';
        const status = order.status === 'FILLED' ? '2' : order.status === 'CANCELLED' || order.status === 'PART_FILLED' ? '4' : order.status === 'REJECTED' ? '8' : filled > 0 ? '1' : '0';
        live.session.sendApp('8', report({ orderId: order.orderId, symbol: order.symbol, orderSide: order.orderSide, quantity: order.quantity, limitPrice: order.limitPrice, filled, avg, open },
          status, status, [[20, '3']]));
        return;
      }
      default:
        live.session.sendApp('j', [[45, String(m.seqNum)], [372, m.msgType], [380, '3'], [58, `unsupported message type ${m.msgType}`]]);
    }
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const early: Buffer[] = [];
    const peek = new FixFramer();
    let live: Live | undefined;
    const start = (accountId: string): void => {
      const account = core.accounts.get(accountId);
      const session = new FixSession({
        role: 'acceptor', senderCompId: FIX_TARGET_COMP_ID, targetCompId: accountId, heartBtInt: opts.heartBtInt ?? 30, resetOnLogon: true,
        store: memorySeqStore(), clock, log: silentLogger(),
        authorize: (logon) => (account === undefined ? `account ${accountId} does not exist` : authorize(accountId, logon)),
        send: (b) => write(socket, b), close: () => void socket.end(), // a Logout is flushed, then FIN
        onMessage: (m) => {
          if (live === undefined) return;
          if (dropAfterActing && (m.msgType === 'D' || m.msgType === 'F' || m.msgType === 'H')) {
            dropAfterActing = false;
            const dropped = live;
            // acted on, unanswered: the session goes before anything it would send
            sessions.get(dropped.account.accountId)?.delete(dropped);
            socket.destroy();
            onMessage({ session: dropped.session, account: dropped.account }, m);
            return;
          }
          onMessage(live, m);
        },
        onState: (state) => {
          if (live === undefined) return;
          if (state === 'active') {
            let set = sessions.get(accountId);
            if (set === undefined) sessions.set(accountId, (set = new Set()));
            set.add(live);
          } else if (state === 'disconnected') sessions.get(accountId)?.delete(live);
        },
      });
      if (account !== undefined) live = { session, account };
      session.connected();
      session.received(Buffer.concat(early)); // an unknown account: its Logon is answered by a Logout, then closed
      early.length = 0;
    };
    socket.on('data', (d: Buffer) => {
      if (live !== undefined) {
        live.session.received(d);
        return;
      }
      early.push(d);
      const first = peek.push(d).find((r) => !isGarbled(r)) as FixMessage | undefined;
      if (first !== undefined) start(first.get(49) ?? '');
    });
    socket.on('close', () => {
      sockets.delete(socket);
      live?.session.disconnected();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host, r));
  const port = (server.address() as { port: number }).port;
  const dropConnections = (): void => {
    for (const s of sockets) s.destroy();
  };
  const stop = (): Promise<void> => new Promise<void>((r) => {
    dropConnections();
    if (!server.listening) return r();
    server.close(() => r());
  });
  return {
    port,
    faults,
    seen,
    onOrderUpdate,
    dropConnections,
    stop,
    restart: () => new Promise<void>((r) => (server.listening ? r() : void server.listen(port, opts.host, r))),
    close: stop,
  };
}
