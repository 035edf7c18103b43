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
import { positionsFromFills, serializePosition, type FillLike } from '../portfolio/position.js';
import { positionFromRow, type PositionRow } from './rows.js';

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
): Result<void, string[]> {
  const rebuilt = positionsFromFills(positionFills(db, portfolioId), contractSizeOf);
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

/** The fields of a portfolio's fills that positions need, in applied order (raw rows: this runs over every fill at the end of a backtest). */
function positionFills(db: Database, portfolioId: string): Array<FillLike & { readonly instrumentId: InstrumentId }> {
  const rows = db
    .prepare(`SELECT instrument_id, side, qty, price, fee, ts_event FROM fills WHERE portfolio_id = ? ORDER BY id`)
    .raw()
    .all(portfolioId) as [string, OrderSide, string, string, string, number][];
  return rows.map(([instrumentId, side, lastQty, lastPrice, fee, tsEvent]) => ({ instrumentId, side, lastQty, lastPrice, fee, tsEvent }));
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
function residueNote(actual: string | number, expected: string | number): string {
  if (typeof actual !== 'string' || typeof expected !== 'string') return '';
  try {
    const a = D(actual), e = D(expected);
    const scale = Decimal.max(1, a.abs(), e.abs());
    if (a.minus(e).abs().gt(scale.times('1e-28'))) return '';
  } catch {
    return '';
  }
  return ' (a difference past the 28th significant digit: rounding residue left by an engine version that summed positions ' +
    'to 34 digits; rebuild the positions table from the fills)';
}
