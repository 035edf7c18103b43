/** The event writer's buffered items (slots reused from batch to batch) and how its failures are classified. */
import type { OrderEvent } from '../model/events.js';
import type { Position } from '../model/position.js';
import { newOrderParams, type OrderParams } from './rows.js';

export const EVENT = 0;
export const STATE = 1;
export const EQUITY = 2;
export const FILL_MARK = 3;

/** One buffered item; slots are reused from batch to batch, so a warm append allocates nothing of its own. */
export interface Slot {
  type: typeof EVENT | typeof STATE | typeof EQUITY | typeof FILL_MARK;
  /** Engine time of the item; for a fill mark, the time until which fills are complete. */
  ts: number;
  /** A fill mark: when it was set. */
  at: number;
  event: OrderEvent | undefined;
  position: Position | undefined;
  order: OrderParams;
  /** `order` holds the order's row to write (always, but for items handed over by the writer thread's sender). */
  hasOrder: boolean;
  scope: string;
  strategyId: string;
  key: string;
  valueJson: string | undefined;
}

export const newSlot = (): Slot => ({
  type: EVENT, ts: 0, at: 0, event: undefined, position: undefined, order: newOrderParams(), hasOrder: false, scope: '', strategyId: '', key: '', valueJson: undefined,
});

export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * A failure that retrying the same item can never fix: a value the schema refuses (NULL, wrong type, too big) or one
 * that cannot be serialised or bound. Not: a full disk, a busy or closed database, a missing run (foreign key) —
 * those keep the items for the next attempt.
 */
const DATA_CODES = new Set([
  'SQLITE_CONSTRAINT_NOTNULL', 'SQLITE_CONSTRAINT_CHECK', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_MISMATCH', 'SQLITE_TOOBIG',
]);
export const isDataError = (e: Error): boolean => {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return DATA_CODES.has(code);
  return (e instanceof TypeError || e instanceof RangeError) && !/not open|closed/i.test(e.message);
};
