/**
 * The group-committing writer (DESIGN.md "Reliability rules"): order events and strategy state are buffered in memory
 * and written in one transaction per batch — the event log, the order row, the fill (keyed by venue, venue order id,
 * trade id; INSERT OR IGNORE) and the position it moves. `append` only copies into a reused slot: nothing on the
 * tick → wire path waits for the disk.
 *
 * A batch commits when it reaches `maxBatch` items (inside the append that fills it: the group commit), when
 * `flushIntervalMs` has passed since its first item, or on `flush()` / `close()`. A failed commit keeps every item for
 * the next attempt (after another `maxBatch` items, the interval, or an explicit flush) and reports through `onError`;
 * it never throws into `append`.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { OrderEvent, OrderFilled } from '../model/events.js';
import type { InstrumentId, StrategyId } from '../model/ids.js';
import type { OrderView } from '../model/order.js';
import type { Position } from '../model/position.js';
import { applyFill, emptyPosition } from '../portfolio/position.js';
import { createEventInserter, type EventInserter } from './event-inserter.js';
import { createJournalInserter } from './journal-inserter.js';
import { loadPositions } from './repositories.js';
import { FILL_MARK_UPSERT_SQL } from './fill-marks.js';
import { asError, EQUITY, EVENT, FILL_MARK, isDataError, newSlot, STATE, type Slot } from './writer-items.js';
import {
  FILL_INSERT_SQL, ORDER_UPSERT_SQL, POSITION_UPSERT_SQL, fillConflicts, fillParams, positionParams, writeOrderParams,
  type FillRow, type OrderParams,
} from './rows.js';

export interface EventWriterOptions {
  readonly runId: number;
  readonly portfolioId: string;
  /** Items per transaction; reaching it commits at once (default 100). */
  readonly maxBatch?: number;
  /**
   * Commit inside the append that fills a batch (default true). The kernel sets false and calls flushIfDue() once the
   * work of a tick is done, so no order waits for the disk before it is handed to the venue.
   */
  readonly flushOnAppend?: boolean;
  /** Commit this long after the first buffered item (real time, unref'd timer); 0 disables (default 5 ms). */
  readonly flushIntervalMs?: number;
  readonly contractSizeOf?: (id: InstrumentId) => number;
  /**
   * Events as journal chunks (event_journal, journal-codec.ts) instead of one events row each: backtests, which are
   * reproducible from their inputs. Each commit writes one chunk. Default false.
   */
  readonly journal?: boolean;
  /** Where events go instead (the writer thread's pre-encoded journal); overrides `journal`. */
  readonly events?: EventInserter;
  /** A commit failed; its items are kept and retried. Called outside the transaction; must not throw. */
  readonly onError: (err: Error) => void;
  /**
   * A fill with a known key but different contents was ignored (it did not move the position). Defaults to reporting
   * it through `onError`.
   */
  readonly onConflictingFill?: (message: string) => void;
}

export interface EventWriterStats {
  /** Items (events and state saves) handed to the writer. */
  readonly appended: number;
  /** Items committed to the database. */
  readonly committed: number;
  /** Transactions committed. */
  readonly batches: number;
  /** Items buffered, not yet committed. */
  readonly pending: number;
  /** Fills ignored because their (venue, venue order id, trade id) was already stored. */
  readonly duplicateFills: number;
  /** Items that could never be written, kept in the dead_letters table instead. */
  readonly deadLetters: number;
}

