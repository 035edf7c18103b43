/**
 * Fat-finger band: a limit price more than priceBandPct percent away from the last mid is denied PRICE_BAND.
 * Skipped for market orders, when no band is configured, when there is no usable mid, and for a modify that leaves
 * the price unchanged (the market may have moved away from a resting order; that is not a new fat finger).
 */
import { compareApprox } from '../model/decimal.js';
import { approve, deny, type OrderCheck } from './types.js';

const pct = (x: number): string => String(Number(x.toPrecision(6)));

export const checkPriceBand: OrderCheck = (cmd, env, limits, { instrument, modifying }) => {
  const band = limits.priceBandPct;
  const price = cmd.price;
  if (band === undefined || cmd.type !== 'limit' || price === undefined) return approve(cmd);
  if (modifying && modifying.price === price) return approve(cmd);
  const mid = env.lastMid(instrument.id);
  if (mid === undefined || !Number.isFinite(mid) || mid <= 0) return approve(cmd);
  // |price − mid| / mid × 100 > band, compared without the division so residue cannot flip the boundary.
  const off = Math.abs(price - mid);
  if (compareApprox(off * 100, band * mid) <= 0) return approve(cmd);
  return deny(
    'PRICE_BAND',
    `limit ${cmd.side} price ${price} is ${pct((off / mid) * 100)}% away from the last mid ${mid} ` +
      `for ${instrument.id}, beyond the ${band}% band`,
  );
};
