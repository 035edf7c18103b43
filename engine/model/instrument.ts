import { createGrid, type Grid } from './decimal.js';
import type { InstrumentId, VenueId } from './ids.js';

/** What an instrument spec must say; the rest is derived. */
export interface InstrumentSpec {
  readonly id: InstrumentId;
  readonly venue: VenueId;
  readonly venueSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minQty?: number;
  readonly maxQty?: number;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly minNotional?: number;
  readonly maxNotional?: number;
  /** Fee rates as fractions of notional (0.001 = 10 bp). Negative maker fee = rebate. */
  readonly makerFee?: number;
  readonly takerFee?: number;
  /** Notional multiplier (1 for spot). */
  readonly contractSize?: number;
}

export interface Instrument extends Required<Pick<InstrumentSpec, 'makerFee' | 'takerFee' | 'contractSize'>>,
  Omit<InstrumentSpec, 'makerFee' | 'takerFee' | 'contractSize'> {
  readonly pricePrecision: number;
  readonly qtyPrecision: number;
  readonly priceGrid: Grid;
  readonly qtyGrid: Grid;
}

/** Validates a spec and derives precisions and grids. Throws on a spec that cannot be traded (a broken invariant). */
export function defineInstrument(spec: InstrumentSpec): Instrument {
  const problems: string[] = [];
  if (!/^[^.\s]+\.[^.\s]+$/.test(spec.id)) problems.push(`id "${spec.id}" must look like SYMBOL.VENUE`);
  for (const k of ['tickSize', 'stepSize'] as const) {
    if (!(spec[k] > 0) || !Number.isFinite(spec[k])) problems.push(`${k} must be a positive number, got ${spec[k]}`);
  }
  for (const k of ['minQty', 'maxQty', 'minPrice', 'maxPrice', 'minNotional', 'maxNotional', 'contractSize'] as const) {
    const v = spec[k];
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) problems.push(`${k} must be a non-negative number, got ${v}`);
  }
  if (problems.length) throw new Error(`instrument ${spec.id}: ${problems.join('; ')}`);
  const priceGrid = createGrid(spec.tickSize);
  const qtyGrid = createGrid(spec.stepSize);
  return Object.freeze({
    ...spec,
    makerFee: spec.makerFee ?? 0,
    takerFee: spec.takerFee ?? 0,
    contractSize: spec.contractSize ?? 1,
    pricePrecision: priceGrid.decimals,
    qtyPrecision: qtyGrid.decimals,
    priceGrid,
    qtyGrid,
  });
}
