/**
 * Commands → Apifiny requests, and the client order id ↔ Apifiny orderId mapping.
 *
 * Apifiny orderIds are digits only: account number + "random" + 13-digit timestamp + 3-digit "random", ≤ 64 digits.
 * Ours fill the two free parts deterministically so the engine's id `<strategyId>-<run>-<counter>` can be read back
 * from the orderId alone (after a restart, from the venue's lists):
 *
 *   <account digits> <body> <13-digit ms timestamp of the first send> <3-digit check of everything before it>
 *   body, mode 1 (reversible):  "1" <2-digit char count n> <n × 2 digits: char code − 32> <1-digit run length r> <run> <counter>
 *   body, mode 2 (too long):    "2" <6-digit FNV-1a hash of strategyId>              <1-digit run length r> <run> <counter>
 *
 * Mode 1 is used whenever it fits in 64 digits and the strategy id is printable ASCII; mode 2 recognises our orders
 * (check digits) and maps the hash back through the strategies this adapter has seen or was told (option
 * `strategies`). The timestamp makes the id valid at the venue; the adapter remembers clientOrderId → orderId in memory
 * so any resend reuses the same orderId.
 */
import { decimalText } from '../../engine/model/decimal.js';
import type { CancelOrder, SubmitOrder } from '../../engine/model/commands.js';
import { formatClientOrderId, parseClientOrderId, type ClientOrderId } from '../../engine/model/ids.js';
import { TIF } from './constants.js';

const MAX_DIGITS = 64;

export function accountNumber(accountId: string): string {
  const tail = accountId.slice(accountId.lastIndexOf('-') + 1);
  return /^\d+$/.test(tail) ? tail : accountId.replace(/\D/g, '');
}

export function strategyHash(strategyId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < strategyId.length; i++) {
    h ^= strategyId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h % 1_000_000).padStart(6, '0');
}

const check3 = (digits: string): string => {
  let h = 7;
  for (let i = 0; i < digits.length; i++) h = (h * 31 + digits.charCodeAt(i) - 47) % 1000;
  return String(h).padStart(3, '0');
};

/** A printable strategy id as two digits per character (mode 1); undefined when it is not printable ASCII. Memoized: on the order path. */
const digitsOf = new Map<string, string | undefined>();
function strategyDigits(strategyId: string): string | undefined {
  if (digitsOf.has(strategyId)) return digitsOf.get(strategyId);
  const digits = /^[\x20-\x7e]{1,99}$/.test(strategyId)
    ? [...strategyId].map((c) => String(c.charCodeAt(0) - 32).padStart(2, '0')).join('')
    : undefined;
  if (digitsOf.size < 10_000) digitsOf.set(strategyId, digits);
  return digits;
}

/** The orderId for a client order id at `nowMs`; undefined when the client order id cannot be encoded at all. */
export function encodeOrderId(clientOrderId: ClientOrderId, accountId: string, nowMs: number): string | undefined {
  const parsed = parseClientOrderId(clientOrderId);
  if (!parsed || !Number.isSafeInteger(parsed.run) || !Number.isSafeInteger(parsed.counter)) return undefined;
  const run = String(parsed.run);
  const counter = String(parsed.counter);
  if (run.length > 9) return undefined;
  const acct = accountNumber(accountId);
  const stamp = String(Math.floor(nowMs)).padStart(13, '0').slice(-13);
  const tail = `${run.length}${run}${counter}`;
  const chars = strategyDigits(parsed.strategyId);
  const mode1 = chars === undefined ? '' : `1${String(parsed.strategyId.length).padStart(2, '0')}${chars}${tail}`;
  const body = chars !== undefined && acct.length + mode1.length + 16 <= MAX_DIGITS ? mode1 : `2${strategyHash(parsed.strategyId)}${tail}`;
  const head = `${acct}${body}${stamp}`;
  if (head.length + 3 > MAX_DIGITS) return undefined;
  return head + check3(head);
}

export type DecodedOrderId =
  | { readonly kind: 'full'; readonly clientOrderId: ClientOrderId }
  | { readonly kind: 'hashed'; readonly hash: string; readonly run: number; readonly counter: number };

/** Reads one of our orderIds back; undefined when it is not ours (another client, the venue's own ids). */
export function decodeOrderId(orderId: string, accountId: string): DecodedOrderId | undefined {
  const acct = accountNumber(accountId);
  if (!/^\d+$/.test(orderId) || !orderId.startsWith(acct) || orderId.length < acct.length + 20) return undefined;
  const head = orderId.slice(0, -3);
  if (check3(head) !== orderId.slice(-3)) return undefined;
  const body = orderId.slice(acct.length, -16);
  const tail = (s: string): { run: number; counter: number } | undefined => {
    const r = Number(s[0]);
    const run = s.slice(1, 1 + r);
    const counter = s.slice(1 + r);
    return r >= 1 && run.length === r && counter.length >= 1 ? { run: Number(run), counter: Number(counter) } : undefined;
  };
  if (body.startsWith('1')) {
    const n = Number(body.slice(1, 3));
    const codes = body.slice(3, 3 + 2 * n);
    if (!(n >= 1) || codes.length !== 2 * n) return undefined;
    let strategyId = '';
    for (let i = 0; i < n; i++) strategyId += String.fromCharCode(Number(codes.slice(2 * i, 2 * i + 2)) + 32);
    const t = tail(body.slice(3 + 2 * n));
    return t && { kind: 'full', clientOrderId: formatClientOrderId(strategyId, t.run, t.counter) };
  }
  if (body.startsWith('2')) {
    const t = tail(body.slice(7));
    return t && { kind: 'hashed', hash: body.slice(1, 7), ...t };
  }
  return undefined;
}


export interface NewOrderBody {
  readonly accountId: string;
  readonly venue: string;
  readonly orderId: string;
  readonly orderInfo: Readonly<Record<string, string | number>>;
}

/** SubmitOrder → newOrder body, or the reason the venue cannot take it (reported as OrderRejected). */
export function formatNewOrder(cmd: SubmitOrder, symbol: string, accountId: string, venue: string, orderId: string): NewOrderBody | { readonly unsupported: string } {
  if (cmd.timeInForce === 'GTD' || cmd.timeInForce === 'FOK') return { unsupported: `NOT_SUPPORTED: Apifiny has no ${cmd.timeInForce} time in force` };
  const info: Record<string, string | number> = { symbol, orderSide: cmd.side === 'buy' ? 'BUY' : 'SELL' };
  if (cmd.type === 'limit') {
    if (cmd.price === undefined) return { unsupported: 'a limit order needs a price' };
    info.orderType = 'LIMIT';
    info.timeInForce = cmd.postOnly ? TIF.POST_ONLY : cmd.timeInForce === 'IOC' ? TIF.IOC : TIF.GTC;
    info.limitPrice = decimalText(cmd.price);
    info.quantity = decimalText(cmd.quantity);
  } else {
    // A MARKET BUY is sized by quote `total` at Apifiny; the engine sizes orders in base quantity.
    if (cmd.side === 'buy') return { unsupported: 'NOT_SUPPORTED: Apifiny market buys are sized in quote currency; use a limit IOC' };
    info.orderType = 'MARKET';
    info.quantity = decimalText(cmd.quantity);
  }
  return { accountId, venue, orderId, orderInfo: info };
}

export function formatCancel(_cmd: CancelOrder, accountId: string, venue: string, orderId: string): Record<string, string> {
  return { accountId, venue, orderId };
}
