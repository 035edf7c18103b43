import type { Tick } from '../model/tick.js';

/**
 * Merges tick streams that are each in time order into one, by tsInit; ties go to the stream listed first, so the
 * result is stable and the same inputs always replay in the same order.
 */
export function* mergeTicks(streams: ReadonlyArray<Iterable<Tick>>): Generator<Tick> {
  if (streams.length === 1) {
    yield* streams[0]!;
    return;
  }
  const its = streams.map((s) => s[Symbol.iterator]());
  const heads = its.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && (best < 0 || h.value.tsInit < (heads[best]!.value as Tick).tsInit)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.value as Tick;
    heads[best] = its[best]!.next();
  }
}

/** Keeps ticks with from ≤ tsInit < to. */
export function* between(ticks: Iterable<Tick>, from = -Infinity, to = Infinity): Generator<Tick> {
  for (const t of ticks) {
    if (t.tsInit < from) continue;
    if (t.tsInit >= to) return;
    yield t;
  }
}
