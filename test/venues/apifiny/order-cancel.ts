/**
 * cancelOrder and cancelAccountVenueAllOrder. "Any order that has a status of PENDING_SUBMIT or has already been
 * canceled, cannot be canceled": PENDING_SUBMIT → 328026, a finished order → 327802, a cancel already in progress →
 * 328010. Otherwise a CancelOrder goes to the engine's simulated venue and the answer waits for its outcome
 * (OrderCanceled, or OrderCancelRejected when a fill finished the order first), at most cancelTimeoutMs (→ 327818; the
 * cancel stays queued and may still happen).
 */
import type { SimAccount } from './accounts.js';
import { ApifinyFailure, apifinyError, fail } from './error-codes.js';
import type { OrderRecord } from './order-store.js';
import { COMPLETED_STATUSES } from './protocol.js';
import type { VenueCore } from './venue-core.js';

export async function cancelOrder(core: VenueCore, account: SimAccount, orderId: unknown): Promise<OrderRecord> {
  if (typeof orderId !== 'string' || orderId === '') fail('BAD_PARAMS', 'orderId is required');
  const order = core.store.get(account.accountId, orderId) ?? fail('ORDER_NOT_EXIST', orderId);
  if (order.status === 'PENDING_SUBMIT') fail('CANCEL_PENDING_SUBMIT');
  if (COMPLETED_STATUSES.has(order.status)) fail('CANCEL_BAD_STATUS', `order is ${order.status}`);
  if (order.cancelPending) fail('CANCEL_IN_PROGRESS');
  order.cancelPending = true;
  const outcome = core.events.awaitCancel(order);
  core.sim.cancel({
    kind: 'CancelOrder',
    clientOrderId: order.simId,
    strategyId: 'apifiny-sim',
    instrumentId: core.market.instrument(order.symbol)!.id,
    tsInit: core.clock.now(),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), core.cancelTimeoutMs)));
  const result = await Promise.race([outcome, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') throw new ApifinyFailure(apifinyError('CANCEL_TIMEOUT'));
  if (result.kind === 'rejected') fail('CANCEL_BAD_STATUS', `${result.reason}; order is ${order.status}`);
  return order;
}

/** Cancels every working order of the account (optionally of one symbol); answers the ids it canceled. */
export async function cancelAll(core: VenueCore, account: SimAccount, symbol: unknown): Promise<string[]> {
  if (symbol !== undefined && symbol !== null && (typeof symbol !== 'string' || core.market.spec(symbol) === undefined)) {
    fail('UNKNOWN_SYMBOL', String(symbol));
  }
  const targets = core.store
    .orders(account.accountId)
    .filter((o) => o.status === 'SUBMITTED' && !o.cancelPending && (symbol == null || o.symbol === symbol));
  const outcomes = await Promise.allSettled(targets.map((o) => cancelOrder(core, account, o.orderId)));
  return outcomes.flatMap((r, i) => (r.status === 'fulfilled' ? [targets[i]!.orderId] : []));
}
