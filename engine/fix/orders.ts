/**
 * FIX 4.2 order-entry messages (issue 16): NewOrderSingle (D), OrderCancelRequest (F) and OrderStatusRequest (H) as
 * bodies for FixSession.sendApp, with the tags standard FIX 4.2 requires beside the Apifiny document's (OrigClOrdID 41,
 * Side 54, Symbol 55, TransactTime 60 on a cancel; Side and Symbol on a status request), so a standard acceptor takes
 * them; and the ExecutionReport (8) and OrderCancelReject (9) read back into typed objects, once, at the edge.
 * Prices and quantities travel as exact decimal text.
 */
import { decimalText as decimal } from '../model/decimal.js'; // FIX allows no exponent form
import type { FixField, FixMessage } from './codec.js';
import { fixTimestamp, parseFixTimestamp } from './codec.js';

export type FixSide = 'buy' | 'sell';
/** TimeInForce (59) as Apifiny lists it: 1 GTC, 3 IOC, 7 post-only; 4 FOK is standard FIX. */
export type FixTimeInForce = 'GTC' | 'IOC' | 'FOK' | 'POST_ONLY';


const SIDE: Readonly<Record<FixSide, string>> = { buy: '1', sell: '2' };
const TIF: Readonly<Record<FixTimeInForce, string>> = { GTC: '1', IOC: '3', FOK: '4', POST_ONLY: '7' };

export interface NewOrder {
  readonly clOrdId: string;
  readonly account: string;
  readonly symbol: string;
  /** SecurityExchange (207): the venue. */
  readonly exchange: string;
  readonly side: FixSide;
  readonly quantity: number;
  /** A limit order at this price; a market order without it. */
  readonly price?: number;
  readonly timeInForce: FixTimeInForce;
  readonly transactTime: number;
  readonly text?: string;
}

export function newOrderSingle(o: NewOrder): FixField[] {
  const body: FixField[] = [
    [1, o.account], [11, o.clOrdId], [21, '1'], [38, decimal(o.quantity)], [40, o.price === undefined ? '1' : '2'],
  ];
  if (o.price !== undefined) body.push([44, decimal(o.price)]);
  body.push([54, SIDE[o.side]], [55, o.symbol], [59, TIF[o.timeInForce]], [60, fixTimestamp(o.transactTime)], [207, o.exchange]);
  if (o.text !== undefined) body.push([58, o.text]);
  return body;
}

export interface CancelRequest {
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly account: string;
  readonly symbol: string;
  readonly exchange: string;
  readonly side: FixSide;
  readonly quantity: number;
  readonly transactTime: number;
  readonly orderId?: string;
}

export function orderCancelRequest(c: CancelRequest): FixField[] {
  const body: FixField[] = [[1, c.account], [11, c.clOrdId], [38, decimal(c.quantity)], [41, c.origClOrdId]];
  if (c.orderId !== undefined) body.push([37, c.orderId]);
  body.push([54, SIDE[c.side]], [55, c.symbol], [60, fixTimestamp(c.transactTime)], [207, c.exchange]);
  return body;
}

export interface StatusRequest {
  readonly clOrdId: string;
  readonly account: string;
  readonly symbol: string;
  readonly exchange: string;
  readonly side: FixSide;
  readonly orderId?: string;
}

export function orderStatusRequest(s: StatusRequest): FixField[] {
  const body: FixField[] = [[1, s.account], [11, s.clOrdId]];
  if (s.orderId !== undefined) body.push([37, s.orderId]);
  body.push([54, SIDE[s.side]], [55, s.symbol], [207, s.exchange]);
  return body;
}

/** ExecType (150), FIX 4.2's values, as words. */
export type ExecType = 'new' | 'partial' | 'fill' | 'done' | 'canceled' | 'replaced' | 'pending-cancel' | 'stopped' | 'rejected' | 'suspended' | 'pending-new' | 'calculated' | 'expired' | 'restated' | 'pending-replace';
const EXEC_TYPE: Readonly<Record<string, ExecType>> = {
  0: 'new', 1: 'partial', 2: 'fill', 3: 'done', 4: 'canceled', 5: 'replaced', 6: 'pending-cancel', 7: 'stopped', 8: 'rejected', 9: 'suspended',
  A: 'pending-new', B: 'calculated', C: 'expired', D: 'restated', E: 'pending-replace',
};

export interface ExecutionReport {
  readonly clOrdId: string | undefined;
  readonly origClOrdId: string | undefined;
  readonly orderId: string;
  readonly execId: string;
  /** ExecTransType (20): '0' new, '3' status (an answer to a status request). */
  readonly status: boolean;
  readonly execType: ExecType;
  readonly ordStatus: ExecType;
  readonly side: FixSide | undefined;
  readonly symbol: string | undefined;
  readonly lastQty: number | undefined;
  readonly lastPrice: number | undefined;
  readonly leavesQty: number | undefined;
  readonly cumQty: number | undefined;
  readonly transactTime: number | undefined;
  readonly text: string | undefined;
}

const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** An ExecutionReport, or why it cannot be one (a sentence naming the tag). */
export function parseExecutionReport(m: FixMessage): ExecutionReport | string {
  if (m.msgType !== '8') return `MsgType ${m.msgType} is not an ExecutionReport (8)`;
  const orderId = m.get(37);
  const execId = m.get(17);
  const execType = EXEC_TYPE[m.get(150) ?? ''];
  const ordStatus = EXEC_TYPE[m.get(39) ?? ''];
  if (orderId === undefined) return 'ExecutionReport without OrderID (37)';
  if (execId === undefined) return 'ExecutionReport without ExecID (17)';
  if (execType === undefined) return `ExecutionReport with ExecType (150) ${JSON.stringify(m.get(150))}`;
  if (ordStatus === undefined) return `ExecutionReport with OrdStatus (39) ${JSON.stringify(m.get(39))}`;
  const sideCode = m.get(54);
  const lastQty = num(m.get(32));
  // a status answer (ExecTransType 3) carries the order's state as its ExecType, not a fill of its own
  if ((execType === 'partial' || execType === 'fill') && m.get(20) !== '3' && !(lastQty !== undefined && lastQty > 0)) return `a fill ExecutionReport with LastShares (32) ${JSON.stringify(m.get(32))}`;
  const lastPrice = num(m.get(31)) ?? (lastQty !== undefined ? num(m.get(44)) : undefined);
  if ((execType === 'partial' || execType === 'fill') && m.get(20) !== '3' && lastPrice === undefined) return 'a fill ExecutionReport without LastPx (31) or Price (44)';
  const t = m.get(60);
  return {
    clOrdId: m.get(11), origClOrdId: m.get(41), orderId, execId, status: m.get(20) === '3', execType, ordStatus,
    side: sideCode === '1' ? 'buy' : sideCode === '2' ? 'sell' : undefined, symbol: m.get(55),
    lastQty, lastPrice, leavesQty: num(m.get(151)), cumQty: num(m.get(14)),
    transactTime: t === undefined ? undefined : parseFixTimestamp(t), text: m.get(58),
  };
}

export interface CancelReject {
  readonly clOrdId: string | undefined;
  readonly origClOrdId: string | undefined;
  readonly orderId: string | undefined;
  readonly text: string | undefined;
}

export function parseCancelReject(m: FixMessage): CancelReject | string {
  if (m.msgType !== '9') return `MsgType ${m.msgType} is not an OrderCancelReject (9)`;
  return { clOrdId: m.get(11), origClOrdId: m.get(41), orderId: m.get(37), text: m.get(58) };
}
