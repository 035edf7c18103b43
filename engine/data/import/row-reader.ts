/**
 * Reads typed values out of one row's cells, by plan: prices (exact under a price scale), sizes, times (unit, day,
 * zone) and the checks every row gets (suspicious flag, kind and instrument of NDJSON tick lines, time order).
 * A value that is wrong throws BadRow with what is wrong; the importer adds the file, line and row excerpt.
 */
import type { Millis } from '../../model/ids.js';
import type { Accessor, Plan } from './fields.js';
import { divideExact, meanExact, numberOf } from './exact.js';
import type { Cells } from './ndjson-line.js';
import type { Resolved } from './options.js';
import { atLocal, isoToMs, type LocalDay, unitToMs } from './time.js';

/** A row that cannot be read; the message says what is wrong. */
export class BadRow extends Error {
  override readonly name = 'BadRow';
}

const TICK_KIND = { quotes: 'quote', trades: 'trade', bars: 'bar', ticks: '' } as const;

export class RowReader {
  cells: Cells = [];
  private lastTs = -Infinity;
  private readonly expectKind: string;

  constructor(
    readonly cfg: Resolved,
    readonly plan: Plan,
    private readonly day: LocalDay | undefined,
  ) {
    this.expectKind = TICK_KIND[cfg.kind];
  }

  /** The cell of a field ('' read as absent), or undefined. */
  raw(a: Accessor | undefined): string | number | undefined {
    if (!a) return undefined;
    let v = this.cells[a.slot];
    if (v === undefined && a.alt) {
      for (const s of a.alt) if ((v = this.cells[s]) !== undefined) break;
    }
    return v === '' ? undefined : v;
  }

  /** The cell of a field as text, or undefined. */
  text(a: Accessor | undefined): string | undefined {
    const v = this.raw(a);
    return v === undefined ? undefined : String(v);
  }

  /** True when the row's suspicious flag is set (1 / true). */
  flagged(): boolean {
    const v = this.raw(this.plan.flag);
    if (v === undefined) return false;
    if (typeof v === 'number') return v === 1;
    const t = v.trim().toLowerCase();
    return t === '1' || t === 'true' || (t !== '0' && t !== 'false' && Number(t) === 1);
  }

  /** A price > 0 (or ≥ 0 with allowZero), divided exactly by the price scale; a mid accessor is the exact mean. */
  price(a: Accessor | undefined, what: string, allowZero = false): number {
    if (!a) throw new BadRow(`${what} has no column`);
    let v: number;
    if (a.mid) {
      const x = this.cells[a.mid[0]];
      const y = this.cells[a.mid[1]];
      if (x === undefined || y === undefined || x === '' || y === '') throw new BadRow(`${what} is missing (${a.name})`);
      v = meanExact(String(x), String(y), this.cfg.priceScale);
      if (!Number.isFinite(v)) throw new BadRow(`${what} is not a number: ${JSON.stringify(`${x}, ${y}`)}`);
    } else {
      const c = this.raw(a);
      if (c === undefined) throw new BadRow(`${what} is missing (column ${a.name})`);
      v = this.cfg.priceScale !== 1 ? divideExact(String(c), this.cfg.priceScale) : typeof c === 'number' ? c : numberOf(c);
      if (!Number.isFinite(v)) throw new BadRow(`${what} is not a number: ${JSON.stringify(c)}`);
    }
    if (v < 0 || (v === 0 && !allowZero)) throw new BadRow(`${what} must be above 0: ${v}`);
    return v;
  }

  /** A size ≥ 0, or undefined when the column is absent or empty and `optional`. */
  size(a: Accessor | undefined, what: string, optional: true): number | undefined;
  size(a: Accessor | undefined, what: string, optional: false): number;
  size(a: Accessor | undefined, what: string, optional: boolean): number | undefined {
    const c = this.raw(a);
    if (c === undefined) {
      if (optional) return undefined;
      throw new BadRow(`${what} is missing${a ? ` (column ${a.name})` : ''}`);
    }
    const v = typeof c === 'number' ? c : numberOf(c);
    if (!Number.isFinite(v)) throw new BadRow(`${what} is not a number: ${JSON.stringify(c)}`);
    if (v < 0) throw new BadRow(`${what} must not be negative: ${c}`);
    return v;
  }

  /** A time cell → epoch ms (unit, day and zone applied), or undefined when absent. */
  time(a: Accessor | undefined, what: string): Millis | undefined {
    const c = this.raw(a);
    if (c === undefined) return undefined;
    const unit = this.cfg.tsUnit;
    let t = typeof c === 'number' && unit === 'ms' ? c : unit === 'ms' ? numberOf(String(c)) : unit === 'iso' ? isoToMs(String(c), this.cfg.tz) : unitToMs(String(c), unit);
    if (!Number.isFinite(t)) throw new BadRow(`${what} is not a ${unit === 'iso' ? 'ISO 8601 date-time' : `number of ${unit}`}: ${JSON.stringify(c)}`);
    if (this.day) t = atLocal(this.day, t);
    return t;
  }

  /** Whether the last rowTime() came from `tsEvent` (else from `ts`). */
  isEvent = false;

  /**
   * The row's time: `tsEvent` when present (isEvent true), else `ts`. Checks that it does not go backwards and that an
   * NDJSON tick line is of the kind and instrument being imported.
   */
  rowTime(): Millis {
    const f = this.plan.fields;
    const kind = this.text(f.kind);
    if (kind !== undefined && kind !== this.expectKind) {
      throw new BadRow(`kind is "${kind}", not ${this.expectKind}: import it with the matching kind (or kind 'ticks' for a mixed NDJSON file)`);
    }
    const inst = this.text(f.instrumentId);
    if (inst !== undefined && inst !== this.cfg.instrument) {
      throw new BadRow(`instrumentId is "${inst}", not the instrument being imported (${this.cfg.instrument})`);
    }
    const ev = this.time(f.tsEvent, 'tsEvent');
    const t = ev ?? this.time(f.ts, 'ts');
    if (t === undefined) throw new BadRow(`time is missing (column ${f.ts?.name ?? f.tsEvent?.name ?? 'ts'})`);
    if (t < this.lastTs) throw new BadRow(`time goes backwards: ${iso(t)} is before the previous row's ${iso(this.lastTs)}`);
    this.isEvent = ev !== undefined;
    return t;
  }

  /** Marks the row read: its time is the new floor for the next one. */
  commit(t: Millis): void {
    this.lastTs = t;
  }
}

const iso = (t: number): string => (Math.abs(t) < 8.64e15 ? new Date(t).toISOString() : String(t));
