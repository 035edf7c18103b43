/**
 * The account side of TT REST (CONTRACT.md): ttledger fills paged to the end by TT's rule (the next page from the
 * last fill's transactTime + 1, in exact nanoseconds), ttmonitor positions and SOD records, ttaccount accounts and
 * limits. Records are mapped to engine instruments through `resolve` (a TT instrument id → engine id).
 */
import type { InstrumentId } from '../../engine/model/ids.js';
import type { OrderStatusReport, PositionReport } from '../../engine/model/reports.js';
import type { WireResult } from '../../engine/net/wire-fields.js';
import type { Clock } from '../../engine/clock/clock.js';
import type { TtSession } from './client.js';
import { TtRequestError } from './errors.js';
import type { TtConfig } from './config.js';
import { MAX_PAGES, RESOURCES } from './constants.js';
import { fillsQuery, positionQuery } from './format.js';
import { fillReportOf, orderReportOf, positionReportOf, type TtFill } from './parse.js';
import { readAccount, readFill, readOrder, readPage, readPosition, readSod, type TtAccountWire, type TtSodWire } from './wire.js';

export type Resolve = (ttInstrumentId: string) => Promise<InstrumentId>;

/**
 * Every record of a ttledger listing (fills, orders) from `sinceNs` (inclusive) on, oldest first, each once: TT's
 * paging, at most 500 a page and the next page from the last record's transactTime + 1.
 */
async function readLedger<W extends { readonly transactTime: bigint }>(
  session: TtSession, resource: string, field: string, accountId: string, sinceNs: bigint, read: (v: unknown) => WireResult<W>,
): Promise<W[]> {
  const out: W[] = [];
  let min = sinceNs;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const body = await session.get('ttledger', resource, fillsQuery(accountId, min));
    const page = readPage(body, field, false);
    if (!page.ok) throw new TtRequestError(`tt GET ttledger ${resource}: ${page.reason}`, 200);
    const records = page.value.items.map((item, i) => {
      const r = read(item);
      if (!r.ok) throw new TtRequestError(`tt GET ttledger ${resource}: record ${i} of the page from ${min} not readable (${r.reason})`, 200);
      return r.value;
    });
    out.push(...records);
    if (page.value.lastPage || records.length === 0) return out;
    const next = records[records.length - 1]!.transactTime + 1n;
    if (next <= min) throw new TtRequestError(`tt GET ttledger ${resource}: the page from ${min} does not move forward`, 200);
    min = next;
  }
  throw new TtRequestError(`tt GET ttledger ${resource}: more than ${MAX_PAGES} pages`, 200);
}

/** Every fill of the account from `sinceNs` (inclusive) on, oldest first, each once. */
export async function readFills(session: TtSession, config: TtConfig, accountId: string, sinceNs: bigint, resolve: Resolve): Promise<TtFill[]> {
  const out: TtFill[] = [];
  for (const f of await readLedger(session, RESOURCES.fills, 'fills', accountId, sinceNs, readFill)) out.push(fillReportOf(f, await resolve(f.instrumentId), config.venueId));
  return out;
}

/** The account's orders changed from `sinceNs` on, as status reports (one TT reports in a status the engine lacks is refused). */
export async function readOrders(session: TtSession, config: TtConfig, accountId: string, sinceNs: bigint, resolve: Resolve): Promise<OrderStatusReport[]> {
  const out: OrderStatusReport[] = [];
  for (const o of await readLedger(session, RESOURCES.orders, 'orders', accountId, sinceNs, readOrder)) {
    const r = orderReportOf(o, await resolve(o.instrumentId), config.venueId);
    if (!r.ok) throw new TtRequestError(`tt GET ttledger orders: ${r.error}`, 200);
    out.push(r.value);
  }
  return out;
}

export async function readPositions(session: TtSession, config: TtConfig, accountId: string, resolve: Resolve, clock: Pick<Clock, 'now'>): Promise<PositionReport[]> {
  const records = await session.list('ttmonitor', RESOURCES.position, positionQuery([accountId]), 'positions', readPosition);
  const now = clock.now();
  const out: PositionReport[] = [];
  for (const p of records) if (p.accountId === accountId) out.push(positionReportOf(p, await resolve(p.instrumentId), config.venueId, now));
  return out;
}

export const readSods = (session: TtSession, accountId: string): Promise<TtSodWire[]> =>
  session.list('ttmonitor', `${RESOURCES.sod}/${accountId}`, {}, 'sod', readSod);

export const readAccounts = (session: TtSession): Promise<TtAccountWire[]> => session.list('ttaccount', RESOURCES.accounts, {}, 'accounts', readAccount);
