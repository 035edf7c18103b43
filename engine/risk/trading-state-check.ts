/**
 * The kill switch. HALTED denies every submit and modify (run first, it wins over every other check). REDUCING lets
 * through only an order that reduces the current position without flipping it (run after the price and quantity
 * checks, so it judges the truncated quantity). Cancels are never checked here.
 *
 * Under REDUCING the order's quantity (for a modify: its new leaves) must fit in |position| minus the leaves of every
 * other open order on the same instrument and side (all strategies, reduce-only or not), so that all of them filling
 * together cannot flip the position (as reduce-only-check.ts does for reduce-only orders). A modify that only shrinks
 * an order without moving its price always passes.
 */
import type { ModifyOrder, SubmitOrder } from '../model/commands.js';
import { addExact, subExact } from '../model/decimal.js';
import { leavesQty } from '../model/order.js';
import { approve, deny, type OrderCheck, type RiskVerdict, type TradingState } from './types.js';

export function checkTradingState<C extends SubmitOrder | ModifyOrder>(cmd: C, state: TradingState): RiskVerdict<C> {
  if (state !== 'HALTED') return approve(cmd);
  const what = cmd.kind === 'SubmitOrder' ? `new ${cmd.side} order` : `modify of order ${cmd.clientOrderId}`;
  return deny('TRADING_HALTED', `trading is halted: ${what} on ${cmd.instrumentId} denied`);
}

export const checkReducing: OrderCheck = (cmd, env, _limits, { state, modifying }) => {
  if (state !== 'REDUCING') return approve(cmd);
  // Shrinking an order without moving its price only lowers exposure.
  if (modifying && cmd.quantity < modifying.quantity && cmd.price === modifying.price) return approve(cmd);
  const pos = env.positionQty(cmd.instrumentId);
  const qty = modifying ? subExact(cmd.quantity, modifying.filledQty) : cmd.quantity;
  const prefix = `trading is reducing: ${cmd.side} ${qty} on ${cmd.instrumentId}`;
  if (pos === 0) return deny('TRADING_REDUCING', `${prefix} would open a position (flat)`);
  const long = pos > 0;
  const side = long ? 'long' : 'short';
  const size = Math.abs(pos);
  if (long === (cmd.side === 'buy')) {
    return deny('TRADING_REDUCING', `${prefix} would increase the ${side} position ${size}`);
  }
  // The other open orders on this side may fill first (a modified order's own leaves are replaced by `qty`; a submit
  // the engine already tracks is not counted twice).
  let held = 0;
  for (const o of env.openOrdersFor(cmd.instrumentId)) {
    if (o.side === cmd.side && o.clientOrderId !== cmd.clientOrderId) held = addExact(held, leavesQty(o));
  }
  const room = Math.max(0, subExact(size, held));
  if (qty > room) {
    const why = held > 0 ? ` (only ${room} left to reduce, ${held} held by open ${cmd.side}s)` : '';
    return deny('TRADING_REDUCING', `${prefix} would flip the ${side} position ${size}${why}`);
  }
  return approve(cmd);
};
