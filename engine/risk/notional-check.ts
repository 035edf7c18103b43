/**
 * Per-order notional = price × quantity × contractSize, against the stricter of the instrument's and the configured
 * min/max. A limit order is valued at its (rounded) price, a market order at the last mid. The product is a float
 * (this runs on every order) compared with compareApprox, so float residue at the boundary cannot flip a verdict: a
 * notional exactly equal to a limit passes. The exact product (decimal.js) is only made for the denial message.
 */
import { compareApprox, D } from '../model/decimal.js';
import { limitFor, maxDefined, minDefined } from './limits.js';
import { approve, deny, type OrderCheck } from './types.js';

export const checkNotional: OrderCheck = (cmd, env, limits, { instrument }) => {
  const id = instrument.id;
  const min = maxDefined(instrument.minNotional, limitFor(limits.minNotional, id));
  const max = minDefined(instrument.maxNotional, limitFor(limits.maxNotional, id));
  if (min === undefined && max === undefined) return approve(cmd);
  const mid = cmd.price === undefined ? env.lastMid(id) : undefined;
  const ref = cmd.price ?? mid;
  // A market order with no last mid has nothing to be valued at: its notional checks are skipped (the venue's own
  // checks still apply). Position-notional limits are skipped the same way.
  if (ref === undefined || !Number.isFinite(ref) || ref <= 0) return approve(cmd);
  const n = ref * cmd.quantity * instrument.contractSize;
  const at = mid === undefined ? '' : ` (at the last mid ${mid})`;
  const shown = (): string => `notional ${D(ref).times(cmd.quantity).times(instrument.contractSize).toString()}${at}`;
  if (min !== undefined && compareApprox(n, min) < 0) {
    return deny('NOTIONAL_BELOW_MIN', `${shown()} is below the minimum ${min} for ${id}`);
  }
  if (max !== undefined && compareApprox(n, max) > 0) {
    return deny('NOTIONAL_ABOVE_MAX', `${shown()} exceeds the per-order maximum ${max} for ${id}`);
  }
  return approve(cmd);
};
