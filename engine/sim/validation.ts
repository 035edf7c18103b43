import type { Instrument } from '../model/instrument.js';

/** A command's quantity as whole qty steps, or undefined when it is not a positive on-grid number. */
export function validQtyUnits(instrument: Instrument, quantity: number): number | undefined {
  if (!Number.isFinite(quantity) || !(quantity > 0) || !instrument.qtyGrid.isOnGrid(quantity)) return undefined;
  const units = instrument.qtyGrid.units(quantity, 'nearest');
  return units >= 1 && Number.isSafeInteger(units) ? units : undefined;
}

/** A command's limit price as the exact carrier on the price grid, or undefined when it is not a finite on-grid number. */
export function validPrice(instrument: Instrument, price: number): number | undefined {
  if (!Number.isFinite(price) || !instrument.priceGrid.isOnGrid(price)) return undefined;
  return instrument.priceGrid.round(price, 'nearest');
}
