/**
 * Order entry over Apifiny's FIX 4.2 API (issue 16; the document's "FIX API" section), chosen with the adapter option
 * `orderEntry: 'fix'`. Market data, instruments and reconciliation stay on WebSocket and REST; the user order stream
 * stays open beside FIX, and the order tracker applies every fill once whichever of the two brings it first (the fill
 * key is the trade id: ExecID on FIX, tradeId on the stream and in REST fill lists).
 *
 * - ClOrdID (11) is the order's deterministic Apifiny orderId (format.ts: it encodes the client order id), so REST
 *   queries, the user stream and a restarted engine all name the order the same way. A cancel carries its own ClOrdID
 *   (`<orderId>C<n>`) and the order's in OrigClOrdID (41), with Side, Symbol and OrderQty as standard FIX 4.2 requires.
 * - ExecutionReports become order updates for the tracker: New → OrderAccepted, a fill → OrderFilled (LastShares 32,
 *   LastPx 31, Commission 12 as the fee in the instrument's quote currency), Canceled → OrderCanceled, Rejected →
 *   OrderRejected with the venue's Text (58). An OrderCancelReject (9) is OrderCancelRejected. FIX 4.2 has no tag for
 *   maker/taker: a fill is taken as taker for market, IOC and FOK orders and for a fill at the very time of the order's
 *   acknowledgement (it crossed on arrival), maker otherwise; the stream's own flag wins when it arrives first.
 * - Nothing is ever resent blindly. The session answers resend requests with gap fills, and a gap the venue fills
 *   instead of resending (messages lost to us) makes the kernel reconcile through REST. After a reconnect (a new
 *   Logon with sequence numbers reset, as the document's settings have it) every order sent over FIX that is not done
 *   is asked about with an OrderStatusRequest; an answer that shows fills this side has not seen makes the kernel
 *   reconcile (missed fills are read through REST), so no fill is lost and none is counted twice.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { FixMessage } from '../../engine/fix/codec.js';
import { createFixInitiator, type FixInitiator } from '../../engine/net/fix-initiator.js';
import { newOrderSingle, orderCancelRequest, orderStatusRequest, parseCancelReject, parseExecutionReport, type ExecType, type ExecutionReport, type FixSide, type FixTimeInForce } from '../../engine/fix/orders.js';
import { memorySeqStore } from '../../engine/fix/session.js';
import type { CancelOrder, SubmitOrder } from '../../engine/model/commands.js';
import { createBackoff } from '../../engine/net/backoff.js';
import type { ApifinySigner } from './auth.js';
import type { ApifinyConfig } from './config.js';
import type { ApifinyOrderStatus } from './constants.js';
import type { ApifinyLastFillWire, ApifinyOrderUpdateWire } from './wire.js';

/** The document's TargetCompID. */
export const FIX_TARGET = 'APIFINY';

/** What the FIX path needs of the execution client it serves. */
export interface FixEntrySink {
  /** An order's new state, for the tracker (events once each). */
  observe(update: ApifinyOrderUpdateWire): void;
  /** The venue refused a new order definitively. */
  rejected(orderId: string, reason: string): void;
  /** The venue refused a cancel. */
  cancelRejected(orderId: string, reason: string): void;
  /** Something may be missing: reconcile through REST. */
  resync(why: string): void;
  /** The fill quantity the tracker has applied for the order, and whether it is known and not done. */
  filledOf(orderId: string): number;
  isOpen(orderId: string): boolean;
  /** The fee currency of a symbol's fills (its quote currency). */
  quoteOf(symbol: string): string;
}

export interface FixEntry {
  readonly link: FixInitiator;
  /** Sends a NewOrderSingle; false when the session is not logged on (nothing was sent). */
  submit(cmd: SubmitOrder, symbol: string, orderId: string): boolean;
  /** Sends an OrderCancelRequest; false when not logged on or the order was not entered over FIX here. */
  cancel(cmd: CancelOrder, orderId: string): boolean;
  /** Forgets a done order (the tracker's retention), so memory does not grow with every order a session places. */
  forget(orderId: string): void;
}

interface Sent {
  readonly symbol: string;
  readonly side: FixSide;
  readonly quantity: number;
  readonly aggressive: boolean;
  ackedAt: number | undefined;
  cancels: number;
}

