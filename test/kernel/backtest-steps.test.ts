/**
 * A backtest replayed in steps (the CLI looks for Ctrl-C between them) is the same backtest: whatever the step sizes,
 * the same events, fills and summary. Finished early with a reason, it is stored with what it had done, marked
 * interrupted, not left running.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config/config.js';
import { loadInstruments } from '../../engine/config/load.js';
import { readCsvTicks } from '../../engine/data/csv-ticks.js';
import { between } from '../../engine/data/merge.js';
import { runBacktest, startBacktest, type BacktestOptions } from '../../engine/kernel/backtest.js';
import { loadStrategies } from '../../engine/kernel/strategy-loader.js';
import { silentLogger } from '../../engine/log/logger.js';
import { getRun, loadEvents, loadFills, openDatabase, verifyPositions } from '../../engine/persistence/index.js';

const DATA = 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz';
const FROM = Date.UTC(2014, 4, 5, 8);
const TO = Date.UTC(2014, 4, 5, 9);

async function options(): Promise<BacktestOptions> {
  const config = resolveConfig({ instruments: 'data/instruments.json', strategies: [{ use: 'flip-flop' }, { use: 'quoter' }], sim: { latencyMs: 2 } });
  const definitions = await loadStrategies(config.strategies.map((s) => s.use));
  return { config, definitions, instruments: loadInstruments(config), db: openDatabase(':memory:'), log: silentLogger(), ticks: between(readCsvTicks(DATA, 'EURUSD.FXCM'), FROM, TO) };
}

/** What a run stored, without what differs by construction (nothing should). */
function stored(o: BacktestOptions, runId: number, portfolioId: string): string {
  return JSON.stringify({ events: loadEvents(o.db, runId).map((e) => e.event), fills: loadFills(o.db, portfolioId) });
}

describe('a backtest replayed in steps', () => {
  it('stores the same events and fills, and sums up the same, as one uninterrupted replay', async () => {
    const whole = await options();
    const once = runBacktest(whole);
    expect(once.summary.fills).toBeGreaterThan(10);
    for (const size of [1, 7, 4_096]) {
      const o = await options();
      const replay = startBacktest(o);
      let steps = 0;
      while (replay.step(size)) steps++;
      const { summary } = replay.finish();
      expect(steps).toBe(Math.ceil(once.summary.ticks / size) - 1);
      expect(summary).toEqual(once.summary);
      expect(stored(o, summary.runId, summary.portfolioId)).toBe(stored(whole, once.summary.runId, once.summary.portfolioId));
    }
  });

  it('finished early with a reason, stores what it did as an interrupted run whose positions verify', async () => {
    const o = await options();
    const replay = startBacktest(o);
    replay.step(2_000);
    const { summary } = replay.finish('SIGINT');
    expect(summary.ticks).toBe(2_000);
    expect(summary.interrupted).toBe('SIGINT');
    expect(summary.positionsVerified).toBe(true);
    expect(verifyPositions(o.db, summary.portfolioId).ok).toBe(true);
    const run = getRun(o.db, summary.runId)!;
    expect(run.status).toBe('interrupted');
    expect(run.summary).toMatchObject({ interrupted: 'SIGINT', ticks: 2_000, fills: summary.fills });
    expect(loadFills(o.db, summary.portfolioId)).toHaveLength(summary.fills);
    expect(() => replay.finish()).toThrow(/finished already/);
  });
});
