/**
 * A FIX session's sequence numbers in SQLite (table fix_sessions, migration 11), for sessions that keep them across
 * connections and restarts (ResetOnLogon=N): the next number out and the next expected in, by session key
 * (BeginString:SenderCompID->TargetCompID). Each save is one small upsert on the session's own statement; a session
 * saves after it has written a message, so the disk is never between a decision and its bytes (DESIGN.md's rule).
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock/clock.js';
import type { SeqStore } from '../fix/session.js';

export const fixSessionKey = (beginString: string, senderCompId: string, targetCompId: string): string => `${beginString}:${senderCompId}->${targetCompId}`;

export function createSqliteSeqStore(db: Database, sessionKey: string, clock: Pick<Clock, 'now'>): SeqStore {
  const read = db.prepare(`SELECT next_out AS nextOut, next_in AS nextIn FROM fix_sessions WHERE session_key = ?`);
  const write = db.prepare(
    `INSERT INTO fix_sessions (session_key, next_out, next_in, updated_at) VALUES (?, ?, ?, ?) ` +
      `ON CONFLICT (session_key) DO UPDATE SET next_out = excluded.next_out, next_in = excluded.next_in, updated_at = excluded.updated_at`,
  );
  return {
    load() {
      const row = read.get(sessionKey) as { nextOut: number; nextIn: number } | undefined;
      return row === undefined ? { nextOut: 1, nextIn: 1 } : { nextOut: row.nextOut, nextIn: row.nextIn };
    },
    save(nextOut, nextIn) {
      if (!(Number.isSafeInteger(nextOut) && nextOut >= 1 && Number.isSafeInteger(nextIn) && nextIn >= 1)) {
        throw new Error(`FIX session ${sessionKey}: sequence numbers ${nextOut}/${nextIn} are not positive integers`);
      }
      write.run(sessionKey, nextOut, nextIn, clock.now());
    },
  };
}
