/**
 * The writer thread (thread-writer.ts): its own connection to the run's database and the ordinary event writer on it.
 * Each batch is decoded (journal columns → events, order rows from JSON), appended in the order the engine appended
 * it, and committed at once; then the stats are published and the batch acknowledged. Errors and conflicting fills go
 * back as messages; a failure to start marks the thread FAILED with the reason.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from './database.js';
import { createEventWriter, type EventWriter } from './event-writer.js';
import { decodeRawJournalChunk } from './journal-codec.js';
import { createEncodedJournalInserter } from './journal-inserter.js';
import type { OrderParams } from './rows.js';
import {
  ACKED, BATCHES, CLOSED, COMMITTED, DEAD_LETTERS, DUPLICATE_FILLS, FAILED, READY, STATE, type BatchMessage, type OtherItem,
} from './thread-writer.js';

interface Setup {
  readonly path: string;
  readonly runId: number;
  readonly portfolioId: string;
  readonly contractSizes: ReadonlyArray<readonly [string, number]>;
  readonly shared: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly port: MessagePort;
}

const setup = workerData as Setup;
const shared = new Int32Array(setup.shared);
const stats = new Float64Array(setup.stats);
const port = setup.port;
const report = (message: { error: string } | { conflict: string }): void => port.postMessage(message);

let writer: EventWriter;
let journal: ReturnType<typeof createEncodedJournalInserter>;
let close: () => void;
try {
  const db = openDatabase(setup.path);
  const sizes = new Map(setup.contractSizes);
  journal = createEncodedJournalInserter(db, setup.runId);
  writer = createEventWriter(db, {
    runId: setup.runId,
    portfolioId: setup.portfolioId,
    maxBatch: Number.MAX_SAFE_INTEGER, // each batch is committed when it is whole, by flush()
    flushOnAppend: false,
    flushIntervalMs: 0,
    events: journal,
    contractSizeOf: (id) => sizes.get(id) ?? 1,
    onError: (err) => report({ error: err.message }),
    onConflictingFill: (message) => report({ conflict: message }),
  });
  close = () => {
    writer.close();
    db.close();
  };
  Atomics.store(shared, STATE, READY);
} catch (e) {
  report({ error: `the writer thread could not open ${setup.path}: ${e instanceof Error ? e.message : String(e)}` });
  Atomics.store(shared, STATE, FAILED);
  Atomics.notify(shared, ACKED);
  Atomics.notify(shared, STATE);
  throw e;
}

const publish = (): void => {
  const s = writer.stats();
  stats[COMMITTED] = s.committed;
  stats[BATCHES] = s.batches;
  stats[DUPLICATE_FILLS] = s.duplicateFills;
  stats[DEAD_LETTERS] = s.deadLetters;
};

function other(item: OtherItem): void {
  switch (item[1]) {
    case 'equity':
      writer.appendEquity(item[2], item[3]);
      return;
    case 'fillMark':
      writer.saveFillMark(item[2], item[3], item[4]);
      return;
    case 'state':
      writer.saveState(item[2], item[3], item[4], item[5] === null ? undefined : JSON.parse(item[5]));
      return;
  }
}

function take(msg: BatchMessage): void {
  const raw = Buffer.from(msg.events.buffer, msg.events.byteOffset, msg.events.byteLength);
  const events = decodeRawJournalChunk(raw);
  journal.enqueue(raw, events.length);
  const rows = JSON.parse(msg.orders) as OrderParams[];
  const rowOf = new Map<string, OrderParams>();
  for (const r of rows) rowOf.set(r[0] as string, r);
  // each order's row goes with its last event of the batch
  const lastOf = new Map<string, number>();
  for (let i = 0; i < events.length; i++) lastOf.set(events[i]!.clientOrderId, i);
  const others = msg.others ? (JSON.parse(msg.others) as OtherItem[]) : [];
  let k = 0;
  for (let i = 0; i <= events.length; i++) {
    while (k < others.length && others[k]![0] === i) other(others[k++]!);
    if (i === events.length) break;
    const e = events[i]!;
    writer.appendRow(e, lastOf.get(e.clientOrderId) === i ? rowOf.get(e.clientOrderId) : undefined);
  }
  writer.flush();
}

parentPort!.on('message', (msg: BatchMessage | { close: true }) => {
  if ('close' in msg) {
    try {
      close();
    } catch (e) {
      report({ error: `the writer thread could not close the database: ${e instanceof Error ? e.message : String(e)}` });
    }
    publish();
    Atomics.store(shared, STATE, CLOSED);
    Atomics.notify(shared, STATE);
    parentPort!.close();
    port.close();
    return;
  }
  try {
    take(msg);
  } catch (e) {
    // a batch that cannot even be decoded is a bug on the engine's side: say so, and stop taking batches
    report({ error: `the writer thread could not take batch ${msg.batch}: ${e instanceof Error ? e.message : String(e)}` });
    publish();
    Atomics.store(shared, STATE, FAILED);
    Atomics.notify(shared, ACKED);
    return;
  }
  publish();
  Atomics.add(shared, ACKED, 1);
  Atomics.notify(shared, ACKED);
});
