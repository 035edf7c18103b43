/**
 * The event writer's events as journal chunks (journal-codec.ts) instead of rows: the same interface as the row
 * inserter, so the writer's transactions, retries, ordering and flush semantics are unchanged. Events are encoded as
 * they are written, and each transaction ends with them as one chunk row of event_journal (a backtest's writer commits
 * every storage.maxBatch items, 10,000 by default, so a chunk holds up to that many events). A failed transaction
 * takes back what it added (`reset` at the next one).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { OrderEvent } from '../model/events.js';
import type { EventInserter } from './event-inserter.js';
import { JournalChunkEncoder } from './journal-codec.js';

export function createJournalInserter(db: Database, runId: number): EventInserter {
  const insert: Statement = db.prepare(`INSERT INTO event_journal (run_id, seq_from, events, data) VALUES (?, ?, ?, ?)`);
  const first = db.prepare(`SELECT COALESCE(MAX(seq_from + events), 1) AS next FROM event_journal WHERE run_id = ?`).get(runId) as { next: number };
  /** The number in the run of the next event written. */
  let next = first.next;
  const encoder = new JournalChunkEncoder();
  /** Events of the chunk written in the transaction now committing. */
  let written = 0;
  return {
    write(e: OrderEvent) {
      encoder.add(e);
    },
    finish() {
      if (encoder.events === 0) return;
      const { events, data } = encoder.snapshot();
      insert.run(runId, next, events, data);
      written = events;
    },
    reset() {
      // the last transaction failed: what it encoded was rolled back with it
      written = 0;
      encoder.clear();
    },
    committed() {
      next += written;
      written = 0;
      encoder.clear();
    },
  };
}
