import type { Runner } from '../clock/clock.js';
import { createSimulatedClock, type SimulatedClock } from '../clock/simulated-clock.js';
import { DataError } from '../data/csv-ticks.js';
import type { Tick } from '../model/tick.js';
import { finishNodeRun } from './finish-run.js';
import type { RunSummary } from './summary.js';
import { createTradingNode, type TradingNode, type TradingNodeOptions } from './trading-node.js';

export interface BacktestOptions extends Omit<TradingNodeOptions, 'clock' | 'executionClients'> {
  /** Ticks in time order (tsInit drives the simulated clock). */
  readonly ticks: Iterable<Tick>;
  /** Called every `progressEvery` ticks (a progress bar). */
  readonly onProgress?: (ticks: number) => void;
  readonly progressEvery?: number;
  /** Called with the simulated clock as soon as it exists (the CLI's logger stamps each line with its time). */
  readonly onClock?: (clock: SimulatedClock) => void;
  /** Called with the node before the replay starts (the read-only control plane takes its snapshots from it). */
  readonly onNode?: (node: TradingNode) => void;
}

export interface BacktestResult {
  readonly summary: RunSummary;
  readonly node: TradingNode;
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
  if (next.done) throw new DataError('no ticks to replay: the data is empty (or --from/--to exclude all of it)');
  const from = next.value.tsInit;

  let clock: SimulatedClock | undefined;
  const node = createTradingNode(Object.assign({}, opts, {
    clock: (runner: Runner) => {
      clock = createSimulatedClock({ start: from, runner });
      opts.onClock?.(clock);
      return clock;
    },
  }));
  const sim = clock!;
  opts.onNode?.(node);
  const every = opts.progressEvery ?? 100_000;
  const finish = (status: 'finished' | 'failed'): RunSummary => finishNodeRun(node, { db, config, instruments: opts.instruments, from, status });
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
  return { summary: finish('finished'), node };
}