export interface EventWriter {
  /** Buffers an event with the order's state after it (copied now: the caller keeps mutating the order). */
  /**
   * For a fill, `position` may give the position after it as the engine computed it (positions are immutable): the
   * writer stores it instead of computing it again. Without it the writer applies the fill itself.
   */
  append(event: OrderEvent, order: OrderView, position?: Position): void;
  /**
   * The writer thread's form of append (thread-writer.ts): the order's row comes as its column values, and only with
   * the order's last event of a batch (`undefined` with the others); the position is computed here.
   */
  appendRow(event: OrderEvent, orderRow: OrderParams | undefined): void;
  /** Buffers an equity sample (exact decimal text) of this run at engine time `ts`; a later sample at the same ts wins. */
  appendEquity(ts: number, equity: string): void;
  /**
   * Buffers the fill high-water mark of `venue` (fill-marks.ts): every fill there before `until` is applied. It commits
   * with or after every event appended before it; a stored mark never goes back.
   */
  saveFillMark(venue: string, until: number, at: number): void;
  /** Buffers a strategy state value (JSON-serialised now); `undefined` deletes the key. Kept in order with events. */
  saveState(scope: string, strategyId: StrategyId, key: string, value: unknown): void;
  /** Commits everything buffered now. True when nothing is left pending; a failure goes to onError. */
  flush(): boolean;
  /** Commits when a full batch is waiting (with flushOnAppend: false). */
  flushIfDue(): void;
  /** Flush and stop the timer. True when everything is committed; otherwise the writer stays open to retry. */
  close(): boolean;
  stats(): EventWriterStats;
}

const MAX_RETRY_DELAY_MS = 1000;

