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
import { deflateRawSync } from 'node:zlib';
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

/**
 * The writer thread's journal (thread-writer-worker.ts): its chunks arrive encoded (the engine's thread encoded them to
 * hand them over), so they are stored as they are, deflated, instead of being encoded a second time. `enqueue` a
 * batch's chunk before appending its events; each transaction stores the chunks not yet committed. Should an item be
 * set aside as a dead letter, its event stays in the journal with the rest of its chunk.
 */
export function createEncodedJournalInserter(db: Database, runId: number): EventInserter & { enqueue(raw: Buffer, events: number): void } {
  const insert: Statement = db.prepare(`INSERT INTO event_journal (run_id, seq_from, events, data) VALUES (?, ?, ?, ?)`);
  const first = db.prepare(`SELECT COALESCE(MAX(seq_from + events), 1) AS next FROM event_journal WHERE run_id = ?`).get(runId) as { next: number };
  let next = first.next;
  /** Chunks not committed yet, deflated once; `written` of them went into the transaction now committing. */
  const queue: Array<{ events: number; data: Buffer }> = [];
  let written = 0;
  return {
    enqueue(raw, events) {
      if (events > 0) queue.push({ events, data: deflateRawSync(raw, { level: 1 }) });
    },
    write() {
      // the event is in a chunk enqueued before it
    },
    finish() {
      let seq = next;
      for (const c of queue) {
        insert.run(runId, seq, c.events, c.data);
        seq += c.events;
      }
      written = queue.length;
    },
    reset() {
      written = 0;
    },
    committed() {
      for (const c of queue.splice(0, written)) next += c.events;
      written = 0;
    },
  };
}