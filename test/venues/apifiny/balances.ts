/** An account's balances at the venue: amount (total) and frozen per currency, exact (decimal.js); available = amount − frozen. */
import { D, ZERO, type Decimal } from '../../../engine/model/decimal.js';

export interface BalanceRow {
  readonly currency: string;
  readonly amount: number;
  readonly available: number;
  readonly frozen: number;
  readonly updatedAt: number;
}

/** A change of one currency: deltas added to amount and to frozen. */
export interface BalanceChange {
  readonly currency: string;
  readonly amount?: Decimal;
  readonly frozen?: Decimal;
}

export interface BalanceLedger {
  available(currency: string): Decimal;
  /** Applies the changes together and reports the currencies touched (once). */
  apply(changes: readonly BalanceChange[], now: number): void;
  rows(currencies?: readonly string[]): BalanceRow[];
}

interface Balance {
  amount: Decimal;
  frozen: Decimal;
  updatedAt: number;
}

export function createBalanceLedger(
  initial: Readonly<Record<string, number | string>>,
  now: number,
  onChange: (currencies: readonly string[]) => void,
): BalanceLedger {
  const balances = new Map<string, Balance>();
  for (const [currency, amount] of Object.entries(initial)) balances.set(currency, { amount: D(amount), frozen: ZERO, updatedAt: now });
  const get = (currency: string): Balance => {
    let b = balances.get(currency);
    if (b === undefined) balances.set(currency, (b = { amount: ZERO, frozen: ZERO, updatedAt: now }));
    return b;
  };
  const row = (currency: string, b: Balance): BalanceRow => ({
    currency,
    amount: b.amount.toNumber(),
    available: b.amount.minus(b.frozen).toNumber(),
    frozen: b.frozen.toNumber(),
    updatedAt: b.updatedAt,
  });
  return {
    available: (currency) => {
      const b = balances.get(currency);
      return b === undefined ? ZERO : b.amount.minus(b.frozen);
    },
    apply(changes, t) {
      const touched = new Set<string>();
      for (const c of changes) {
        const b = get(c.currency);
        if (c.amount !== undefined) b.amount = b.amount.plus(c.amount);
        if (c.frozen !== undefined) b.frozen = b.frozen.plus(c.frozen);
        b.updatedAt = t;
        touched.add(c.currency);
      }
      if (touched.size > 0) onChange([...touched]);
    },
    rows: (currencies) =>
      currencies === undefined ? [...balances].map(([c, b]) => row(c, b)) : currencies.map((c) => row(c, get(c))),
  };
}
