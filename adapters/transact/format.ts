/** Engine commands → TransAct command arguments (CONTRACT.md). Prices and quantities go out as exact decimal strings. */
import type { CancelOrder, SubmitOrder } from '../../engine/model/commands.js';
import { D } from '../../engine/model/decimal.js';
import { CLIENT_ID_PATTERN } from './constants.js';

export type Formatted = { readonly args: Readonly<Record<string, unknown>> } | { readonly unsupported: string };

/** A number as the venue wants it: a plain decimal string, never exponent notation. */
export const decimalString = (x: number): string => D(x).toFixed();

export function formatNewOrder(cmd: SubmitOrder, symbol: string): Formatted {
  if (!CLIENT_ID_PATTERN.test(cmd.clientOrderId)) return { unsupported: `client order id ${cmd.clientOrderId} is not a valid TransAct client_id (1-64 of [A-Za-z0-9_.:-])` };
  if (cmd.postOnly && cmd.type !== 'limit') return { unsupported: 'NOT_SUPPORTED: only a limit order can be post-only' };
  if (cmd.reduceOnly) return { unsupported: 'NOT_SUPPORTED: TransAct has no reduce-only orders' };
  if (cmd.timeInForce !== 'GTC' && cmd.timeInForce !== 'IOC') return { unsupported: `NOT_SUPPORTED: time in force ${cmd.timeInForce}` };
  if (cmd.type === 'limit' && cmd.price === undefined) return { unsupported: 'a limit order needs a price' };
  return {
    args: {
      client_id: cmd.clientOrderId,
      symbol,
      side: cmd.side === 'buy' ? 'BUY' : 'SELL',
      type: cmd.type === 'limit' ? 'LIMIT' : 'MARKET',
      qty: decimalString(cmd.quantity),
      ...(cmd.type === 'limit' && cmd.price !== undefined ? { price: decimalString(cmd.price) } : {}),
      tif: cmd.type === 'market' ? 'IOC' : cmd.timeInForce,
      ...(cmd.postOnly ? { post_only: true } : {}),
    },
  };
}

export function formatCancel(cmd: CancelOrder): Readonly<Record<string, unknown>> {
  return { client_id: cmd.clientOrderId };
}
