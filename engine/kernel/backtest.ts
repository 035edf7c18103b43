import { createSimulatedClock, type SimulatedClock } from '../clock/simulated-clock.js';
import type { Tick } from '../model/tick.js';
import { finishRun, loadEquity, loadPositions, verifyPositions, type Database } from '../persistence/index.js';
import { serializePosition } from '../portfolio/position.js';
import { summarize, type RunSummary } from './summary.js';
import { createTradingNode, type TradingNode, type TradingNodeOptions } from './trading-node.js';

export interface BacktestOptions extends Omit<TradingNodeOptions, 'clock' | 'executionClients'> {
  /** Ticks in time order (tsInit drives the simulated clock). */
  readonly ticks: Iterable<Tick>;
  /** Called every `progressEvery` ticks (a progress bar). */
  readonly onProgress?: (ticks: number) => void;
  readonly progressEvery?: number;
}

export interface BacktestResult {
  readonly summary: RunSummary;
  readonly node: TradingNode;
}

/**
 * What the database must say after a run: everything was written, positions equal the stored fills, and the stored
 * positions equal the engine's own. Each problem in words; none means the run is stored whole.
 */
function storageProblems(node: TradingNode, db: Database, contractSizeOf: (id: string) => number): string[] {
  const problems: string[] = [];
  const w = node.writer.stats();
  if (w.pending > 0) problems.push(`${w.pending} events could not be written to the database (see the errors logged)`);
  if (w.deadLetters > 0) problems.push(`${w.deadLetters} items could not be stored and are in the dead_letters table`);
  if (w.duplicateFills > 0) {
    problems.push(`${w.duplicateFills} fills applied by the engine were not stored: the database already had their (venue, venue order id, trade id)`);
  }
  const verified = verifyPositions(db, node.portfolioId, contractSizeOf);
  if (!verified.ok) problems.push(...verified.error);
  const stored = loadPositions(db, node.portfolioId);
  for (const p of node.portfolio.all()) {
    const [mine, theirs] = [serializePosition(p), stored.get(p.instrumentId)];
    const same = theirs !== undefined && JSON.stringify(mine) === JSON.stringify(serializePosition(theirs));
    if (!same) problems.push(`${p.instrumentId}: the engine's position ${JSON.stringify(mine)} differs from the stored one ${theirs ? JSON.stringify(serializePosition(theirs)) : '(none)'}`);
  }
  return problems;
}

/**
 * Replays ticks through the engine on a simulated clock. At the end, strategies are stopped (their open orders
 * canceled), the venue is given its latency to answer, the event log is flushed and positions are verified against
 * the stored fills. Deterministic: the same config and ticks give byte-identical events and fills.
 */
export function runBacktest(opts: BacktestOptions): BacktestResult {
  const { config, db } = opts;
  if (config.mode !== 'backtest') throw new Error(`runBacktest needs mode "backtest", config says "${config.mode}"`);
  const it = opts.ticks[Symbol.iterator]();
  let next = it.next();
  if (next.done) throw new Error('no ticks to replay: the data is empty (or --from/--to exclude all of it)');
  const from = next.value.tsInit;

  let clock: SimulatedClock | undefined;
  const node = createTradingNode({
    ...opts,
    clock: (runner) => (clock = createSimulatedClock({ start: from, runner })),
  });
  const sim = clock!;
  const every = opts.progressEvery ?? 100_000;
  const finish = (status: 'finished' | 'failed'): RunSummary => {
    node.sampleEquity();
    node.close();
    const problems = storageProblems(node, db, (id) => opts.instruments.find((i) => i.id === id)?.contractSize ?? 1);
    const summary = summarize(node, from, problems.length === 0 ? true : problems, {
      samples: loadEquity(db, node.runId), intervalMs: config.report.equityIntervalMs, capital: config.backtest.capital,
    });
    finishRun(db, node.runId, { status, finishedAt: sim.now(), summary });
    return summary;
  };
  try {
    node.start();
    let n = 0;
    while (!next.done) {
      const tick = next.value;
      sim.advanceTo(tick.tsInit);
      node.onTick(tick);
      if (opts.onProgress && ++n % every === 0) opts.onProgress(n);
      next = it.next();
    }
    const end = sim.now();
    node.stopStrategies('end of data');
    // let the simulated venue answer the cancels (its latency), but do not run timers beyond that
    const latency = config.sim.latencyMs;
    const maxLatency = typeof latency === 'number' ? latency : Math.max(latency.submit ?? 0, latency.cancel ?? 0, latency.modify ?? 0);
    sim.advanceTo(end + maxLatency);
  } catch (error) {
    finish('failed');
    throw error;
  }
  return { summary: finish(node.host.failures.length > 0 ? 'failed' : 'finished'), node };
}
