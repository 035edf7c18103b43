/** The newest `capacity` items of a stream, oldest first: the control plane's recent fills and log lines. */
export interface RingBuffer<T> {
  push(item: T): void;
  /** The newest `n` items (all when fewer), oldest first. */
  last(n: number): T[];
  readonly size: number;
}

export function createRingBuffer<T>(capacity: number): RingBuffer<T> {
  const items: T[] = new Array<T>(capacity);
  let next = 0;
  let size = 0;
  return {
    push(item) {
      items[next] = item;
      next = (next + 1) % capacity;
      if (size < capacity) size++;
    },
    last(n) {
      const k = Math.max(0, Math.min(n, size));
      const out: T[] = [];
      for (let i = k; i > 0; i--) out.push(items[(next - i + capacity) % capacity]!);
      return out;
    },
    get size() {
      return size;
    },
  };
}
