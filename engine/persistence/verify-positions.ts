/**
 * Checks the stored positions against a rebuild from the fills table (run on reopen): every stored field must equal
 * the rebuild exactly. Mismatches are reported in words, one line each; nothing is repaired here.
 */
import type { Database } from 'better-sqlite3';
import { D, Decimal } from '../model/decimal.js';
import type { InstrumentId } from '../model/ids.js';
import type { Position } from '../model/position.js';
import { err, ok, type Result } from '../model/result.js';
import type { OrderSide } from '../model/order.js';
import { applyFill, emptyPosition, exactFill, serializePosition } from '../portfolio/position.js';
import { POSITION_UPSERT_SQL, positionFromRow, positionParams, type PositionRow } from './rows.js';

type SerializedPosition = ReturnType<typeof serializePosition>;
const FIELDS = ['quantity', 'costBasis', 'realizedPnl', 'fees', 'fillCount', 'tsLast'] as const;
const FIELD_WORDS: Record<(typeof FIELDS)[number], string> = {
  quantity: 'quantity',
  costBasis: 'cost basis',
  realizedPnl: 'realized PnL',
  fees: 'fees',
  fillCount: 'fill count',
  tsLast: 'last fill time',
};

export function verifyPositions(
  db: Database,
  portfolioId: string,
  contractSizeOf: (id: InstrumentId) => number = () => 1,
  /** The rebuild when the caller has it already (rebuildPositions). */
  rebuiltPositions?: ReadonlyMap<InstrumentId, Position>,
): Result<void, string[]> {
  const rebuilt = rebuiltPositions ?? rebuildPositions(db, portfolioId, contractSizeOf).byInstrument;
  const problems: string[] = [];

  const stored = new Map<InstrumentId, Position>();
  const rows = db.prepare(`SELECT * FROM positions WHERE portfolio_id = ? ORDER BY instrument_id`).all(portfolioId) as PositionRow[];
  for (const r of rows) {
    try {
      stored.set(r.instrument_id, positionFromRow(r));
    } catch (e) {
      problems.push(`${portfolioId} ${r.instrument_id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  for (const [id, expected] of rebuilt) {
    const actual = stored.get(id);
    if (actual === undefined) {
      if (!rows.some((r) => r.instrument_id === id)) {
        problems.push(`${portfolioId} ${id}: no stored position, but ${expected.fillCount} fill(s) in the fills table`);
      }
      continue;
    }
    problems.push(...compare(portfolioId, serializePosition(actual), serializePosition(expected)));
  }
  for (const [id, actual] of stored) {
    if (!rebuilt.has(id)) {
      problems.push(`${portfolioId} ${id}: stored position (quantity ${actual.quantity.toString()}) has no fills in the fills table`);
    }
  }
  return problems.length === 0 ? ok(undefined) : err(problems);
}

/** Positions rebuilt from a portfolio's stored fills: the account's per instrument, and each strategy's own. */
export interface RebuiltPositions {
  readonly byInstrument: Map<InstrumentId, Position>;
  readonly byStrategy: Array<{ strategyId: string; position: Position }>;
}

/**
 * Both rebuilds in one read of the fills, in applied order (raw rows: this runs over every fill at the end of a
 * backtest). Every fill carries the strategy whose order it filled: paper and live take each strategy's position back
 * from it on start, and the end of a run checks the engine's against it.
 */
export function rebuildPositions(db: Database, portfolioId: string, contractSizeOf: (id: InstrumentId) => number = () => 1): RebuiltPositions {
  // streamed: a run of millions of fills is never held in memory at once
  const rows = db
    .prepare(`SELECT strategy_id, instrument_id, side, qty, price, fee, ts_event FROM fills WHERE portfolio_id = ? ORDER BY id`)
    .raw()
    .iterate(portfolioId) as IterableIterator<[string, string, OrderSide, string, string, string, number]>;
  const byInstrument = new Map<InstrumentId, Position>();
  const strategies = new Map<string, Map<InstrumentId, Position>>();
  for (const [strategyId, instrumentId, side, lastQty, lastPrice, fee, tsEvent] of rows) {
    const fill = exactFill({ side, lastQty, lastPrice, fee, tsEvent }); // read once for the two positions it moves
    const size = contractSizeOf(instrumentId);
    byInstrument.set(instrumentId, applyFill(byInstrument.get(instrumentId) ?? emptyPosition(instrumentId), fill, size));
    let m = strategies.get(strategyId);
    if (m === undefined) strategies.set(strategyId, (m = new Map()));
    m.set(instrumentId, applyFill(m.get(instrumentId) ?? emptyPosition(instrumentId), fill, size));
  }
  const byStrategy: Array<{ strategyId: string; position: Position }> = [];
  for (const [strategyId, m] of strategies) for (const position of m.values()) byStrategy.push({ strategyId, position });
  return { byInstrument, byStrategy };
}

function compare(portfolioId: string, actual: SerializedPosition, expected: SerializedPosition): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    if (actual[f] !== expected[f]) {
      out.push(
        `${portfolioId} ${actual.instrumentId}: ${FIELD_WORDS[f]} is ${actual[f]} in the positions table ` +
          `but ${expected[f]} rebuilt from ${expected.fillCount} fill(s)${residueNote(actual[f], expected[f])}`,
      );
    }
  }
  return out;
}

/**
 * Positions used to be summed at 34 significant digits, which left residue such as 1e-34 (a break-even round trip
 * that was not exactly 0); they are exact now. A stored value that differs from the exact rebuild only that far down
 * is most likely such residue, and the message says so (it is still a mismatch: nothing is repaired here).
 */
function isResidue(actual: string | number, expected: string | number): boolean {
  if (typeof actual !== 'string' || typeof expected !== 'string') return false;
  try {
    const a = D(actual), e = D(expected);
    const scale = Decimal.max(1, a.abs(), e.abs());
    return !a.minus(e).abs().gt(scale.times('1e-28'));
  } catch {
    return false;
  }
}

function residueNote(actual: string | number, expected: string | number): string {
  if (!isResidue(actual, expected)) return '';
  return ' (a difference past the 28th significant digit: rounding residue left by an engine version that summed positions ' +
    'to 34 digits; rebuild the positions table from the fills)';
}

/**
 * An upgrade step for paper and live: stored positions that differ from the exact rebuild only by the residue an older
 * engine left (past the 28th significant digit, same fills) are rewritten from the fills, the source of truth. Any
 * other difference is left alone for verifyPositions to report. Returns the instruments rewritten.
 */
export function rewriteResiduePositions(db: Database, portfolioId: string, contractSizeOf: (id: InstrumentId) => number = () => 1): InstrumentId[] {
  const rebuilt = rebuildPositions(db, portfolioId, contractSizeOf).byInstrument;
  const rows = db.prepare(`SELECT * FROM positions WHERE portfolio_id = ?`).all(portfolioId) as PositionRow[];
  const rewrite: Position[] = [];
  for (const r of rows) {
    const expected = rebuilt.get(r.instrument_id);
    if (expected === undefined) continue;
    let actual: SerializedPosition;
    try {
      actual = serializePosition(positionFromRow(r));
    } catch {
      continue;
    }
    const want = serializePosition(expected);
    const differing = FIELDS.filter((f) => actual[f] !== want[f]);
    if (differing.length > 0 && differing.every((f) => isResidue(actual[f], want[f]))) rewrite.push(expected);
  }
  if (rewrite.length > 0) {
    const upsert = db.prepare(POSITION_UPSERT_SQL);
    db.transaction(() => {
      for (const p of rewrite) upsert.run(positionParams(portfolioId, p));
    })();
  }
  return rewrite.map((p) => p.instrumentId);
}
