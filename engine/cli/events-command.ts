/**
 * `engine events <runId|latest> [--db path] [--format ndjson|csv] [--kind K] [--order ID]`: a stored run's order
 * events in order — a backtest's from its journal (data/FORMAT.md "Event journal"), paper and live from the events
 * table — as NDJSON (one event a line, `seq` first) or CSV (one column per field of any kind, empty where a kind has
 * none). Returns the exit code: 0 done, 2 bad arguments, a missing database or an unknown run.
 */
import type { OrderEvent } from '../model/events.js';
import { EVENT_FIELDS } from '../persistence/journal-codec.js';
import { loadEvents, journalEvents, type StoredEvent } from '../persistence/repositories.js';
import { StdoutClosedError } from './stdout.js';
import { openRun } from './stored-run.js';
import { csvCell } from '../data/import/csv-line.js';

export interface EventsArgs {
  readonly runId: string;
  readonly db: string;
  readonly format?: string;
  readonly kind?: string;
  readonly order?: string;
}

/** Every field of every kind, in schema order: the CSV columns. */
const COLUMNS: readonly string[] = ['seq', 'kind', 'clientOrderId', 'strategyId', 'instrumentId', 'tsEvent', 'tsInit', ...new Set(Object.values(EVENT_FIELDS).flatMap((f) => Object.keys(f)))];

/** A value as a CSV cell (the importer's quoting rule); empty for a missing one. */
const csvValue = (v: unknown): string => (v === undefined || v === null ? '' : csvCell(String(v)));

export async function eventsCommand(args: EventsArgs, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const format = args.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') {
    err(`engine events: --format ${format}: ndjson or csv`);
    return 2;
  }
  if (args.kind !== undefined && !(args.kind in EVENT_FIELDS)) {
    err(`engine events: --kind ${args.kind} is not an event kind (${Object.keys(EVENT_FIELDS).join(', ')})`);
    return 2;
  }
  const opened = openRun('events', args.runId, args.db, err);
  if (opened === undefined) return 2;
  const { db, runId } = opened;
  try {
    const keep = (e: OrderEvent): boolean => (args.kind === undefined || e.kind === args.kind) && (args.order === undefined || e.clientOrderId === args.order);
    if (format === 'csv') out(COLUMNS.join(','));
    const lines: string[] = [];
    const emit = (s: StoredEvent): void => {
      if (!keep(s.event)) return;
      const row = { seq: s.seq, ...s.event } as Record<string, unknown>;
      lines.push(format === 'csv' ? COLUMNS.map((c) => csvValue(row[c])).join(',') : JSON.stringify(row));
      if (lines.length >= 1_000) out(lines.splice(0).join('\n'));
    };
    // a backtest's journal is decoded a chunk at a time; rows (paper, live) are read whole
    let any = false;
    for (const s of journalEvents(db, runId)) {
      any = true;
      emit(s);
    }
    if (!any) for (const s of loadEvents(db, runId)) emit(s);
    if (lines.length > 0) out(lines.join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof StdoutClosedError) throw e; // the reader has gone (| head): not an error
    err(`engine events: ${(e as Error).message}`);
    return 2;
  } finally {
    db.close();
  }
}
