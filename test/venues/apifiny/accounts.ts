/** Accounts, their API keys and balances. Account "STA-00000001" trades at this venue as sub-account "STA-VENUE1_00000001". */
import { createBalanceLedger, type BalanceLedger } from './balances.js';
import type { ApifinyKey, AuthLookup } from './jwt-auth.js';
import { accountNumber } from './order-id.js';

export interface ApifinyAccountSpec {
  readonly accountId: string;
  readonly keys: readonly { readonly secretKeyId: string; readonly secret: string }[];
  /** Starting balances per currency; default DEFAULT_BALANCES. */
  readonly balances?: Readonly<Record<string, number | string>>;
}

export const DEFAULT_BALANCES: Readonly<Record<string, number>> = { USD: 1_000_000, BTC: 10, ETH: 100 };

export interface SimAccount {
  readonly accountId: string;
  readonly subAccountId: string;
  readonly createdAt: number;
  readonly balances: BalanceLedger;
}

export interface AccountRegistry extends AuthLookup {
  get(accountId: string): SimAccount | undefined;
  all(): readonly SimAccount[];
}

export function subAccountIdOf(accountId: string, venue: string): string {
  const dash = accountId.lastIndexOf('-');
  const prefix = dash >= 0 ? accountId.slice(0, dash) : accountId;
  return `${prefix}-${venue}_${accountNumber(accountId)}`;
}

export function createAccountRegistry(
  specs: readonly ApifinyAccountSpec[],
  venue: string,
  now: number,
  onBalanceChange: (account: SimAccount, currencies: readonly string[]) => void,
): AccountRegistry {
  const accounts = new Map<string, SimAccount>();
  const keys = new Map<string, ApifinyKey>();
  for (const spec of specs) {
    const account: SimAccount = {
      accountId: spec.accountId,
      subAccountId: subAccountIdOf(spec.accountId, venue),
      createdAt: now,
      balances: createBalanceLedger(spec.balances ?? DEFAULT_BALANCES, now, (currencies) => onBalanceChange(account, currencies)),
    };
    accounts.set(spec.accountId, account);
    for (const k of spec.keys) keys.set(k.secretKeyId, { accountId: spec.accountId, secretKeyId: k.secretKeyId, secret: k.secret });
  }
  return {
    get: (id) => accounts.get(id),
    all: () => [...accounts.values()],
    accountExists: (id) => accounts.has(id),
    key: (id) => keys.get(id),
  };
}
