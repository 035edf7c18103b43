/**
 * Exposure: the share of the run's time [from, to] during which a position was open, from the fills. Positions are
 * kept per (strategy, instrument), exactly (decimal sums of the signed quantities); an instrument is exposed while any
 * strategy holds a non-flat position in it, the run overall while any instrument is exposed. A position still open at
 * the end counts until `to`.
 */
import { D, ZERO, type Decimal } from '../model/decimal.js';

export interface ExposureFill {
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly tsEvent: number;
}

export interface Exposure {
  /** Fraction of [from, to] with any position open; undefined when the span is empty. */
  readonly overall: number | undefined;
  /** Per instrument, sorted by id. */
  readonly byInstrument: ReadonlyArray<{ instrumentId: string; share: number | undefined }>;
  /** Positions still open at the end, per (strategy, instrument): signed quantity, exact. */
  readonly openAtEnd: ReadonlyArray<{ strategyId: string; instrumentId: string; quantity: string }>;
}

class Span {
  open = 0;
  since = 0;
  total = 0;
  enter(ts: number): void {
    if (this.open++ === 0) this.since = ts;
  }
  leave(ts: number): void {
    if (--this.open === 0) this.total += ts - this.since;
  }
}

export function exposure(fills: readonly ExposureFill[], from: number, to: number): Exposure {
  const clamp = (ts: number): number => Math.min(Math.max(ts, from), to);
  const positions = new Map<string, Decimal>();
  const names = new Map<string, { strategyId: string; instrumentId: string }>();
  const perInstrument = new Map<string, Span>();
  const all = new Span();
  for (const f of fills) {
    const key = `${f.strategyId}\u0000${f.instrumentId}`;
    const before = positions.get(key) ?? ZERO;
    const after = f.side === 'buy' ? before.plus(D(f.qty)) : before.minus(D(f.qty));
    positions.set(key, after);
    if (!names.has(key)) names.set(key, { strategyId: f.strategyId, instrumentId: f.instrumentId });
    let span = perInstrument.get(f.instrumentId);
    if (!span) perInstrument.set(f.instrumentId, (span = new Span()));
    const ts = clamp(f.tsEvent);
    if (before.isZero() && !after.isZero()) {
      span.enter(ts);
      all.enter(ts);
    } else if (!before.isZero() && after.isZero()) {
      span.leave(ts);
      all.leave(ts);
    }
  }
  const length = to - from;
  const share = (s: Span): number | undefined => (length > 0 ? (s.total + (s.open > 0 ? to - s.since : 0)) / length : undefined);
  return {
    overall: share(all),
    openAtEnd: [...positions].filter(([, q]) => !q.isZero()).map(([k, q]) => ({ ...names.get(k)!, quantity: q.toString() })),
    byInstrument: [...perInstrument].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([instrumentId, s]) => ({ instrumentId, share: share(s) })),
  };
}
