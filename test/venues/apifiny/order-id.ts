/**
 * Client order ids as documented: "account number + random number + 13 digit timestamp + 3 digit random number. Up to
 * 64 digits", e.g. 000000011584603011942221 for account STA-00000001 (00000001 · 1584603011942 · 221).
 */
import { apifinyError, type ApifinyError } from './error-codes.js';

/** The account number of an account id: the digits after its last '-' (STA-00000001 → 00000001). */
export function accountNumber(accountId: string): string {
  const tail = accountId.slice(accountId.lastIndexOf('-') + 1);
  return /^\d+$/.test(tail) ? tail : accountId.replace(/\D/g, '');
}

/** Why `id` is not an acceptable client order id for `accountId` at `now`, or undefined when it is. */
export function orderIdProblem(id: string, accountId: string, now: number, maxSkewMs: number): ApifinyError | undefined {
  const account = accountNumber(accountId);
  if (!/^\d+$/.test(id) || id.length > 64) return apifinyError('ORDER_ID_RULE', 'digits only, at most 64');
  if (id.length < account.length + 16 || !id.startsWith(account)) {
    return apifinyError('ORDER_ID_RULE', `account number ${account} + random + 13-digit timestamp + 3 digits`);
  }
  const stamp = id.slice(-16, -3);
  if (stamp.startsWith('0')) return apifinyError('ORDER_ID_TIMESTAMP_FORMAT', `"${stamp}" is not a 13-digit millisecond timestamp`);
  if (Math.abs(Number(stamp) - now) > maxSkewMs) return apifinyError('ORDER_ID_TIMESTAMP', `timestamp ${stamp} is too far from server time`);
  return undefined;
}

/** Server-side ids for orders sent without one, in the documented format; unique within the process. */
export function createOrderIdGenerator(): (accountId: string, now: number) => string {
  let counter = 0;
  return (accountId, now) => {
    counter = (counter + 1) % 10_000;
    const random3 = String((counter * 7919) % 1000).padStart(3, '0');
    return `${accountNumber(accountId)}${String(counter).padStart(4, '0')}${Math.floor(now)}${random3}`;
  };
}
