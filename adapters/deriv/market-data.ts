/**
 * Market data: an underlying's `ticks` stream as quotes (bid/ask) and trades (the spot, no volume: size 0); a contract
 * instrument's `proposal` stream as quotes of its price per unit of payout. Wanted subscriptions are remembered and
 * re-sent on every open (stream ids change on a new connection); unsubscribe sends `forget`.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { MarketDataClient } from '../../engine/execution/venue-adapter.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { checkQuote } from '../../engine/model/book-check.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import { err } from '../../engine/model/result.js';
import type { Tick, TickKind } from '../../engine/model/tick.js';
import type { DerivRequester, DerivSession } from './client.js';
import type { DerivConfig } from './config.js';
import { EXCERPT_CHARS } from './constants.js';
import { refOf } from './instruments.js';
import { parseProposal, parseTick, type DerivFrame } from './wire.js';

export interface DerivMarketData extends MarketDataClient {
  attach(session: DerivSession): void;
  /** Re-sends every wanted subscription on a fresh connection. */
  resubscribe(request: DerivRequester, currency: string): Promise<void>;
}

export function createMarketData(opts: { config: DerivConfig; clock: Clock; log: Logger }): DerivMarketData {
  const { config, clock, log } = opts;
  const ticks$ = new Subject<Tick>();
  const wanted = new Map<InstrumentId, Set<TickKind>>();
  const streamOf = new Map<string, InstrumentId>(); // subscription id → instrument
  const idOf = new Map<InstrumentId, string>();
  let session: DerivSession | undefined;
  let currency = config.currency;

  const open = async (id: InstrumentId, request: DerivRequester): Promise<void> => {
    const ref = refOf(id, config);
    if (!ref) return void log.warn({ instrumentId: id }, 'deriv: not an instrument of this venue; not subscribed');
    const body = ref.kind === 'underlying'
      ? { ticks: ref.symbol, subscribe: 1 }
      : { proposal: 1, subscribe: 1, amount: config.quotePayout, basis: 'payout', contract_type: ref.contractType, currency, duration: config.duration, duration_unit: config.durationUnit, symbol: ref.symbol };
    const a = await request(body);
    if (a.kind === 'ok' && a.frame.subscription) {
      streamOf.set(a.frame.subscription.id, id);
      idOf.set(id, a.frame.subscription.id);
      onFrame(a.frame);
    } else if (a.kind === 'venue-error') log.error({ instrumentId: id, code: a.error.code }, `deriv: subscription refused: ${a.error.message}`);
    else if (a.kind === 'unknown') log.warn({ instrumentId: id }, `deriv: subscription unanswered (${a.reason}); retried on the next connection`);
  };

  const onFrame = (f: DerivFrame): void => {
    const id = f.subscription ? streamOf.get(f.subscription.id) : undefined;
    if (id === undefined || (f.msg_type !== 'tick' && f.msg_type !== 'proposal')) return;
    const kinds = wanted.get(id);
    if (!kinds) return;
    const tsInit = clock.now();
    if (f.msg_type === 'tick') {
      const t = parseTick(f);
      if (!t.ok) return void log.error({ excerpt: excerpt(f, EXCERPT_CHARS) }, `deriv tick: ${t.reason}, ignored`);
      const v = t.value;
      const tsEvent = v.epoch * 1000;
      // no spread given: the spot on both sides (a locked quote, which checkQuote allows)
      const quote = { kind: 'quote', instrumentId: id, tsEvent, tsInit, bid: v.bid ?? v.quote, ask: v.ask ?? v.quote } as const;
      const checked = v.quote > 0 ? checkQuote(quote) : err(`spot ${v.quote} is not a positive number`);
      if (!checked.ok) return void log.error({ excerpt: excerpt(f, EXCERPT_CHARS) }, `deriv tick: malformed (${checked.error}), dropped`);
      if (kinds.has('quote')) ticks$.next(quote);
      if (kinds.has('trade')) ticks$.next({ kind: 'trade', instrumentId: id, tsEvent, tsInit, price: v.quote, size: 0, ...(v.id ? { tradeId: v.id } : {}) });
      return;
    }
    const p = parseProposal(f);
    if (!p.ok) return void log.error({ excerpt: excerpt(f, EXCERPT_CHARS) }, `deriv proposal: ${p.reason}, ignored`);
    const price = Math.round((p.value.ask_price / p.value.payout) * 10_000) / 10_000;
    const quote = checkQuote({ kind: 'quote', instrumentId: id, tsEvent: tsInit, tsInit, bid: price, ask: price } as const);
    if (!quote.ok) return void log.error({ excerpt: excerpt(f, EXCERPT_CHARS) }, `deriv proposal: malformed price (${quote.error}), dropped`);
    if (kinds.has('quote')) ticks$.next(quote.value);
  };

  return {
    ticks$: ticks$.asObservable(),
    attach(s) {
      session = s;
      s.frames$.subscribe(onFrame);
    },
    async resubscribe(request, cur) {
      currency = cur;
      streamOf.clear();
      idOf.clear();
      await Promise.all([...wanted.keys()].map((id) => open(id, request)));
    },
    subscribe(instrumentId, kinds) {
      const had = wanted.get(instrumentId);
      const set = had ?? new Set<TickKind>();
      for (const k of kinds) set.add(k);
      wanted.set(instrumentId, set);
      if (!had && session?.socket.state === 'connected') void open(instrumentId, session.request);
    },
    unsubscribe(instrumentId, kinds) {
      const set = wanted.get(instrumentId);
      if (!set) return;
      for (const k of kinds) set.delete(k);
      if (set.size > 0) return;
      wanted.delete(instrumentId);
      const sid = idOf.get(instrumentId);
      idOf.delete(instrumentId);
      if (sid !== undefined) {
        streamOf.delete(sid);
        if (session?.socket.state === 'connected') void session.request({ forget: sid });
      }
    },
  };
}
