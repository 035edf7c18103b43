/**
 * Quantity grid and bounds. An off-step quantity is truncated down to the step under qtyPolicy 'truncate' (default),
 * or denied QTY_OFF_STEP under 'reject'; a quantity on the step up to float residue (0.1 + 0.2) is snapped to the
 * exact grid value. A quantity that truncates to zero is QTY_ZERO, one below instrument.minQty QTY_BELOW_MIN, one
 * above the stricter of instrument.maxQty and limits.maxOrderQty QTY_ABOVE_MAX. Truncation is exact at every size
 * (model/decimal.ts); a quantity whose truncated value no number carries exactly (beyond 2^53 steps) is QTY_ABOVE_MAX
 * too. None is ever sent.
 * For a modify, the new total quantity must also stay above what has already filled.
 */
import { truncateQty } from '../model/decimal.js';
import { limitFor, minDefined } from './limits.js';
import { approve, deny, type OrderCheck } from './types.js';

export const checkQuantity: OrderCheck = (cmd, _env, limits, { instrument, modifying }) => {
  const asked = cmd.quantity;
  const grid = instrument.qtyGrid;
  const onGrid = grid.isOnGrid(asked);
  const id = instrument.id;
  const qty = onGrid ? grid.round(asked, 'nearest') : truncateQty(grid, asked);
  if (Number.isNaN(qty)) {
    return deny('QTY_ABOVE_MAX', `quantity ${asked} is beyond the exact range of the step ${instrument.stepSize} for ${id} ` +
      `(more steps or digits than a number carries exactly)`);
  }
  if (!onGrid && limits.qtyPolicy === 'reject') {
    return deny('QTY_OFF_STEP', `quantity ${asked} is not a multiple of the step ${instrument.stepSize} for ${id}`);
  }
  if (!(qty > 0)) {
    return deny('QTY_ZERO', `quantity ${asked} truncates to zero at the step ${instrument.stepSize} for ${id}`);
  }
  const shown = qty === asked ? `quantity ${qty}` : `quantity ${qty} (truncated from ${asked})`;
  if (instrument.minQty !== undefined && qty < instrument.minQty) {
    return deny('QTY_BELOW_MIN', `${shown} is below the minimum ${instrument.minQty} for ${id}`);
  }
  const max = minDefined(instrument.maxQty, limitFor(limits.maxOrderQty, id));
  if (max !== undefined && qty > max) {
    return deny('QTY_ABOVE_MAX', `${shown} exceeds the per-order maximum ${max} for ${id}`);
  }
  if (modifying && qty <= modifying.filledQty) {
    return deny(
      'INVALID_INTENT',
      `${shown} is not above the ${modifying.filledQty} already filled on order ${modifying.clientOrderId}`,
    );
  }
  return qty === asked ? approve(cmd) : approve(Object.assign({ kind: cmd.kind }, cmd, { quantity: qty }));
};
