/**
 * Fills of the account made outside the engine (by hand, another system), imported into a portfolio so its reports
 * and the dashboard show the whole account: each is keyed by (venue, venue order id, trade id) and applied once — an
 * import run again adds nothing — and the positions of the instruments they touch are rebuilt from the fills table.
 */
import type { Database } from 'better-sqlite3';
import type { InstrumentId, Millis } from '../model/ids.js';
import type { FillReport } from '../model/reports.js';
import { exactText, FILL_INSERT_SQL, POSITION_UPSERT_SQL, positionParams } from './rows.js';
import { rebuildPositions } from './verify-positions.js';
import { createRun, finishRun } from './runs.js';

/** The strategy id imported fills are stored under: they belong to no strategy of the engine. */
export const EXTERNAL_STRATEGY = 'external';

export interface ImportFillsOptions {
  readonly portfolioId: string;
  readonly fills: readonly FillReport[];
  readonly contractSizeOf: (id: InstrumentId) => number;
  /** Engine time of the import (the run row that holds the imported fills). */
  readonly now: Millis;
  /** Stored with the run (already free of secrets): where the fills came from. */
  readonly source: Readonly<Record<string, unknown>>;
}

export interface ImportFillsResult {
  /** Fills stored for the first time. */
  readonly applied: number;
  /** Fills already stored (this import or an earlier one, or the engine's own). */
  readonly alreadyStored: number;
  /** The run holding the applied fills; none when nothing was applied. */
  readonly runId: number | undefined;
}

export function importFills(db: Database, opts: ImportFillsOptions): ImportFillsResult {
  return db.transaction((): ImportFillsResult => {
    const runId = createRun(db, { mode: 'live', portfolioId: opts.portfolioId, startedAt: opts.now, config: { import: opts.source } });
    const insert = db.prepare(FILL_INSERT_SQL);
    let applied = 0;
    const touched = new Set<InstrumentId>();
    for (const f of opts.fills) {
      const info = insert.run(
        runId, opts.portfolioId, f.venue, f.venueOrderId, f.tradeId, f.clientOrderId ?? `${f.venue}:${f.venueOrderId}`, EXTERNAL_STRATEGY,
        f.instrumentId, f.side, exactText(f.lastQty), exactText(f.lastPrice), exactText(f.fee), f.feeCurrency, f.liquidity, f.tsEvent,
      );
      if (info.changes > 0) {
        applied++;
        touched.add(f.instrumentId);
      }
    }
    if (applied === 0) {
      db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      return { applied, alreadyStored: opts.fills.length, runId: undefined };
    }
    const rebuilt = rebuildPositions(db, opts.portfolioId, opts.contractSizeOf).byInstrument;
    const upsert = db.prepare(POSITION_UPSERT_SQL);
    for (const id of touched) upsert.run(...positionParams(opts.portfolioId, rebuilt.get(id)!));
    finishRun(db, runId, { status: 'finished', finishedAt: opts.now, summary: null }); // not a trading run: no summary
    return { applied, alreadyStored: opts.fills.length - applied, runId };
  })();
}
