/**
 * Position limits, worst case: projected = current position + this order (signed) + the leaves of every open order
 * on the same instrument and side (all strategies). |projected| is checked against maxPositionQty, and
 * |projected| × reference price × contractSize against maxPositionNotional (reference price: the order's limit price,
 * else the last mid; skipped when there is neither).
 *
 * Exits: an order on the side opposite the position passes, even above the limits, when the projected position
 * (this order AND the open orders on its side all filled) stays between flat and the current position, i.e. it only
 * shrinks the position. Stacked exits that would together flip the position are judged like any other order: the
 * flipped projection must fit the limits. So a single order can always take the position to flat or to within the
 * limit on the other side, but five sells of 1.5 on a long 1 with a limit of 1 cannot all pass.
 *
 * Modify (the command is the order as it would be after the modify, see modify-check.ts): the order's current leaves
 * are already among the open orders, so only the change of quantity is added. A modify that neither raises the
 * quantity nor the price is never denied here; one that raises only the price is checked for position notional at the
 * new price (the quantity limit cannot be crossed by a price change).
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
  const increase = modifying ? subExact(cmd.quantity, modifying.quantity) : cmd.quantity;
  const repriced =
    modifying !== undefined && cmd.price !== undefined && (modifying.price === undefined || cmd.price > modifying.price);
  if (increase <= 0 && !repriced) return approve(cmd); // a modify that raises neither quantity nor price adds nothing
  // The order's own change: the increase (a shrink counts as negative, never below its current leaves).
  const added = modifying ? Math.max(increase, -leavesQty(modifying)) : increase;
  const sign = cmd.side === 'buy' ? 1 : -1;
  const pos = env.positionQty(id);

  let pending = 0;
  for (const o of env.openOrdersFor(id)) {
    // A submit is not open yet; if the engine already tracks it, it must not count twice. A modified order's current
    // leaves do count: `added` is only its increase.
    if (o.side === cmd.side && (modifying !== undefined || o.clientOrderId !== cmd.clientOrderId)) {
      pending = addExact(pending, leavesQty(o));
    }
  }
  const projected = addExact(pos, sign * addExact(added, pending));
  // An exit: against the position, and even with every open order on its side filled it does not go past flat.
  if (pos !== 0 && Math.sign(pos) !== sign && Math.sign(projected) !== sign) return approve(cmd);

  const size = Math.abs(projected);
  const parts = `position ${pos}, this ${cmd.side} ${added}, open ${cmd.side}s ${pending}`;
  if (maxQty !== undefined && increase > 0 && size > maxQty) {
    return deny('POSITION_LIMIT', `projected position ${projected} (${parts}) exceeds the limit ${maxQty} for ${id}`);
  }
  if (maxNotional === undefined) return approve(cmd);
  const ref = cmd.price ?? env.lastMid(id);
  if (ref === undefined || !Number.isFinite(ref) || ref <= 0) return approve(cmd);
  if (compareApprox(size * ref * instrument.contractSize, maxNotional) > 0) {
    const notional = D(size).times(ref).times(instrument.contractSize);
    const from = repriced && modifying?.price !== undefined ? `, repriced from ${modifying.price}` : '';
    return deny(
      'POSITION_NOTIONAL_LIMIT',
      `projected position notional ${notional.toString()} (${size} at ${ref}${from}; ${parts}) exceeds the limit ` +
        `${maxNotional} for ${id}`,
    );
  }
  return approve(cmd);
};
