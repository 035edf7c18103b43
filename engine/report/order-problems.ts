/**
 * Why orders did not trade: denials by the risk layer (per reason code) and rejections by the venue (per reason text),
 * counted from the run's event log (journal chunks one at a time, or event rows), with the first message of each.
 */
import type { Database } from '../persistence/index.js';
import { journalEvents } from '../persistence/repositories.js';
import type { OrderEvent } from '../model/events.js';

export interface ProblemCount {
  readonly what: 'denied' | 'rejected';
  /** The denial code, or the venue's reason. */
  readonly reason: string;
  readonly count: number;
  /** The first message seen (a denial's message; a rejection's reason is its message). */
  readonly example: string;
}

/** At most this many distinct rejection reasons are kept (venue texts may embed ids); the rest are counted as "other". */
const MAX_REASONS = 50;

export function orderProblems(db: Database, runId: number): ProblemCount[] {
  const counts = new Map<string, { what: 'denied' | 'rejected'; reason: string; count: number; example: string }>();
  const add = (what: 'denied' | 'rejected', reason: string, message: string): void => {
    let key = `${what}\u0000${reason}`;
    if (!counts.has(key) && what === 'rejected' && [...counts.values()].filter((c) => c.what === what).length >= MAX_REASONS) {
      key = `${what}\u0000(other reasons)`;
      reason = '(other reasons)';
    }
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { what, reason, count: 1, example: message });
  };
  const see = (e: OrderEvent): void => {
    if (e.kind === 'OrderDenied') add('denied', e.code, e.message);
    else if (e.kind === 'OrderRejected') add('rejected', e.reason, e.reason);
  };
  let journal = 0;
  for (const e of journalEvents(db, runId)) {
    journal++;
    see(e.event);
  }
  if (journal === 0) {
    const rows = db.prepare(`SELECT payload FROM events WHERE run_id = ? AND (payload LIKE '%"OrderDenied"%' OR payload LIKE '%"OrderRejected"%') ORDER BY seq`)
      .iterate(runId) as IterableIterator<{ payload: string }>;
    for (const r of rows) see(JSON.parse(r.payload) as OrderEvent);
  }
  return [...counts.values()].sort((a, b) => (a.what === b.what ? b.count - a.count : a.what < b.what ? -1 : 1));
}
