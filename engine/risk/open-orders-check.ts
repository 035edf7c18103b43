/** maxOpenOrders per strategy (all instruments). A modify does not open an order and is not counted. */
import { approve, deny, type OrderCheck } from './types.js';

export const checkOpenOrders: OrderCheck = (cmd, env, limits, { modifying }) => {
  const max = limits.maxOpenOrders;
  if (max === undefined || modifying) return approve(cmd);
  // The engine may already track the new order (INITIALIZED); it must not count against itself.
  let open = 0;
  for (const o of env.openOrders(cmd.strategyId)) if (o.clientOrderId !== cmd.clientOrderId) open++;
  if (open < max) return approve(cmd);
  return deny('MAX_OPEN_ORDERS', `strategy ${cmd.strategyId} has ${open} open orders, the maximum is ${max}`);
};
