import type { Logger } from 'pino';

/**
 * Single-threaded event loop of the engine. Work given to `run` while other work is running is queued and runs after
 * it, in order, so strategy code never runs nested inside other strategy code (a fill is never delivered in the middle
 * of the onTick that caused it). Every entry point — a tick, a timer, a venue message — goes through `run`.
 */
export interface Dispatcher {
  run<T>(work: (arg: T) => void, arg: T): void;
  post(work: () => void): void;
}

/** `afterRun` runs when the outermost work and everything it queued is done (the kernel commits the event log there). */
export function createDispatcher(log: Logger, afterRun?: () => void): Dispatcher {
  const queue: Array<{ work: (arg: unknown) => void; arg: unknown }> = [];
  let busy = false;

  const exec = (work: (arg: unknown) => void, arg: unknown): void => {
    try {
      work(arg);
    } catch (error) {
      // strategies are guarded by their host; reaching here is an engine bug, logged and survived
      log.error({ err: error }, 'unhandled error in engine work; continuing');
    }
  };

  const run = <T>(work: (arg: T) => void, arg: T): void => {
    if (busy) {
      queue.push({ work: work as (arg: unknown) => void, arg });
      return;
    }
    busy = true;
    try {
      exec(work as (arg: unknown) => void, arg);
      for (let i = 0; i < queue.length; i++) {
        const item = queue[i]!;
        exec(item.work, item.arg);
      }
    } finally {
      if (queue.length > 0) queue.length = 0; // setting length is a slow builtin: skip it on the common empty path
      busy = false;
    }
    afterRun?.();
  };

  return { run, post: (work) => run(callWork, work) };
}

const callWork = (work: () => void): void => work();