const STATUS: Readonly<Partial<Record<ExecType, ApifinyOrderStatus>>> = {
  'pending-new': 'PENDING_SUBMIT', new: 'SUBMITTED', partial: 'SUBMITTED', 'pending-cancel': 'SUBMITTED', replaced: 'SUBMITTED',
  fill: 'FILLED', done: 'CANCELLED', canceled: 'CANCELLED', expired: 'CANCELLED', rejected: 'REJECTED',
};

/** Float sums of fill quantities against the venue's cumulative quantity. */
const below = (have: number, cum: number): boolean => cum - have > 1e-9 * Math.max(1, Math.abs(cum));

export function createFixEntry(opts: {
  config: ApifinyConfig;
  signer: ApifinySigner;
  clock: Clock;
  log: Logger;
  random: () => number;
  sink: FixEntrySink;
}): FixEntry {
  const { config, clock, sink } = opts;
  const fix = config.fix!;
  const log = opts.log.child({ orderEntry: 'fix' });
  const { accountId } = config.credentials;
  const sent = new Map<string, Sent>();
  /** OrderID (37) → our ClOrdID, learned from acknowledgements (later reports may carry only 37). */
  const byVenueId = new Map<string, string>();
  const venueIdOf = new Map<string, string>();

  const orderIdOf = (r: ExecutionReport): string => r.origClOrdId ?? byVenueId.get(r.orderId) ?? r.clOrdId ?? r.orderId;

  const onExecutionReport = (m: FixMessage): void => {
    const r = parseExecutionReport(m);
    if (typeof r === 'string') {
      log.error({ msgSeqNum: m.seqNum }, `apifiny FIX: unreadable ExecutionReport (${r}), ignored`);
      sink.resync(`an unreadable ExecutionReport was dropped (${r})`);
      return;
    }
    if (r.clOrdId !== undefined && r.origClOrdId === undefined && r.orderId !== r.clOrdId) {
      byVenueId.set(r.orderId, r.clOrdId);
      venueIdOf.set(r.clOrdId, r.orderId);
    }
    const orderId = orderIdOf(r);
    const order = sent.get(orderId);
    const status = STATUS[r.ordStatus];
    if (status === undefined) return void log.debug({ orderId, ordStatus: r.ordStatus }, 'apifiny FIX: ExecutionReport status not acted on');
    const cum = r.cumQty ?? 0;
    if (r.status) {
      // an answer to a status request: it carries no fill of its own, only how much is filled
      if (status === 'REJECTED') {
        // the venue does not know it (a NewOrderSingle lost with the connection) or refused it: REST settles which
        sink.resync(`the status request for order ${orderId} was answered Rejected (${r.text ?? 'no reason'})`);
        return;
      }
      if (below(sink.filledOf(orderId), cum)) {
        sink.resync(`order ${orderId} has fills this side has not seen (${cum} filled at the venue)`);
        return;
      }
    }
    if (status === 'REJECTED') {
      sink.rejected(orderId, r.text ?? 'rejected by the venue');
      sent.delete(orderId);
      return;
    }
    const now = clock.now();
    const at = r.transactTime ?? now;
    if (r.execType === 'new' && order !== undefined && order.ackedAt === undefined) order.ackedAt = at;
    let lastFill: ApifinyLastFillWire | undefined;
    if ((r.execType === 'partial' || r.execType === 'fill') && !r.status) {
      const symbol = r.symbol ?? order?.symbol ?? '';
      const fee = Number(m.get(12) ?? 0);
      lastFill = {
        tradeId: r.execId, lastFilledQuantity: r.lastQty!, lastFilledPrice: r.lastPrice!, // both checked by parseExecutionReport
        lastFilledCreatedAt: at,
        lastCommission: Number.isFinite(fee) ? fee : 0, lastCommissionCurrency: sink.quoteOf(symbol),
        isTaker: order === undefined || order.aggressive || order.ackedAt === at,
      };
    }
    const quantity = order?.quantity ?? (r.leavesQty ?? 0) + cum;
    const avg = Number(m.get(6) ?? 0);
    sink.observe({
      accountId, orderId, symbol: r.symbol ?? order?.symbol ?? '', orderType: 'LIMIT', orderSide: (r.side ?? order?.side) === 'sell' ? 'SELL' : 'BUY',
      limitPrice: null, quantity, filledAveragePrice: Number.isFinite(avg) ? avg : 0, filledCumulativeQuantity: cum, timeInForce: 1,
      orderStatus: status === 'CANCELLED' && cum > 0 ? 'PART_FILLED' : status, createdAt: at, updatedAt: at,
      ...(lastFill !== undefined ? { lastFill } : {}),
    });
    if (status === 'FILLED' || status === 'CANCELLED') sent.delete(orderId);
  };

  const onCancelReject = (m: FixMessage): void => {
    const r = parseCancelReject(m);
    if (typeof r === 'string') return void log.error(`apifiny FIX: ${r}`);
    const orderId = r.origClOrdId ?? (r.orderId !== undefined ? byVenueId.get(r.orderId) ?? r.orderId : undefined);
    if (orderId === undefined) return void log.warn('apifiny FIX: OrderCancelReject naming no order, ignored');
    sink.cancelRejected(orderId, r.text ?? 'cancel rejected by the venue');
  };

  /** After a reconnect: every order sent here and not done is asked about (nothing is resent). */
  const settleAfterReconnect = (): void => {
    let asked = 0;
    for (const [orderId, o] of sent) {
      // acknowledged or not (a NewOrderSingle lost with the connection): the answer tells what the venue has
      link.sendApp('H', orderStatusRequest({ clOrdId: orderId, account: accountId, symbol: o.symbol, exchange: config.venue, side: o.side }));
      asked++;
    }
    if (asked > 0) log.info({ orders: asked }, 'apifiny FIX: logged on again; asking the venue about the orders sent before the loss');
  };

  const link: FixInitiator = createFixInitiator({
    name: 'apifiny-fix',
    host: fix.host,
    port: fix.port,
    tls: fix.tls,
    ...(fix.ca !== undefined ? { ca: fix.ca } : {}),
    clock,
    log,
    backoff: createBackoff({ initialMs: fix.reconnectMs, maxMs: Math.max(fix.reconnectMs, 30_000), random: opts.random }),
    connectTimeoutMs: config.requestTimeoutMs * 2,
    session: {
      senderCompId: accountId,
      targetCompId: FIX_TARGET,
      heartBtInt: fix.heartBtInt,
      resetOnLogon: true,
      store: memorySeqStore(), // ResetOnLogon/ResetOnLogout/ResetOnDisconnect=Y: nothing to keep
      logonFields: () => {
        const token = opts.signer.fix();
        return [[95, String(Buffer.byteLength(token))], [96, token]];
      },
      onMessage: (m) => {
        if (m.msgType === '8') onExecutionReport(m);
        else if (m.msgType === '9') onCancelReject(m);
        else if (m.msgType === 'j') log.warn({ text: m.get(58), refMsgType: m.get(372) }, 'apifiny FIX: business message reject');
        else log.debug({ msgType: m.msgType }, 'apifiny FIX: message type not acted on');
      },
      onSkipped: (from, to) => sink.resync(`the FIX session skipped messages ${from}..${to - 1} with a gap fill`),
    },
    onLogon: (count) => {
      if (count > 1) settleAfterReconnect();
    },
  });

  return {
    link,
    submit(cmd, symbol, orderId) {
      const tif: FixTimeInForce = cmd.postOnly ? 'POST_ONLY' : cmd.type === 'market' || cmd.timeInForce === 'IOC' ? 'IOC' : cmd.timeInForce === 'FOK' ? 'FOK' : 'GTC';
      const body = newOrderSingle({
        clOrdId: orderId, account: accountId, symbol, exchange: config.venue, side: cmd.side, quantity: cmd.quantity,
        ...(cmd.type === 'limit' && cmd.price !== undefined ? { price: cmd.price } : {}),
        timeInForce: tif, transactTime: clock.now(),
      });
      const aggressive = cmd.type === 'market' || tif === 'IOC' || tif === 'FOK';
      sent.set(orderId, { symbol, side: cmd.side, quantity: cmd.quantity, aggressive, ackedAt: undefined, cancels: 0 });
      if (link.sendApp('D', body) !== undefined) return true;
      sent.delete(orderId);
      return false;
    },
    cancel(cmd, orderId) {
      const o = sent.get(orderId);
      if (o === undefined) return false;
      const body = orderCancelRequest({
        clOrdId: `${orderId}C${++o.cancels}`, origClOrdId: orderId, account: accountId, symbol: o.symbol, exchange: config.venue, side: o.side,
        quantity: o.quantity, transactTime: clock.now(),
      });
      return link.sendApp('F', body) !== undefined;
    },
    forget(orderId) {
      sent.delete(orderId);
      const venueId = venueIdOf.get(orderId);
      if (venueId !== undefined) {
        venueIdOf.delete(orderId);
        byVenueId.delete(venueId);
      }
    },
  };
}
