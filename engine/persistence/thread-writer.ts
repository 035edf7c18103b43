/**
 * A backtest's event writer on a thread of its own (DESIGN.md: the journal-first backtest store, "off the main thread
 * where that pays"): the engine's thread only encodes each event into the journal's compact columns (journal-codec.ts)
 * and, once per batch, the row of each order the batch touched; a worker thread with its own connection to the same
 * database file decodes them and runs the ordinary writer (event-writer.ts) there: the same transactions, fill dedup,
 * conflict checks, positions, retries and dead letters. On two cores the SQLite work (about half of an order-heavy
 * backtest's time) runs beside the engine instead of inside it.
 *
 * Synchronous where callers need it: `flush()` and `close()` block (Atomics.wait) until the thread has committed
 * everything handed over, so a read after them (restoring an order dropped from memory, the end-of-run checks) sees it
 * all. At most MAX_IN_FLIGHT batches wait for the thread: a faster engine waits for it rather than growing memory.
 * Only for a database file (an in-memory one cannot be shared between threads) on the main thread (a sweep's workers
 * keep the cores busy already); trading-node.ts chooses.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { InstrumentId } from '../model/ids.js';
import type { OrderView } from '../model/order.js';
import type { EventWriter, EventWriterStats } from './event-writer.js';
import { JournalChunkEncoder } from './journal-codec.js';
import { newOrderParams, writeOrderParams } from './rows.js';

/** Int32 slots shared with the thread. */
export const ACKED = 0;
export const STATE = 1;
export const STARTING = 0;
export const READY = 1;
export const FAILED = 2;
export const CLOSED = 3;
/** Float64 slots the thread writes its writer's stats to (before it bumps ACKED). */
export const COMMITTED = 0;
export const BATCHES = 1;
export const DUPLICATE_FILLS = 2;
export const DEAD_LETTERS = 3;

/** An item that is not an event, with the number of events handed over before it (its place among them). */
export type OtherItem =
  | [at: number, kind: 'equity', ts: number, equity: string]
  | [at: number, kind: 'fillMark', venue: string, until: number, setAt: number]
  | [at: number, kind: 'state', scope: string, strategyId: string, key: string, valueJson: string | null];

/** One batch handed to the thread. */
export interface BatchMessage {
  readonly batch: number;
  /** The batch's events, journal-encoded (not compressed). */
  readonly events: Uint8Array;
  /** JSON: the row (ORDER_COLUMNS order) of each order the batch's events touched, in its state after them. */
  readonly orders: string;
  /** JSON: OtherItem[], or empty. */
  readonly others: string;
}

export interface ThreadWriterOptions {
  readonly path: string;
  readonly runId: number;
  readonly portfolioId: string;
  /** Items per batch handed to the thread (default 10,000). */
  readonly maxBatch?: number;
  readonly contractSizes: ReadonlyArray<readonly [InstrumentId, number]>;
  readonly onError: (err: Error) => void;
  readonly onConflictingFill?: (message: string) => void;
  /** How long a flush waits for the thread without any progress before it gives up and reports it (default 120 s). */
  readonly stallMs?: number;
}

const MAX_IN_FLIGHT = 2;

