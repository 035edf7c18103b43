/**
 * Thins a series to at most `max` points for drawing, keeping the first and last point and, in each bucket of
 * consecutive points in between, the lowest and the highest (in their order), so peaks and troughs — a drawdown's
 * extreme — stay visible. Returns the series unchanged when it is short enough.
 */
export function downsampleMinMax<T>(points: readonly T[], max: number, valueOf: (p: T) => number): T[] {
  if (!Number.isInteger(max) || max < 4) throw new RangeError(`downsampleMinMax: max must be an integer ≥ 4, got ${max}`);
  if (points.length <= max) return [...points];
  const inner = points.length - 2;
  const buckets = Math.floor((max - 2) / 2);
  const out: T[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const v = valueOf(points[i]!);
      if (v < valueOf(points[lo]!)) lo = i;
      if (v > valueOf(points[hi]!)) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  out.push(points[points.length - 1]!);
  return out;
}
