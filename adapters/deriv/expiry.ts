/**
 * Contracts followed to their settlement. Each contract held gets a `proposal_open_contract` stream (subscribe: 1;
 * again after every reconnect: streams die with the connection). When an update shows it expired but not yet settled,
 * `sell_expired` is sent — the account's call to settle its expired contracts — at most once a second while any is
 * waiting; when an update (or the `transaction` stream, see execution.ts) shows it sold, `onSettled` gets the
 * settlement: its transaction, the amount paid (the payout won, 0 lost) and when.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../engine/clock/clock.js';
import type { DerivAnswer } from './client.js';
import { isSoldContract, parseOpenContract, parseSellExpired, type DerivFrame } from './wire.js';

export interface Settlement {
  readonly transactionId: number;
  /** What the venue paid for the contract: the sale price, or its value at expiry. */
  readonly amount: number;
  readonly tsEvent: number;
}

export interface ExpiryWatch {
  /** Follows a contract just bought. */
  watch(contractId: number): void;
  /** After a reconnect: follows every contract still held again. */
  rewatch(contractIds: Iterable<number>): void;
  /** Settles the account's expired contracts now (single flight, at most once a second). */
  sellExpired(): void;
  /** Every frame of the session: the streams' updates. */
  onFrame(f: DerivFrame): void;
  /** `sell_expired` calls sent (tests, summary). */
  readonly sellExpiredSent: number;
  dispose(): void;
}

const SELL_EXPIRED_EVERY_MS = 1_000;

export function createExpiryWatch(opts: {
  request: (body: Record<string, unknown>) => Promise<DerivAnswer>;
  clock: Pick<Clock, 'now' | 'setTimer'>;
  log: Logger;
  isHeld: (contractId: number) => boolean;
  onSettled: (contractId: number, s: Settlement) => void;
}): ExpiryWatch {
  const { clock, log } = opts;
  let running = false;
  let lastAt = Number.NEGATIVE_INFINITY;
  let later: TimerHandle | undefined;
  let sent = 0;

  const watch = (contractId: number): void => {
    void opts.request({ proposal_open_contract: 1, contract_id: contractId, subscribe: 1 }).then((a) => {
      // the first answer carries the subscription, so it also arrives through onFrame
      if (a.kind !== 'ok') log.warn({ contractId }, `deriv: cannot follow contract ${contractId} to expiry (${a.kind === 'unknown' ? a.reason : `${a.error.code}: ${a.error.message}`}); its settlement still arrives on the transaction stream`);
    });
  };

  const sellExpired = (): void => {
    if (running || later !== undefined) return;
    const wait = lastAt + SELL_EXPIRED_EVERY_MS - clock.now();
    if (wait > 0) {
      later = clock.setTimer(clock.now() + wait, () => {
        later = undefined;
        sellExpired();
      });
      return;
    }
    running = true;
    lastAt = clock.now();
    sent++;
    void opts.request({ sell_expired: 1 }).then((a) => {
      running = false;
      if (a.kind !== 'ok') return void log.warn(`deriv sell_expired: ${a.kind === 'unknown' ? a.reason : `${a.error.code}: ${a.error.message}`}; asked again at the next update`);
      const n = parseSellExpired(a.frame);
      if (!n.ok) return void log.error(`deriv sell_expired: ${n.reason}`);
      log.info({ count: n.value }, 'deriv: sell_expired settled expired contracts');
    });
  };

  return {
    watch,
    rewatch(ids) {
      for (const id of ids) watch(id);
    },
    sellExpired,
    onFrame(f) {
      if (f.msg_type !== 'proposal_open_contract' || f.error !== undefined) return;
      const c = parseOpenContract(f);
      if (!c.ok) return void log.error(`deriv proposal_open_contract stream: ${c.reason}, ignored`);
      const v = c.value;
      if (!opts.isHeld(v.contract_id)) return;
      if (isSoldContract(v)) {
        const at = typeof v.sell_time === 'number' ? v.sell_time * 1000 : clock.now();
        return opts.onSettled(v.contract_id, { transactionId: v.transaction_ids?.sell ?? 0, amount: v.sell_price!, tsEvent: at });
      }
      if (v.is_expired === 1) sellExpired();
    },
    get sellExpiredSent() {
      return sent;
    },
    dispose() {
      later?.cancel();
      later = undefined;
    },
  };
}
