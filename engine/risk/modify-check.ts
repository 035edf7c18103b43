/**
 * A ModifyOrder is checked as the order it would leave behind: the target must exist, be open and belong to the
 * command's strategy, instrument and side (UNKNOWN_ORDER / INVALID_INTENT), then `modifyDraft` turns it into a
 * SubmitOrder-shaped draft (new price/quantity, undefined = unchanged) that goes through the same per-order checks as a
 * submit with `ctx.modifying` set, and `applyDraft` carries any rounding back into the ModifyOrder.
 */
import type { ModifyOrder, SubmitOrder } from '../model/commands.js';
import { isOpenStatus, type Order } from '../model/order.js';
import { approve, deny, type RiskVerdict } from './types.js';

export function checkModifyTarget(cmd: ModifyOrder, order: Order | undefined): RiskVerdict<ModifyOrder> {
  const id = cmd.clientOrderId;
  if (!order) return deny('UNKNOWN_ORDER', `no order ${id} to modify`);
  if (!isOpenStatus(order.status)) {
    return deny('UNKNOWN_ORDER', `order ${id} is ${order.status}, not open: cannot modify`);
  }
  if (order.strategyId !== cmd.strategyId) {
    return deny('INVALID_INTENT', `order ${id} belongs to strategy ${order.strategyId}, not ${cmd.strategyId}`);
  }
  if (order.instrumentId !== cmd.instrumentId || order.side !== cmd.side) {
    return deny(
      'INVALID_INTENT',
      `modify of ${id} names ${cmd.side} ${cmd.instrumentId}, but the order is ${order.side} ${order.instrumentId}`,
    );
  }
  if (cmd.price === undefined && cmd.quantity === undefined) {
    return deny('INVALID_INTENT', `modify of ${id} changes neither price nor quantity`);
  }
  return approve(cmd);
}

/** The order as it would be after the modify, in the shape the per-order checks take. */
export function modifyDraft(cmd: ModifyOrder, order: Order): SubmitOrder {
  return {
    kind: 'SubmitOrder',
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    side: order.side,
    type: order.type,
    quantity: cmd.quantity ?? order.quantity,
    ...(cmd.price !== undefined ? { price: cmd.price } : order.price !== undefined ? { price: order.price } : {}),
    timeInForce: order.timeInForce,
    ...(order.expireAt !== undefined ? { expireAt: order.expireAt } : {}),
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    ...(order.tag !== undefined ? { tag: order.tag } : {}),
    tsInit: cmd.tsInit,
  };
}

/** Copies the checked (possibly rounded / truncated) price and quantity back; unchanged fields stay undefined. */
export function applyDraft(cmd: ModifyOrder, draft: SubmitOrder): ModifyOrder {
  const price = cmd.price === undefined ? undefined : draft.price;
  const quantity = cmd.quantity === undefined ? undefined : draft.quantity;
  if (price === cmd.price && quantity === cmd.quantity) return cmd;
  return {
    ...cmd,
    ...(price !== undefined ? { price } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
  };
}
