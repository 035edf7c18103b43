/** A real backtest run to report on: flip-flop on an hour of recorded EUR/USD quotes. */
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { runBacktest } from '../../engine/kernel/backtest.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import type { RunSummary } from '../../engine/kernel/summary.js';
import { silentLogger } from '../../engine/log/logger.js';
import { openDatabase, type Database } from '../../engine/persistence/index.js';

export const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
export const FROM = Date.UTC(2014, 4, 5, 8);
export const TO = Date.UTC(2014, 4, 5, 9);

/** Runs flip-flop over [from, to) into `db` (default: a new in-memory database) and returns its summary. */
export async function flipFlopRun(
  db: Database = openDatabase(':memory:'),
  opts: { from?: number; to?: number; capital?: number } = {},
): Promise<{ db: Database; summary: RunSummary }> {
  const config = resolveConfig({
    instruments: 'data/instruments.json', strategies: [{ use: 'flip-flop' }], sim: { latencyMs: 2 },
    ...(opts.capital === undefined ? {} : { backtest: { capital: opts.capital } }),
  });
  const definitions = await loadStrategies(['flip-flop']);
  const ticks = between(readCsvTicks(DATA, 'EURUSD.FXCM'), opts.from ?? FROM, opts.to ?? TO);
  const { summary } = runBacktest({ config, definitions, instruments: loadInstruments(config), db, log: silentLogger(), ticks });
  return { db, summary };
}
