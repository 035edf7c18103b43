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
 * A backtest replayed in steps, so that its caller can look at something between steps (the CLI: Ctrl-C). Stepping
 * changes nothing in the run: the same ticks pass through the same node in the same order whatever the step sizes.
 */
export interface BacktestReplay {
  readonly node: TradingNode;
  /** Replays up to `maxTicks` more ticks; true while ticks are left. A throw marks the run failed and is passed on. */
  step(maxTicks: number): boolean;
  /**
   * Ends the run where the replay is, as at the end of the data: strategies stopped (their open orders canceled), the
   * venue given its latency to answer, the event log flushed, positions verified, the run stored. With `interrupted`
   * (why the replay stopped before the end of its data) the run is stored as interrupted.
   */
  finish(interrupted?: string): BacktestResult;
}

/**
 * Replays ticks through the engine on a simulated clock. At the end, strategies are stopped (their open orders
 * canceled), the venue is given its latency to answer, the event log is flushed and positions are verified against
 * the stored fills. Deterministic: the same config and ticks give byte-identical events and fills.
 */
export function runBacktest(opts: BacktestOptions): BacktestResult {
  const replay = startBacktest(opts);
  replay.step(Infinity);
  return replay.finish();
}

/** Creates the run and starts its strategies; the ticks are replayed by `step`. */
export function startBacktest(opts: BacktestOptions): BacktestReplay {
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
  const onProgress = opts.onProgress;
  let replayed = 0;
  let finished = false;
  const finish = (status: 'finished' | 'failed' | 'interrupted', interrupted?: string): RunSummary => {
    finished = true;
    // the ticks not replayed are let go (a recording's file closed, its decoding thread stopped)
    if (!next.done) it.return?.();
    return finishNodeRun(node, { db, config, instruments: opts.instruments, from, status, interrupted });
  };
  const fail = (error: unknown): never => {
    if (!finished) finish('failed');
    throw error;
  };
  try {
    node.start();
  } catch (error) {
    fail(error);
  }
  return {
    node,
    step(maxTicks) {
      // locals in the loop (not the closure's variables): the replay's speed is the engine's
      let tick = next;
      let n = replayed;
      const stop = n + maxTicks;
      try {
        while (!tick.done && n < stop) {
          sim.advanceTo(tick.value.tsInit);
          node.onTick(tick.value);
          if (++n % every === 0 && onProgress) onProgress(n);
          tick = it.next();
        }
      } catch (error) {
        fail(error);
      } finally {
        next = tick;
        replayed = n;
      }
      return !tick.done;
    },
    finish(interrupted) {
      if (finished) throw new Error('this backtest is finished already');
      try {
        const end = sim.now();
        node.stopStrategies(interrupted === undefined ? 'end of data' : `interrupted: ${interrupted}`);
        // let the simulated venue answer the cancels (its latency), but do not run timers beyond that
        const latency = config.sim.latencyMs;
        const maxLatency = typeof latency === 'number' ? latency : Math.max(latency.submit ?? 0, latency.cancel ?? 0, latency.modify ?? 0);
        sim.advanceTo(end + maxLatency);
      } catch (error) {
        fail(error);
      }
      return { summary: interrupted === undefined ? finish('finished') : finish('interrupted', interrupted), node };
    },
  };
}
