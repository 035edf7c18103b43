/**
 * The account side of TT REST (CONTRACT.md): ttledger fills paged to the end by TT's rule (the next page from the
 * last fill's transactTime + 1, in exact nanoseconds), ttmonitor positions and SOD records, ttaccount accounts and
 * limits. Records are mapped to engine instruments through `resolve` (a TT instrument id → engine id).
 */
import type { InstrumentId } from '../../engine/model/ids.js';
import type { PositionReport } from '../../engine/model/reports.js';
import type { Clock } from '../../engine/clock/clock.js';
import type { TtSession } from './client.js';
import { TtRequestError } from './errors.js';
import type { TtConfig } from './config.js';
import { MAX_PAGES, RESOURCES } from './constants.js';
import { fillsQuery, positionQuery } from './format.js';
import { fillReportOf, positionReportOf, type TtFill } from './parse.js';
import { readAccount, readFill, readPage, readPosition, readSod, type TtAccountWire, type TtSodWire } from './wire.js';

export type Resolve = (ttInstrumentId: string) => Promise<InstrumentId>;

/** Every fill of the account from `sinceNs` (inclusive) on, oldest first, each once. */
export async function readFills(session: TtSession, config: TtConfig, accountId: string, sinceNs: bigint, resolve: Resolve): Promise<TtFill[]> {
  const out: TtFill[] = [];
  let min = sinceNs;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const body = await session.get('ttledger', RESOURCES.fills, fillsQuery(accountId, min));
    const page = readPage(body, 'fills', false);
    if (!page.ok) throw new TtRequestError(`tt GET ttledger fills: ${page.reason}`, 200);
    const fills = page.value.items.map((item, i) => {
      const f = readFill(item);
      if (!f.ok) throw new TtRequestError(`tt GET ttledger fills: fill ${i} of the page from ${min} not readable (${f.reason})`, 200);
      return f.value;
    });
    for (const f of fills) out.push(fillReportOf(f, await resolve(f.instrumentId), config.venueId));
    if (page.value.lastPage || fills.length === 0) return out;
    const next = fills[fills.length - 1]!.transactTime + 1n;
    if (next <= min) throw new TtRequestError(`tt GET ttledger fills: the page from ${min} does not move forward`, 200);
    min = next;
  }
  throw new TtRequestError(`tt GET ttledger fills: more than ${MAX_PAGES} pages`, 200);
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
