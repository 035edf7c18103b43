/**
 * The kill switch. HALTED denies every submit and modify (run first, it wins over every other check). REDUCING lets
 * through only an order that reduces the current position without flipping it (run after the price and quantity
 * checks, so it judges the truncated quantity). Cancels are never checked here.
 */
import type { ModifyOrder, SubmitOrder } from '../model/commands.js';
import { subExact } from '../model/decimal.js';
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
  if (long === (cmd.side === 'buy')) {
    return deny('TRADING_REDUCING', `${prefix} would increase the ${side} position ${Math.abs(pos)}`);
  }
  if (qty > Math.abs(pos)) {
    return deny('TRADING_REDUCING', `${prefix} would flip the ${side} position ${Math.abs(pos)}`);
  }
  return approve(cmd);
};
