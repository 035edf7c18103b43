/**
 * Exponential backoff with "full jitter" (AWS architecture blog): attempt n waits a uniformly random time in
 * [0, min(maxMs, initialMs · factor^n)). Randomness is injected so live runs can use a seeded source and tests a fake one.
 */
export interface BackoffOptions {
  /** Upper bound of the first delay. */
  readonly initialMs: number;
  /** Cap on the upper bound of any delay. */
  readonly maxMs: number;
  /** Growth of the upper bound per attempt; default 2. */
  readonly factor?: number;
  /** Uniform in [0, 1). Required: Math.random() is not allowed in engine/. */
  readonly random: () => number;
}

export interface Backoff {
  /** The delay before the next attempt, in ms; each call counts one attempt. */
  next(): number;
  /** Back to the first attempt (call after a connection has proven healthy). */
  reset(): void;
  /** Attempts counted since the last reset. */
  readonly attempt: number;
}

export function createBackoff(opts: BackoffOptions): Backoff {
  const factor = opts.factor ?? 2;
  if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs) || !(factor >= 1)) {
    throw new Error(`invalid backoff: initialMs ${opts.initialMs}, maxMs ${opts.maxMs}, factor ${factor}`);
  }
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(opts.maxMs, opts.initialMs * factor ** attempt);
      attempt += 1;
      const r = opts.random();
      const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
      return unit * ceiling;
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
