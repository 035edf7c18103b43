/**
 * Reduce-only: the order must be on the opposite side of the current position, and its quantity (for a modify: its
 * new leaves) must fit in |position| minus the leaves of the other open reduce-only orders on the same instrument and
 * side (all strategies), so that all of them filling together cannot flip the position.
 */
import { addExact, subExact } from '../model/decimal.js';
import { leavesQty } from '../model/order.js';
import { approve, deny, type OrderCheck } from './types.js';

export const checkReduceOnly: OrderCheck = (cmd, env, _limits, { instrument, modifying }) => {
  if (!cmd.reduceOnly) return approve(cmd);
  const id = instrument.id;
  const pos = env.positionQty(id);
  const qty = modifying ? subExact(cmd.quantity, modifying.filledQty) : cmd.quantity;
  const prefix = `reduce-only ${cmd.side} ${qty} on ${id}`;
  if (pos === 0) return deny('REDUCE_ONLY', `${prefix} has no position to reduce`);
  const side = pos > 0 ? 'long' : 'short';
  const size = Math.abs(pos);
  if ((pos > 0) === (cmd.side === 'buy')) {
    return deny('REDUCE_ONLY', `${prefix} would increase the ${side} position ${size}`);
  }
  let reserved = 0;
  for (const o of env.openOrdersFor(id)) {
    if (o.reduceOnly && o.side === cmd.side && o.clientOrderId !== cmd.clientOrderId) {
      reserved = addExact(reserved, leavesQty(o));
    }
  }
  const room = Math.max(0, subExact(size, reserved));
  if (qty > room) {
    const held = reserved > 0 ? ` (${reserved} already held by other reduce-only orders)` : '';
    return deny('REDUCE_ONLY', `${prefix} exceeds the ${room} left to reduce of the ${side} position ${size}${held}`);
  }
  return approve(cmd);
};
