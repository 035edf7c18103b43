/**
 * What the simulator's listings show from its data: the fills page for a minTimestamp (at most `limit`, never split
 * between fills of one transactTime), start-of-day records and positions (today's fills plus the SOD), paged lists.
 */
import { Decimal } from 'decimal.js';
import { dayOf, type SimData, type SimFill } from './data.js';
import { pageKey, readPageKey } from './protocol.js';

export interface FillsPage<T = SimFill> {
  readonly fills: readonly T[];
  readonly lastPage: boolean;
}

/** Records with min ≤ transactTime ≤ max, oldest first, at most `limit`; a page ends before a group of equal times it would split. */
export function fillsPage<T extends { readonly transactTime: bigint }>(all: readonly T[], min: bigint, max: bigint | undefined, limit: number): FillsPage<T> {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid]!.transactTime < min) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  let i = lo;
  for (; i < all.length && out.length < limit; i++) {
    if (max !== undefined && all[i]!.transactTime > max) break;
    out.push(all[i]!);
  }
  const more = i < all.length && (max === undefined || all[i]!.transactTime <= max);
  if (more && out.length > 0 && all[i]!.transactTime === out[out.length - 1]!.transactTime) {
    const t = out[out.length - 1]!.transactTime;
    while (out.length > 0 && out[out.length - 1]!.transactTime === t) out.pop();
    if (out.length === 0) throw new Error(`more than ${limit} fills at ${t}: cannot page them`); // not in the seeded data
  }
  return { fills: out, lastPage: !more };
}

export interface SodRecord {
  readonly accountId: number;
  readonly instrumentId: string;
  readonly productId: string;
  readonly netPosition: string;
  readonly avgPrice: number;
  readonly sodDate: string;
}

export interface PositionRecord {
  readonly accountId: number;
  readonly instrumentId: string;
  readonly productId: string;
  readonly netPosition: string;
  readonly sodNetPosition: string;
  readonly buyFillQty: string;
  readonly sellFillQty: string;
  readonly avgBuyPrice: number | null;
  readonly avgSellPrice: number | null;
  readonly currency: string;
}

/** SOD records of `today` (the net position of the earlier days, at the last earlier price) and today's positions. */
export function accountBook(data: SimData, accountId: number, extra: readonly SimFill[] = []): { sod: SodRecord[]; positions: PositionRecord[] } {
  const today = data.days[data.days.length - 1]!;
  const fills = [...(data.fills.get(accountId) ?? []), ...extra];
  const byInstrument = new Map<string, SimFill[]>();
  for (const f of fills) {
    let list = byInstrument.get(f.instrumentId);
    if (list === undefined) byInstrument.set(f.instrumentId, (list = []));
    list.push(f);
  }
  const sod: SodRecord[] = [];
  const positions: PositionRecord[] = [];
  for (const [instrumentId, list] of [...byInstrument].sort(([a], [b]) => a.localeCompare(b))) {
    const before = list.filter((f) => dayOf(f.transactTime) < today);
    const todays = list.filter((f) => dayOf(f.transactTime) === today);
    const net = (fs: readonly SimFill[]): Decimal => fs.reduce((s, f) => (f.side === 1 ? s.plus(f.lastQty) : s.minus(f.lastQty)), new Decimal(0));
    const sodNet = net(before);
    const first = list[0]!;
    if (before.length > 0) {
      sod.push({
        accountId, instrumentId, productId: first.productId, netPosition: sodNet.toString(),
        avgPrice: before[before.length - 1]!.lastPx, sodDate: today,
      });
    }
    const side = (s: 1 | 2): { qty: Decimal; avg: number | null } => {
      const fs = todays.filter((f) => f.side === s);
      const qty = fs.reduce((a, f) => a.plus(f.lastQty), new Decimal(0));
      const cost = fs.reduce((a, f) => a.plus(new Decimal(f.lastPx).times(f.lastQty)), new Decimal(0));
      return { qty, avg: qty.isZero() ? null : cost.div(qty).toDecimalPlaces(10).toNumber() };
    };
    const buy = side(1);
    const sell = side(2);
    positions.push({
      accountId, instrumentId, productId: first.productId, netPosition: sodNet.plus(buy.qty).minus(sell.qty).toString(),
      sodNetPosition: sodNet.toString(), buyFillQty: buy.qty.toString(), sellFillQty: sell.qty.toString(),
      avgBuyPrice: buy.avg, avgSellPrice: sell.avg, currency: first.currency,
    });
  }
  return { sod, positions };
}

/** One page of a list by `nextPageKey`; `undefined` when the key is not one this list issued. */
export function page<T>(kind: string, items: readonly T[], key: string | null, size: number): { items: T[]; lastPage: boolean; nextPageKey?: string } | undefined {
  const from = key === null ? 0 : readPageKey(kind, key);
  if (from === undefined || from > items.length) return undefined;
  const to = Math.min(items.length, from + size);
  return to < items.length ? { items: items.slice(from, to), lastPage: false, nextPageKey: pageKey(kind, to) } : { items: items.slice(from, to), lastPage: true };
}

export interface SimOrder {
  readonly orderId: string;
  readonly accountId: number;
  readonly instrumentId: string;
  readonly productId: string;
  readonly side: 1 | 2;
  readonly ordType: 2;
  readonly timeInForce: 0;
  readonly price: number;
  readonly orderQty: string;
  readonly cumQty: string;
  readonly avgPx: number;
  /** FIX OrdStatus: 2 filled, 4 canceled (the rest of a partly filled order). */
  readonly ordStatus: '2' | '4';
  /** Its last change: the last fill, or the cancel 1 ms after it. */
  readonly transactTime: bigint;
}

/** The account's orders as the fills show them (one in seven left part unfilled and canceled), by last change. */
export function ordersOf(fills: readonly SimFill[]): SimOrder[] {
  const byOrder = new Map<string, SimFill[]>();
  for (const f of fills) {
    let list = byOrder.get(f.orderId);
    if (list === undefined) byOrder.set(f.orderId, (list = []));
    list.push(f);
  }
  const out: SimOrder[] = [];
  let n = 0;
  for (const [orderId, fs] of byOrder) {
    const first = fs[0]!;
    const last = fs[fs.length - 1]!;
    const cum = fs.reduce((s, f) => s.plus(f.lastQty), new Decimal(0));
    const cost = fs.reduce((s, f) => s.plus(new Decimal(f.lastPx).times(f.lastQty)), new Decimal(0));
    const canceled = n++ % 7 === 3;
    const worst = fs.reduce((w, f) => (first.side === 1 ? Math.max(w, f.lastPx) : Math.min(w, f.lastPx)), first.lastPx);
    out.push({
      orderId, accountId: first.accountId, instrumentId: first.instrumentId, productId: first.productId, side: first.side, ordType: 2,
      timeInForce: 0, price: worst, orderQty: cum.plus(canceled ? 1 : 0).toString(), cumQty: cum.toString(),
      avgPx: cost.div(cum).toDecimalPlaces(10).toNumber(), ordStatus: canceled ? '4' : '2',
      transactTime: last.transactTime + (canceled ? 1_000_000n : 0n),
    });
  }
  return out.sort((a, b) => (a.transactTime < b.transactTime ? -1 : a.transactTime > b.transactTime ? 1 : 0));
}
