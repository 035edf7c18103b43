/**
 * Structural checks that need no instrument: a finite positive quantity, a finite positive price on a limit order,
 * no price on a market order, coherent flags. Runs right after the trading-state check.
 */
import type { SubmitOrder } from '../model/commands.js';
import { approve, deny, type RiskVerdict } from './types.js';

const SIDES: ReadonlySet<string> = new Set(['buy', 'sell']);
const TIFS: ReadonlySet<string> = new Set(['GTC', 'IOC', 'FOK', 'GTD']);

const show = (x: unknown): string => (typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));

export function checkOrderShape(cmd: SubmitOrder): RiskVerdict<SubmitOrder> {
  const { quantity: qty, price } = cmd;
  if (!SIDES.has(cmd.side)) return deny('INVALID_INTENT', `side must be buy or sell, got ${show(cmd.side)}`);
  if (typeof qty !== 'number' || !Number.isFinite(qty) || qty < 0) {
    return deny('INVALID_INTENT', `quantity must be a finite number above zero, got ${show(qty)}`);
  }
  if (qty === 0) return deny('QTY_ZERO', `quantity is zero for ${cmd.instrumentId}`);
  if (!TIFS.has(cmd.timeInForce)) return deny('INVALID_INTENT', `unknown time in force ${show(cmd.timeInForce)}`);
  if (cmd.timeInForce === 'GTD' && !(typeof cmd.expireAt === 'number' && Number.isFinite(cmd.expireAt))) {
    return deny('INVALID_INTENT', `a GTD order needs an expiry time, got ${show(cmd.expireAt)}`);
  }
  switch (cmd.type) {
    case 'limit':
      if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
        return deny('INVALID_PRICE', `a limit ${cmd.side} needs a finite price above zero, got ${show(price)}`);
      }
      return approve(cmd);
    case 'market':
      if (price !== undefined) return deny('INVALID_INTENT', `a market order carries no price, got ${show(price)}`);
      if (cmd.postOnly) return deny('INVALID_INTENT', 'a market order cannot be post-only');
      return approve(cmd);
    default:
      return deny('INVALID_INTENT', `unknown order type ${show(cmd.type as unknown)}`);
  }
}
