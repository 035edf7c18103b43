/**
 * How long things that are done (closed orders, old fills) stay in memory: the newest `keep` are always kept, older ones
 * once they have been done for `minAgeMs` of engine time. Without it a long backtest or a live session holds every order
 * it ever placed (about 1 KB each) until it runs out of memory; with it, memory stays flat however many orders pass.
 */
export interface RetentionLimits {
  /** Done items always kept in memory, newest first (default 10,000; at least 1: the item just done stays). */
  readonly keep?: number;
  /** An item beyond `keep` is dropped only after it has been done this long, in engine time (default 60 s). */
  readonly minAgeMs?: number;
}

export const DEFAULT_RETENTION: Required<RetentionLimits> = { keep: 10_000, minAgeMs: 60_000 };

/** Done items in the order they were done; `add` drops (through `drop`) the oldest that the limits let go. */
export interface Retention<T> {
  add(item: T, now: number): void;
  /** Items kept. */
  readonly size: number;
  /** The i-th item kept, oldest first (0 ≤ i < size). */
  at(i: number): T;
  /** The items kept from the i-th on (all by default), oldest first, as a new array. */
  slice(from?: number): T[];
}

export function createRetention<T>(limits: RetentionLimits | undefined, drop?: (item: T) => void): Retention<T> {
  // at least one: the item being added is never dropped by its own add (its caller is still working with it)
  const keep = Math.max(1, Math.floor(limits?.keep ?? DEFAULT_RETENTION.keep));
  const minAgeMs = Math.max(0, limits?.minAgeMs ?? DEFAULT_RETENTION.minAgeMs);
  let items: T[] = [];
  let times: number[] = [];
  let head = 0;
  return {
    add(item, now) {
      items.push(item);
      times.push(now);
      while (items.length - head > keep && now - times[head]! >= minAgeMs) {
        const old = items[head]!;
        items[head] = undefined as T; // let it go now, not at the next compaction
        head++;
        drop?.(old);
      }
      // compact once the dropped prefix is most of the arrays (amortised O(1) per item)
      if (head > 1024 && head * 2 > items.length) {
        items = items.slice(head);
        times = times.slice(head);
        head = 0;
      }
    },
    get size() {
      return items.length - head;
    },
    at: (i) => items[head + i]!,
    slice: (from = 0) => items.slice(head + from),
  };
}
