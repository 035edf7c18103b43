/** One row per engine run: mode, portfolio, status, timestamps from the injected clock, config and summary as JSON. */
import type { Database } from 'better-sqlite3';
import type { Millis } from '../model/ids.js';

export type RunMode = 'backtest' | 'paper' | 'live';
export type RunStatus = 'running' | 'finished' | 'failed' | 'interrupted';

export interface Run {
  readonly id: number;
  readonly mode: RunMode;
  readonly portfolioId: string;
  readonly status: RunStatus;
  readonly startedAt: Millis;
  readonly finishedAt: Millis | undefined;
  readonly config: unknown;
  readonly summary: unknown;
}

export interface NewRun {
  readonly mode: RunMode;
  /** Omitted for a backtest: the run then gets its own portfolio, `run-<id>`. */
  readonly portfolioId?: string;
  readonly startedAt: Millis;
  /** Stored as JSON. The caller passes an already-redacted object: no secrets reach the database. */
  readonly config: unknown;
}

export interface RunOutcome {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly finishedAt: Millis;
  readonly summary: unknown;
}

interface RunRow {
  id: number;
  mode: string;
  portfolio_id: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  config_json: string;
  summary_json: string | null;
}

const toJson = (value: unknown): string => JSON.stringify(value ?? null);

/** Inserts a run; without a portfolioId the run gets a portfolio of its own, `run-<id>` (backtests). */
export function createRun(db: Database, run: NewRun): number {
  return db.transaction(() => {
    const info = db
      .prepare(`INSERT INTO runs (mode, portfolio_id, status, started_at, config_json) VALUES (?, ?, 'running', ?, ?)`)
      .run(run.mode, run.portfolioId ?? '', run.startedAt, toJson(run.config));
    const id = Number(info.lastInsertRowid);
    if (run.portfolioId === undefined) db.prepare(`UPDATE runs SET portfolio_id = ? WHERE id = ?`).run(`run-${id}`, id);
    return id;
  })();
}

/** Marks a run finished or failed. Throws if the run does not exist (a broken invariant: the kernel created it). */
export function finishRun(db: Database, runId: number, outcome: RunOutcome): void {
  const info = db
    .prepare(`UPDATE runs SET status = ?, finished_at = ?, summary_json = ? WHERE id = ?`)
    .run(outcome.status, outcome.finishedAt, toJson(outcome.summary), runId);
  if (info.changes !== 1) throw new Error(`cannot finish run ${runId}: no such run in the database`);
}

export function getRun(db: Database, id: number): Run | undefined {
  const row = db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    mode: row.mode as RunMode,
    portfolioId: row.portfolio_id,
    status: row.status as RunStatus,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    config: JSON.parse(row.config_json) as unknown,
    summary: row.summary_json === null ? undefined : (JSON.parse(row.summary_json) as unknown),
  };
}

/** The id of the most recently created run, or undefined in an empty database. */
export function latestRunId(db: Database): number | undefined {
  const row = db.prepare(`SELECT MAX(id) AS id FROM runs`).get() as { id: number | null };
  return row.id ?? undefined;
}
