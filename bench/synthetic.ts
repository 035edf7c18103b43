import { createRecordingWriter } from '../engine/data/recording/index.js';

/**
 * Writes `count` EUR/USD-like quotes, 100 ms apart, as a recording: a seeded random walk of the mid on a 0.00001 tick
 * with a 1-3 tick spread and sizes in lots of 100,000. Deterministic: the same file every time. Returns the first ts.
 */
export function writeSyntheticQuotes(path: string, count: number): number {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const start = Date.UTC(2024, 0, 1);
  let mid = 108_500; // in ticks of 0.00001
  const w = createRecordingWriter(path, { sync: false });
  for (let i = 0; i < count; i++) {
    const r = random();
    mid += r < 0.3 ? -1 : r > 0.7 ? 1 : 0;
    const spread = 1 + Math.floor(random() * 3);
    const ts = start + i * 100;
    w.append({
      kind: 'quote', instrumentId: 'EURUSD.FXCM', tsEvent: ts, tsInit: ts,
      bid: mid / 100_000, ask: (mid + spread) / 100_000,
      bidSize: 100_000 * (1 + Math.floor(random() * 20)), askSize: 100_000 * (1 + Math.floor(random() * 20)),
    });
  }
  w.close();
  return start;
}
