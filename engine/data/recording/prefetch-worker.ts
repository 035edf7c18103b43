/**
 * The decoding thread of prefetch.ts: says it is ready, waits to be told where the replay's own decoding stopped, then
 * runs readChunks from there, posting each decoded chunk (its columns moved) at most AHEAD chunks beyond what the
 * replay has taken; then the truncation warning if any, and the end or the error.
 */
import { workerData } from 'node:worker_threads';
import { DataError } from '../csv-ticks.js';
import { AHEAD, POSTED, READY, TAKEN, transferables, type PrefetchMessage, type PrefetchSetup, type PrefetchStart } from './prefetch.js';
import { readChunks } from './reader.js';

const setup = workerData as PrefetchSetup;
const shared = new Int32Array(setup.shared);
let posted = 0;
const post = (message: PrefetchMessage, transfer: ArrayBuffer[] = []): void => {
  // never more than AHEAD messages waiting: sleep until the replay takes one
  for (let taken = Atomics.load(shared, TAKEN); posted - taken >= AHEAD; taken = Atomics.load(shared, TAKEN)) {
    Atomics.wait(shared, TAKEN, taken);
  }
  setup.port.postMessage(message, transfer);
  posted++;
  Atomics.add(shared, POSTED, 1);
  Atomics.notify(shared, POSTED);
};

const run = ({ startAt }: PrefetchStart): void => {
  try {
    const warnings: string[] = [];
    const chunks = readChunks(setup.path, { from: setup.from, to: setup.to, skip: startAt, onWarning: (m) => warnings.push(m) });
    for (const { chunk } of chunks) post({ chunk }, transferables(chunk));
    for (const warning of warnings) post({ warning });
    post({ done: true });
  } catch (error) {
    post({ error: error instanceof Error ? error.message : String(error), dataError: error instanceof DataError });
  }
  setup.port.close();
};

setup.port.once('message', run);
Atomics.store(shared, READY, 1);