export function createEventWriter(db: Database, options: EventWriterOptions): EventWriter {
  const { runId, portfolioId, onError } = options;
  const maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 100));
  const flushIntervalMs = options.flushIntervalMs ?? 5;
  const contractSizeOf = options.contractSizeOf ?? ((): number => 1);
  const onConflictingFill = options.onConflictingFill ?? ((message: string): void => onError(new Error(message)));

  const events = options.events ?? (options.journal ? createJournalInserter(db, runId) : createEventInserter(db, runId));
  const upsertOrder: Statement = db.prepare(ORDER_UPSERT_SQL);
  const insertFill: Statement = db.prepare(FILL_INSERT_SQL);
  const selectFill: Statement = db.prepare(`SELECT * FROM fills WHERE venue = ? AND venue_order_id = ? AND trade_id = ?`);
  const upsertPosition: Statement = db.prepare(POSITION_UPSERT_SQL);
  const upsertState: Statement = db.prepare(
    `INSERT INTO strategy_state (scope, strategy_id, key, value_json) VALUES (?, ?, ?, ?) ` +
      `ON CONFLICT (scope, strategy_id, key) DO UPDATE SET value_json = excluded.value_json`,
  );
  const deleteState: Statement = db.prepare(`DELETE FROM strategy_state WHERE scope = ? AND strategy_id = ? AND key = ?`);
  const insertDeadLetter: Statement = db.prepare(
    `INSERT INTO dead_letters (run_id, kind, client_order_id, payload, error) VALUES (?, ?, ?, ?, ?)`,
  );
  const upsertFillMark: Statement = db.prepare(FILL_MARK_UPSERT_SQL);
  const upsertEquity: Statement = db.prepare(
    `INSERT INTO equity (run_id, ts, equity) VALUES (?, ?, ?) ON CONFLICT (run_id, ts) DO UPDATE SET equity = excluded.equity`,
  );

  /** Committed positions; a batch works on `pendingPositions` and they are merged only once it has committed. */
  const positions = loadPositions(db, portfolioId);
  const pendingPositions = new Map<InstrumentId, Position>();
  const conflicts: string[] = [];
  let batchDuplicates = 0;

  const slots: Slot[] = [];
  let count = 0;
  /** Buffer size that triggers a commit: maxBatch, pushed further out after a failure so appends don't retry each time. */
  let flushAt = maxBatch;
  let timer: NodeJS.Timeout | undefined;
  let flushing = false;
  let closed = false;
  let appended = 0;
  let committed = 0;
  let batches = 0;
  let duplicateFills = 0;
  let deadLetters = 0;
  let failures = 0;

  const writeFill = (e: OrderFilled, after: Position | undefined): void => {
    if (insertFill.run(fillParams(runId, portfolioId, e)).changes === 0) {
      batchDuplicates++;
      const stored = selectFill.get(e.venue, e.venueOrderId, e.tradeId) as FillRow | undefined;
      const diffs = stored ? fillConflicts(stored, e) : [];
      if (diffs.length > 0) {
        conflicts.push(
          `conflicting duplicate fill ${e.venue}/${e.venueOrderId}/${e.tradeId} ignored (position not moved): ${diffs.join(', ')}`,
        );
      }
      return;
    }
    const id = e.instrumentId;
    if (after !== undefined) {
      pendingPositions.set(id, after);
      return;
    }
    const prev = pendingPositions.get(id) ?? positions.get(id) ?? emptyPosition(id);
    pendingPositions.set(id, applyFill(prev, e, contractSizeOf(id)));
  };

  /** Per batch: the last slot of each order, so an order's row is written once per batch with its latest state. */
  const lastSlotOf = new Map<string, number>();
  const writeRange = db.transaction((from: number, to: number): void => {
    events.reset(); // rows left by a transaction that failed half way were rolled back with it
    lastSlotOf.clear();
    for (let i = from; i < to; i++) {
      const s = slots[i]!;
      if (s.type === EVENT && s.hasOrder) lastSlotOf.set(s.event!.clientOrderId, i);
    }
    for (let i = from; i < to; i++) {
      const s = slots[i]!;
      if (s.type === STATE) {
        if (s.valueJson === undefined) deleteState.run(s.scope, s.strategyId, s.key);
        else upsertState.run(s.scope, s.strategyId, s.key, s.valueJson);
        continue;
      }
      if (s.type === EQUITY) {
        upsertEquity.run(runId, s.ts, s.valueJson);
        continue;
      }
      if (s.type === FILL_MARK) {
        upsertFillMark.run(portfolioId, s.scope, s.ts, s.at);
        continue;
      }
      const e = s.event!;
      events.write(e);
      if (lastSlotOf.get(e.clientOrderId) === i) upsertOrder.run(s.order);
      if (e.kind === 'OrderFilled') writeFill(e, s.position);
    }
    events.finish();
    // each moved position is written once per batch, in its state after the batch
    for (const pos of pendingPositions.values()) upsertPosition.run(positionParams(portfolioId, pos));
  });

  const clearTimer = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };

  /** Retries after failures back off (doubling, at most MAX_RETRY_DELAY_MS) so a dead disk is not hammered. */
  const armTimer = (): void => {
    if (flushIntervalMs > 0 && timer === undefined && !closed) {
      const delay = failures === 0 ? flushIntervalMs : Math.min(flushIntervalMs * 2 ** failures, MAX_RETRY_DELAY_MS);
      timer = setTimeout(() => {
        timer = undefined;
        flush();
      }, delay);
      timer.unref();
    }
  };

  /** One transaction over slots [from, to); on success its positions become the committed ones. */
  const commit = (from: number, to: number): Error | undefined => {
    pendingPositions.clear();
    conflicts.length = 0;
    batchDuplicates = 0;
    try {
      writeRange(from, to);
    } catch (e) {
      pendingPositions.clear(); // rolled back: the committed positions stay as they were
      return asError(e);
    }
    events.committed?.();
    for (const [id, pos] of pendingPositions) positions.set(id, pos);
    pendingPositions.clear();
    duplicateFills += batchDuplicates;
    committed += to - from;
    batches++;
    for (const message of conflicts.splice(0)) onConflictingFill(message);
    return undefined;
  };

  /** Stores an item that can never be written where it cannot block the others; logs it if even that fails. */
  const deadLetter = (s: Slot, error: Error): void => {
    deadLetters++;
    const kind = s.type === EVENT ? String(s.event?.kind) : s.type === STATE ? 'StrategyState' : s.type === FILL_MARK ? 'FillMark' : 'Equity';
    let payload: string;
    try {
      payload = s.type === EVENT ? JSON.stringify(s.event) : JSON.stringify({ scope: s.scope, strategyId: s.strategyId, key: s.key, ts: s.ts, value: s.valueJson });
    } catch (e) {
      payload = `(not serialisable: ${asError(e).message})`;
    }
    try {
      insertDeadLetter.run(runId, kind, s.type === EVENT ? String(s.event?.clientOrderId ?? '') : '', payload, error.message);
      onError(new Error(`an item could not be stored and was put in dead_letters: ${kind}: ${error.message}`));
    } catch (e) {
      onError(new Error(`an item could not be stored, nor put in dead_letters (${asError(e).message}): ${kind} ${payload}: ${error.message}`));
    }
  };

  function flush(): boolean {
    if (count === 0) return true;
    if (flushing) return false;
    flushing = true;
    const n = count;
    let failure = commit(0, n);
    let done = failure === undefined ? n : 0;
    if (failure !== undefined && isDataError(failure)) {
      // some item can never be written (a constraint, a value SQLite refuses): write the items one by one and set
      // aside the ones that fail, so one bad item does not block everything after it
      failure = undefined;
      for (; done < n; done++) {
        const e = commit(done, done + 1);
        if (e === undefined) continue;
        if (!isDataError(e)) {
          failure = e;
          break;
        }
        deadLetter(slots[done]!, e);
      }
    }
    flushing = false;
    // drop what is done, keep the rest (in order) for the next attempt
    for (let i = 0; i < done; i++) {
      slots[i]!.event = undefined;
      slots[i]!.position = undefined;
    }
    if (done > 0 && done < n) slots.push(...slots.splice(0, done));
    count = n - done + (count - n);
    if (failure !== undefined) {
      failures++;
      flushAt = count + maxBatch;
      armTimer();
      onError(failure);
      return false;
    }
    failures = 0;
    flushAt = maxBatch;
    clearTimer();
    return count === 0;
  }

  const nextSlot = (): Slot => {
    if (closed) throw new Error('event writer is closed: nothing can be appended after close()');
    let s = slots[count];
    if (s === undefined) {
      s = newSlot();
      slots.push(s);
    }
    count++;
    return s;
  };

  const eventSlot = (event: OrderEvent, position: Position | undefined): Slot => {
    const s = nextSlot();
    s.type = EVENT;
    s.event = event;
    s.position = position;
    return s;
  };

  const flushOnAppend = options.flushOnAppend ?? true;
  const afterPush = (): void => {
    appended++;
    if (count >= flushAt) {
      if (flushOnAppend) flush();
    } else if (count === 1) armTimer();
  };

  return {
    append(event, order, position) {
      const s = eventSlot(event, position);
      writeOrderParams(s.order, order, runId, portfolioId);
      s.hasOrder = true;
      afterPush();
    },
    appendRow(event, orderRow) {
      const s = eventSlot(event, undefined);
      s.hasOrder = orderRow !== undefined;
      if (orderRow !== undefined) for (let i = 0; i < orderRow.length; i++) s.order[i] = orderRow[i]!;
      afterPush();
    },
    appendEquity(ts, equity) {
      const s = nextSlot();
      s.type = EQUITY;
      s.ts = ts;
      s.valueJson = equity;
      afterPush();
    },
    saveFillMark(venue, until, at) {
      const s = nextSlot();
      s.type = FILL_MARK;
      s.scope = venue;
      s.ts = until;
      s.at = at;
      afterPush();
    },
    saveState(scope, strategyId, key, value) {
      const valueJson = JSON.stringify(value);
      const s = nextSlot();
      s.type = STATE;
      s.scope = scope;
      s.strategyId = strategyId;
      s.key = key;
      s.valueJson = valueJson;
      afterPush();
    },
    flush,
    flushIfDue() {
      if (count >= flushAt) flush();
    },
    close() {
      const done = flush();
      if (done) {
        clearTimer();
        closed = true;
      }
      return done;
    },
    stats: () => ({ appended, committed, batches, pending: count, duplicateFills, deadLetters }),
  };
}
