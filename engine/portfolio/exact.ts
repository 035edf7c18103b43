/**
 * Sums, differences and products of the finite decimals positions are made of, never rounded: the precision is
 * decimal.js's maximum, so a result has as many digits as it needs. Never divide with it (a quotient would run to that
 * many digits): divide by `Decimal` (34 significant digits). Results are handed out as `Decimal` (`out`), so code
 * that later divides a position's fields divides at 34 digits.
 */
import { Decimal } from '../model/decimal.js';

const Exact = Decimal.clone({ precision: 1e9 });

type DecimalLike = Decimal | number | string;

export const exact = (x: DecimalLike): Decimal => new Exact(x);
export const add = (a: DecimalLike, b: DecimalLike): Decimal => Exact.add(a, b);
export const sub = (a: DecimalLike, b: DecimalLike): Decimal => Exact.sub(a, b);
export const mul = (a: DecimalLike, b: DecimalLike): Decimal => Exact.mul(a, b);
/** The same value as a 34-digit `Decimal` (not rounded: construction keeps every digit). */
export const out = (x: Decimal): Decimal => new Decimal(x);
