import type { EngineConfig } from '../config/config.js';
import type { Instrument } from '../model/instrument.js';
import { finishRun, loadEquity, loadPositions, rebuildPositions, verifyPositions, type Database } from '../persistence/index.js';
import { serializePosition } from '../portfolio/position.js';
import { summarize, type RunSummary } from './summary.js';
import type { TradingNode } from './trading-node.js';
import type { VenueSyncStatus } from './venue-sync.js';

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
  const fromFills = rebuildPositions(db, node.portfolioId, contractSizeOf);
  const verified = verifyPositions(db, node.portfolioId, contractSizeOf, fromFills.byInstrument);
  if (!verified.ok) problems.push(...verified.error);
  const stored = loadPositions(db, node.portfolioId);
  for (const p of node.portfolio.all()) {
    const [mine, theirs] = [serializePosition(p), stored.get(p.instrumentId)];
    const same = theirs !== undefined && JSON.stringify(mine) === JSON.stringify(serializePosition(theirs));
    if (!same) problems.push(`${p.instrumentId}: the engine's position ${JSON.stringify(mine)} differs from the stored one ${theirs ? JSON.stringify(serializePosition(theirs)) : '(none)'}`);
  }
  // each strategy's own positions (what ctx.position gave it) must equal its stored fills too
  const rebuilt = new Map(fromFills.byStrategy.map((s) => [`${s.strategyId} ${s.position.instrumentId}`, s.position]));
  const mine = node.portfolio.strategyPositions();
  for (const { strategyId, position } of mine) {
    const key = `${strategyId} ${position.instrumentId}`;
    const want = rebuilt.get(key);
    const [a, b] = [JSON.stringify(serializePosition(position)), want ? JSON.stringify(serializePosition(want)) : '(no stored fills)'];
    if (a !== b) problems.push(`strategy ${strategyId}, ${position.instrumentId}: the engine's position ${a} differs from its stored fills ${b}`);
    rebuilt.delete(key);
  }
  for (const [key, p] of rebuilt) problems.push(`strategy ${key}: ${p.fillCount} stored fill(s) the engine did not apply to the strategy's position`);
  return problems;
}

/**
 * Ends a run: a last equity sample, the event log flushed and closed, the stored run checked (storageProblems), the
 * summary stored with the run. A strategy failure marks the run failed. An interrupted run (Ctrl-C) is stored with
 * what it had done, status `interrupted` and why in its summary (`interrupted`).
 */
export function finishNodeRun(
  node: TradingNode,
  opts: {
    db: Database; config: EngineConfig; instruments: readonly Instrument[]; from: number; status: 'finished' | 'failed' | 'interrupted';
    /** Why the run was interrupted (status interrupted), e.g. "SIGINT". */
    interrupted?: string;
    venues?: readonly VenueSyncStatus[];
    /** Paper/live: open orders the stop canceled. */
    canceledAtStop?: number;
  },
): RunSummary {
  const { db, config } = opts;
  node.sampleEquity();
  node.close();
  const problems = storageProblems(node, db, (id) => opts.instruments.find((i) => i.id === id)?.contractSize ?? 1);
  const summary = summarize(node, opts.from, problems.length === 0 ? true : problems, {
    samples: loadEquity(db, node.runId),
    intervalMs: config.report.equityIntervalMs,
    returnsPeriod: config.report.returnsPeriod,
    capital: config.mode === 'backtest' ? config.backtest.capital : undefined,
  }, opts.venues, opts.canceledAtStop);
  if (opts.status === 'interrupted') Object.assign(summary, { interrupted: opts.interrupted ?? 'interrupted' });
  const status = node.host.failures.length > 0 ? 'failed' : opts.status;
  finishRun(db, node.runId, { status, finishedAt: node.clock.now(), summary });
  return summary;
}
