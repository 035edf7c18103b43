/** Engine → TT: instrument ids from TT aliases, and the queries of the ledger and monitor requests. */
import type { Query } from './client.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_CODES = 'FGHJKMNQUVXZ';

/**
 * The engine symbol of a TT future: `ES Mar27` → `ESH7` (product, CME month code, last digit of the year, as the
 * exchange writes it). Another alias keeps its letters and digits (`6E Sep27 Cal` → `6ESep27Cal`).
 */
export function symbolOfAlias(alias: string): string {
  const m = /^([A-Za-z0-9]+) ([A-Z][a-z]{2})(\d{2})$/.exec(alias.trim());
  const month = m === null ? -1 : MONTHS.indexOf(m[2]!);
  if (m !== null && month >= 0) return `${m[1]}${MONTH_CODES[month]}${m[3]!.slice(1)}`;
  return alias.replace(/[^A-Za-z0-9_-]/g, '');
}

/** ttledger fills from `minNs` (nanoseconds, inclusive) on. */
export const fillsQuery = (accountId: string, minNs: bigint, maxNs?: bigint): Query => ({
  accountId,
  minTimestamp: minNs.toString(),
  maxTimestamp: maxNs === undefined ? undefined : maxNs.toString(),
});

export const positionQuery = (accountIds: readonly string[]): Query => ({ accountIds: accountIds.join(',') });
