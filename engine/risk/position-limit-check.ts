/**
 * Position limits, worst case: projected = current position + this order (signed) + the leaves of every open order
 * on the same instrument and side (all strategies). |projected| is checked against maxPositionQty, and
 * |projected| × reference price × contractSize against maxPositionNotional (reference price: the order's limit price,
 * else the last mid; skipped when there is neither).
 * An order that reduces |position| (|position + order| < |position|) is never denied here. For a modify only the
 * increase of quantity counts (the order's current leaves are already among the open orders).
 */
import { addExact, compareApprox, D, subExact } from '../model/decimal.js';
import { leavesQty } from '../model/order.js';
import { limitFor } from './limits.js';
import { approve, deny, type OrderCheck } from './types.js';

export const checkPositionLimits: OrderCheck = (cmd, env, limits, { instrument, modifying }) => {
  const id = instrument.id;
  const maxQty = limitFor(limits.maxPositionQty, id);
  const maxNotional = limitFor(limits.maxPositionNotional, id);
  if (maxQty === undefined && maxNotional === undefined) return approve(cmd);
  const added = modifying ? subExact(cmd.quantity, modifying.quantity) : cmd.quantity;
  if (added <= 0) return approve(cmd); // a modify that does not raise the quantity adds no exposure
  const sign = cmd.side === 'buy' ? 1 : -1;
  const pos = env.positionQty(id);
  const after = addExact(pos, sign * added);
  if (Math.abs(after) < Math.abs(pos)) return approve(cmd);

  let pending = 0;
  for (const o of env.openOrdersFor(id)) {
    // A submit is not open yet; if the engine already tracks it, it must not count twice. A modified order's current
    // leaves do count: `added` is only its increase.
    if (o.side === cmd.side && (modifying !== undefined || o.clientOrderId !== cmd.clientOrderId)) {
      pending = addExact(pending, leavesQty(o));
    }
  }
  const projected = addExact(after, sign * pending);
  const size = Math.abs(projected);
  const parts = `position ${pos}, this ${cmd.side} ${added}, open ${cmd.side}s ${pending}`;
  if (maxQty !== undefined && size > maxQty) {
    return deny('POSITION_LIMIT', `projected position ${projected} (${parts}) exceeds the limit ${maxQty} for ${id}`);
  }
  if (maxNotional === undefined) return approve(cmd);
  const ref = cmd.price ?? env.lastMid(id);
  if (ref === undefined || !Number.isFinite(ref) || ref <= 0) return approve(cmd);
  if (compareApprox(size * ref * instrument.contractSize, maxNotional) > 0) {
    const notional = D(size).times(ref).times(instrument.contractSize);
    return deny(
      'POSITION_NOTIONAL_LIMIT',
      `projected position notional ${notional.toString()} (${size} at ${ref}; ${parts}) exceeds the limit ` +
        `${maxNotional} for ${id}`,
    );
  }
  return approve(cmd);
};
