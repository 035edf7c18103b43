/**
 * Decoding ahead on a second core: a worker thread reads, checks and decodes a recording's chunks (readChunks, the
 * same code and the same errors) a few chunks ahead of the replay, and hands each decoded chunk over by transfer (its
 * columns are moved, not copied). The replay thread then only walks the columns and builds ticks. The chunks, their
 * order and every error are those of readChunks in the replay thread: only where the decoding runs changes.
 *
 * A thread takes about 150 ms to start here (the TypeScript loader), so the replay does not wait for it: it decodes
 * chunks itself until the thread says it is ready, then tells it where to start and takes the rest from it.
 * The replay is synchronous, so it takes each chunk with receiveMessageOnPort and sleeps on a shared counter
 * (Atomics.wait) while the next one is not there yet; the worker sleeps the same way when it is AHEAD chunks ahead.
 */
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { DataError } from '../csv-ticks.js';
import { barColumns, bookColumns, decodedChunk, quoteColumns, tradeColumns, type DecodedChunk } from './columns.js';
import { numColumn, type NumColumn } from './scale.js';
import { defaultWarning, readChunks, type ReadOptions } from './reader.js';

/** Shared counters: chunks posted by the worker, chunks taken by the replay; READY is 1 once the worker has loaded. */
export const POSTED = 0;
export const TAKEN = 1;
export const READY = 2;
/** Decoded chunks the worker may hold ready beyond the one in use (each about 20 bytes a tick). */
export const AHEAD = 3;
/** A worker that posts nothing for this long is reported instead of waited for (it could not start, or hangs). */
const STALL_MS = 60_000;

/** Decoding threads started in this process, and those not stopped yet (tests and diagnostics). */
export const prefetchStats = { threads: 0, running: 0 };

/** What the worker posts: a chunk, a warning, the end, or the error that ended it. */
export type PrefetchMessage =
  | { readonly chunk: DecodedChunk }
  | { readonly warning: string }
  | { readonly done: true }
  | { readonly error: string; readonly dataError: boolean };

export interface PrefetchSetup {
  readonly path: string;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly shared: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** The replay's word to a ready worker: decode from the chunk after the `startAt` the replay decoded itself. */
export interface PrefetchStart {
  readonly startAt: number;
}

/** The typed arrays of a decoded chunk, whose buffers can be moved to another thread. */
export function transferables(chunk: DecodedChunk): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k in v) visit((v as Record<string, unknown>)[k]);
    }
  };
  visit(chunk);
  return [...out];
}

/**
 * readChunks' chunks (`{ chunk }` only), decoded on a worker thread. Returning early (a replay that stops at `to`, or
 * is dropped) stops the worker.
 */
export function* readChunksAhead(
  path: string,
  opts: ReadOptions & { from?: number; to?: number; onHandOver?: (decodedHere: number) => void } = {},
): Generator<{ chunk: DecodedChunk }> {
  const shared = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const setup: PrefetchSetup = { path, from: opts.from, to: opts.to, shared: shared.buffer as SharedArrayBuffer, port: port2 };
  const worker = new Worker(new URL('./prefetch-entry.mjs', import.meta.url), { workerData: setup, transferList: [port2 as never] });
  worker.unref();
  // a thread that fails to load never says it is ready, and the replay decodes everything itself; one that dies later
  // is reported by take() when nothing comes (its 'error' event cannot arrive while the replay holds this thread)
  let failure: string | undefined;
  worker.on('error', (e) => void (failure = e.message));
  prefetchStats.threads++;
  prefetchStats.running++;
  try {
    // until the thread is ready, the replay decodes on its own
    let decoded = 0;
    const own = readChunks(path, { onWarning: opts.onWarning, from: opts.from, to: opts.to });
    try {
      while (Atomics.load(shared, READY) === 0) {
        const next = own.next();
        if (next.done) return;
        decoded++;
        yield { chunk: next.value.chunk };
      }
    } finally {
      own.return(undefined);
    }
    const start: PrefetchStart = { startAt: decoded };
    port1.postMessage(start);
    opts.onHandOver?.(decoded);
    for (;;) {
      const message = take(port1, shared, path, () => failure);
      Atomics.add(shared, TAKEN, 1);
      Atomics.notify(shared, TAKEN);
      if ('chunk' in message) yield { chunk: canonical(message.chunk) };
      else if ('warning' in message) (opts.onWarning ?? defaultWarning)(message.warning);
      else if ('done' in message) return;
      else throw message.dataError ? new DataError(message.error) : new Error(message.error);
    }
  } finally {
    port1.close();
    void worker.terminate();
    prefetchStats.running--;
  }
}

/**
 * The chunk rebuilt by columns.ts's builders, as decode-chunk.ts builds it: a chunk as the structured clone delivers it
 * has other hidden classes, and a replay that met both would walk every chunk through polymorphic property loads. Only
 * the small objects are new: the columns are the ones moved here.
 */
function canonical(c: DecodedChunk): DecodedChunk {
  const col = (n: NumColumn): NumColumn => numColumn(n.data, n.div);
  const opt = (n: NumColumn | undefined): NumColumn | undefined => (n === undefined ? undefined : col(n));
  // as decodeMeta builds it (pushed one by one): a cloned array has another map
  const instruments: string[] = [];
  for (let i = 0; i < c.instruments.length; i++) instruments.push(c.instruments[i]!);
  const q = c.quotes;
  const b = c.books;
  const t = c.trades;
  const r = c.bars;
  return decodedChunk(
    c.ticks, instruments, c.kind, c.soleKind, c.instrument, col(c.tsEvent), col(c.tsInit),
    q === undefined ? undefined : quoteColumns(q.count, col(q.bid), col(q.ask), q.sizeFlags, opt(q.bidSize), opt(q.askSize)),
    b === undefined ? undefined : bookColumns(b.count, b.start, b.bidDepth, col(b.price), col(b.size)),
    t === undefined ? undefined : tradeColumns(t.count, col(t.price), col(t.size), t.flags, t.idNumber, t.idText),
    r === undefined ? undefined : barColumns(r.count, col(r.periodMs), col(r.open), col(r.high), col(r.low), col(r.close), col(r.volume)),
  );
}

/** The next message, waiting for it (the worker counts each one it posts in POSTED). */
function take(port: MessagePort, shared: Int32Array, path: string, failure: () => string | undefined): PrefetchMessage {
  let waited = 0;
  for (;;) {
    const posted = Atomics.load(shared, POSTED);
    const m = receiveMessageOnPort(port);
    if (m !== undefined) return m.message as PrefetchMessage;
    // nothing yet: sleep until the worker posts (POSTED moves), rechecking now and then
    if (Atomics.wait(shared, POSTED, posted, 200) === 'timed-out' && (waited += 200) >= STALL_MS) {
      const why = failure();
      throw new Error(`${path}: the thread decoding the recording gave nothing for ${STALL_MS / 1000} s${why === undefined ? '' : ` (${why})`}; ` +
        'set backtest.decodeThread to false to decode on the replay\'s thread');
    }
  }
}
