/**
 * RxJS reports an error thrown inside a subscriber (a `subscribe(fn)` callback, an operator without an error handler)
 * by scheduling a rethrow with setTimeout: in a backtest that runs synchronously it would surface only after the run,
 * and in live it would crash the process. Here those reports are made synchronous and handed to whoever is running
 * strategy code at that moment (the host marks it), so the strategy that threw is stopped like one whose hook threw.
 * An error with no strategy running goes to `unattributed` (logged by the kernel).
 *
 * This relies on RxJS 7 internals (`timeoutProvider`, `config.onUnhandledError`); test/strategy/rx-errors.test.ts
 * fails if an RxJS update changes them.
 */
import { config } from 'rxjs';
import { timeoutProvider } from 'rxjs/internal/scheduler/timeoutProvider';

let target: ((error: unknown) => void) | undefined;
let unattributed: (error: unknown) => void = (error) => {
  throw error;
};
let installed = false;

export function installRxErrorRouting(onUnattributed: (error: unknown) => void): void {
  unattributed = onUnattributed;
  if (installed) return;
  installed = true;
  config.onUnhandledError = (error: unknown) => (target ?? unattributed)(error);
  timeoutProvider.delegate = {
    setTimeout(handler: (...args: unknown[]) => void, _timeout?: number, ...args: unknown[]) {
      handler(...args);
      return 0 as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimeout() {},
  };
}

/** Marks who receives RxJS errors until the next call (undefined: nobody). Returns the previous target. */
export function setRxErrorTarget(next: ((error: unknown) => void) | undefined): ((error: unknown) => void) | undefined {
  const prev = target;
  target = next;
  return prev;
}