export function createThreadEventWriter(opts: ThreadWriterOptions): EventWriter {
  const { runId, portfolioId, onError } = opts;
  const maxBatch = Math.max(1, Math.floor(opts.maxBatch ?? 10_000));
  const stallMs = opts.stallMs ?? 120_000;
  const onConflictingFill = opts.onConflictingFill ?? ((message: string): void => onError(new Error(message)));
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const stats = new Float64Array(new SharedArrayBuffer(8 * 4));
  const { port1: fromThread, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./thread-writer-entry.mjs', import.meta.url), {
    workerData: {
      path: opts.path, runId, portfolioId, contractSizes: opts.contractSizes, shared: shared.buffer, stats: stats.buffer, port: port2,
    },
    transferList: [port2 as unknown as MessagePort],
  });
  worker.unref();
  let exitError: string | undefined;
  worker.on('error', (e) => {
    exitError = e.message;
  });

  const encoder = new JournalChunkEncoder();
  /** Orders the batch's events touched: their rows are taken once, when the batch is handed over. */
  const touched = new Map<string, OrderView>();
  let others: OtherItem[] = [];
  let count = 0;
  let appended = 0;
  /** Batches posted to the thread. */
  let posted = 0;
  let closed = false;
  let broken = false;

  /** The thread's errors and conflict reports, passed on in order (called after each wait and hand-over). */
  const drain = (): void => {
    for (let m = receiveMessageOnPort(fromThread); m !== undefined; m = receiveMessageOnPort(fromThread)) {
      const msg = m.message as { error?: string; conflict?: string };
      if (msg.conflict !== undefined) onConflictingFill(msg.conflict);
      else onError(new Error(msg.error ?? 'the writer thread reported an unknown problem'));
    }
  };

  /** Blocks until the thread has taken all but `inFlight` batches; false when it failed or stalled (reported). */
  const waitFor = (inFlight: number): boolean => {
    let last = Atomics.load(shared, ACKED);
    let since = performance.now();
    while (posted - Atomics.load(shared, ACKED) > inFlight) {
      if (Atomics.load(shared, STATE) === FAILED || exitError !== undefined) {
        drain();
        if (!broken) onError(new Error(`the writer thread stopped${exitError ? `: ${exitError}` : ''}; what it had not committed is not stored`));
        broken = true;
        return false;
      }
      Atomics.wait(shared, ACKED, last, 200);
      const now = Atomics.load(shared, ACKED);
      if (now !== last) {
        last = now;
        since = performance.now();
      } else if (performance.now() - since > stallMs) {
        drain();
        onError(new Error(`the writer thread made no progress for ${Math.round(stallMs / 1000)} s; ${posted - now} batch(es) not committed`));
        return false;
      }
    }
    drain();
    return true;
  };

  const handOver = (): void => {
    if (count === 0 || broken) return;
    const rows: unknown[] = [];
    for (const order of touched.values()) {
      const row = newOrderParams();
      writeOrderParams(row, order, runId, portfolioId);
      rows.push(row);
    }
    const message: BatchMessage = {
      batch: posted,
      events: encoder.snapshotRaw().data,
      orders: JSON.stringify(rows),
      others: others.length ? JSON.stringify(others) : '',
    };
    encoder.clear();
    touched.clear();
    others = [];
    count = 0;
    worker.postMessage(message);
    posted++;
    waitFor(MAX_IN_FLIGHT);
  };

  const push = (): void => {
    if (closed) throw new Error('event writer is closed: nothing can be appended after close()');
    count++;
    appended++;
  };

  /** Items not committed: held here, on their way, or kept by the thread's writer after a failed commit. */
  const pending = (): number => appended - stats[COMMITTED]! - stats[DEAD_LETTERS]!;

  const flush = (): boolean => {
    handOver();
    return waitFor(0) && pending() === 0;
  };

  return {
    append(event, order) {
      push();
      encoder.add(event);
      touched.set(order.clientOrderId, order);
    },
    appendRow() {
      throw new Error('appendRow is the writer thread’s own entry; the engine appends events with append()');
    },
    appendEquity(ts, equity) {
      push();
      others.push([encoder.events, 'equity', ts, equity]);
    },
    saveFillMark(venue, until, at) {
      push();
      others.push([encoder.events, 'fillMark', venue, until, at]);
    },
    saveState(scope, strategyId, key, value) {
      const json = value === undefined ? null : JSON.stringify(value);
      push();
      others.push([encoder.events, 'state', scope, strategyId, key, json]);
    },
    flush,
    flushIfDue() {
      if (count >= maxBatch) handOver();
    },
    close() {
      if (closed) return true;
      const done = flush();
      closed = true;
      worker.postMessage({ close: true });
      // the thread commits what its writer still holds (after a failure) and closes its connection
      const since = performance.now();
      while (Atomics.load(shared, STATE) !== CLOSED && Atomics.load(shared, STATE) !== FAILED && exitError === undefined) {
        Atomics.wait(shared, STATE, Atomics.load(shared, STATE), 200);
        if (performance.now() - since > stallMs) break;
      }
      drain();
      return done && pending() === 0;
    },
    stats(): EventWriterStats {
      return {
        appended,
        committed: stats[COMMITTED]!,
        batches: stats[BATCHES]!,
        pending: pending(),
        duplicateFills: stats[DUPLICATE_FILLS]!,
        deadLetters: stats[DEAD_LETTERS]!,
      };
    },
  };
}
