import type { Clock } from '../clock/clock.js';
import type { ClientOrderId, Millis } from '../model/ids.js';

/**
 * Delivers commands to the simulated venue after their latency, in the order they were sent for each order.
 *
 * RULE — FIFO per client order id. Commands about the same order (its submit, then cancels/modifies) are processed in
 * the order they were sent, whatever their latencies: each runs at max(its own due time, the time the previous command
 * for that order ran). So a cancel with a shorter latency than its submit waits for the submit instead of overtaking it
 * (and being answered UNKNOWN_ORDER while the order goes on to rest). Commands for different orders stay independent:
 * each is delayed only by its own latency.
 *
 * Every command gets its own timer at its due time; a command whose timer fired is held until all earlier commands of
 * its order have run, then runs in the same turn. This does not rely on the clock firing same-instant timers in the
 * order they were set (a wall clock's setTimeout may not). On a clock that does (Clock.orderedTimers: the simulated
 * one), a command without latency sent while nothing of its order waits here runs from its timer directly: a later
 * command of the order is due no earlier, and its timer was set later.
 */
export interface CommandQueue {
  send(clientOrderId: ClientOrderId, delayMs: Millis, process: () => void): void;
}

interface Pending {
  readonly process: () => void;
  due: boolean;
}

export function createCommandQueue(clock: Clock): CommandQueue {
  /** Commands sent and not yet processed, per order, in sending order; an order leaves the map when it has none. */
  const pending = new Map<ClientOrderId, Pending[]>();
  const ordered = clock.orderedTimers === true;

  const drain = (clientOrderId: ClientOrderId, queue: Pending[]): void => {
    while (queue.length > 0 && queue[0]!.due) queue.shift()!.process();
    if (queue.length === 0 && pending.get(clientOrderId) === queue) pending.delete(clientOrderId);
  };

  return {
    send(clientOrderId, delayMs, process) {
      let queue = pending.get(clientOrderId);
      // no latency and nothing of this order waiting, on a clock that runs same-time timers in the order set: its timer
      // alone keeps it in order, so no queue entry is made (a backtest's common case: one an order)
      if (delayMs === 0 && queue === undefined && ordered) {
        clock.setTimer(clock.now(), process);
        return;
      }
      if (queue === undefined) pending.set(clientOrderId, (queue = []));
      const entry: Pending = { process, due: false };
      queue.push(entry);
      const q = queue;
      clock.setTimer(clock.now() + delayMs, () => {
        entry.due = true;
        drain(clientOrderId, q);
      });
    },
  };
}
