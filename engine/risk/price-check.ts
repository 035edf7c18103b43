/**
 * Price grid and bounds. An off-tick price is rounded side-aware (a buy down, a sell up: never a worse price than
 * asked) under pricePolicy 'round' (default), or denied PRICE_OFF_TICK under 'reject'. A price on the tick up to float
 * residue (0.1 + 0.2) is snapped to the exact grid value. Rounding is exact at every size (model/decimal.ts); a price
 * whose tick-rounded value no number carries exactly (beyond 2^53 ticks) is INVALID_PRICE, never sent approximately.
 * Then instrument min/max price. Market orders carry no price.
 */
import { roundPrice } from '../model/decimal.js';
import { approve, deny, type OrderCheck } from './types.js';

export const checkPrice: OrderCheck = (cmd, _env, limits, { instrument }) => {
  const asked = cmd.price;
  if (asked === undefined) return approve(cmd);
  const grid = instrument.priceGrid;
  const onGrid = grid.isOnGrid(asked);
  const price = onGrid ? grid.round(asked, 'nearest') : roundPrice(grid, asked, cmd.side);
  if (Number.isNaN(price)) {
    return deny('INVALID_PRICE', `price ${asked} is beyond the exact range of the tick ${instrument.tickSize} for ${instrument.id} ` +
      `(more ticks or digits than a number carries exactly)`);
  }
  if (!onGrid && limits.pricePolicy === 'reject') {
    return deny('PRICE_OFF_TICK', `price ${asked} is not on the tick ${instrument.tickSize} for ${instrument.id}`);
  }
  const shown = price === asked ? `price ${price}` : `price ${price} (rounded from ${asked})`;
  if (!(price > 0)) {
    const tick = instrument.tickSize;
    return deny('INVALID_PRICE', `price ${asked} rounds to ${price} at the tick ${tick} for ${instrument.id}`);
  }
  if (instrument.minPrice !== undefined && price < instrument.minPrice) {
    return deny('PRICE_BELOW_MIN', `${shown} is below the minimum ${instrument.minPrice} for ${instrument.id}`);
  }
  if (instrument.maxPrice !== undefined && price > instrument.maxPrice) {
    return deny('PRICE_ABOVE_MAX', `${shown} exceeds the maximum ${instrument.maxPrice} for ${instrument.id}`);
  }
  return price === asked ? approve(cmd) : approve(Object.assign({ kind: cmd.kind }, cmd, { price }));
};
