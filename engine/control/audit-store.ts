/**
 * The audit log of control actions in SQLite (table control_audit, migration 5): who did what, when, with which result.
 * Each entry is one direct prepared INSERT: control actions are rare, and the row is on disk when the action's answer
 * goes out (the group-committing event writer is for the engine's own event stream).
 */
import type { Database } from 'better-sqlite3';
import type { AuditEntry } from './source.js';

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
  readonly runId: number | null;
}

export interface AuditStore {
  append(entry: AuditEntry): void;
}

interface AuditRow {
  id: number;
  run_id: number | null;
  ts: number;
  actor: string;
  action: string;
  params_json: string;
  ok: number;
  message: string;
}

/** Appends the entries of one run (`runId`). */
export function createAuditStore(db: Database, runId: number): AuditStore {
  const insert = db.prepare(
    `INSERT INTO control_audit (run_id, ts, actor, action, params_json, ok, message) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    append(entry) {
      insert.run(runId, entry.ts, entry.actor, entry.action, JSON.stringify(entry.params), entry.ok ? 1 : 0, entry.message);
    },
  };
}

/** The audit entries in the order they were written: of one run, or of every run when `runId` is omitted. */
export function loadAudit(db: Database, runId?: number): StoredAuditEntry[] {
  const rows = (
    runId === undefined
      ? db.prepare(`SELECT * FROM control_audit ORDER BY id`).all()
      : db.prepare(`SELECT * FROM control_audit WHERE run_id = ? ORDER BY id`).all(runId)
  ) as AuditRow[];
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    ts: r.ts,
    actor: r.actor,
    action: r.action,
    params: JSON.parse(r.params_json) as Record<string, unknown>,
    ok: r.ok === 1,
    message: r.message,
  }));
}
