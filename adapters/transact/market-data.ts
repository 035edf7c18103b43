/** Prices: remembered subscriptions restored on every (re)open of the prices connection; book and trade topics → ticks. */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { MarketDataClient } from '../../engine/execution/venue-adapter.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { checkBook } from '../../engine/model/book-check.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Tick, TickKind } from '../../engine/model/tick.js';
import type { SessionChannel } from './auth.js';
import { describeAnswer, type Send, type TransactConnection } from './client.js';
import { EXCERPT_CHARS } from './constants.js';
import { toBook, toQuote, toTrade } from './parse.js';
import type { TransactFrame } from './wire.js';

export interface TransactMarketData extends MarketDataClient {
  /** Sends every remembered subscription (onOpen of the prices connection). */
  resubscribe(send: Send): Promise<void>;
}

export function createMarketData(opts: {
  conn: TransactConnection;
  channel: () => SessionChannel;
  symbolOf: (id: InstrumentId) => string | undefined;
  instrumentOf: (symbol: string) => InstrumentId;
  clock: Clock;
  log: Logger;
}): TransactMarketData {
  const { log, clock, conn } = opts;
  const ticks$ = new Subject<Tick>();
  const wanted = new Map<string, Set<TickKind>>();

  const onFrame = (f: TransactFrame): void => {
    const now = clock.now();
    if (f.kind === 'book') {
      const kinds = wanted.get(f.symbol);
      if (!kinds) return;
      const checked = checkBook(toBook(opts.instrumentOf(f.symbol), f, now));
      if (!checked.ok) return void log.error({ excerpt: excerpt(f, EXCERPT_CHARS) }, `transact prices: malformed book (${checked.error}), dropped`);
      const book = checked.value;
      if (kinds.has('book')) ticks$.next(book);
      const quote = kinds.has('quote') ? toQuote(book) : undefined;
      if (quote) ticks$.next(quote);
    } else if (f.kind === 'trade') {
      if (wanted.get(f.symbol)?.has('trade')) ticks$.next(toTrade(opts.instrumentOf(f.symbol), f, now));
    }
  };
  conn.topics$.subscribe(onFrame);

  const send = (cmd: 'subscribe' | 'unsubscribe', symbols: string[]): void => {
    if (conn.socket.state !== 'connected' || symbols.length === 0) return; // restored by the next onOpen
    void opts.channel().request(cmd, { topic: 'prices', symbols }).then((a) => {
      if (a.kind !== 'ok') log.error({ symbols }, `transact: ${cmd} prices: ${describeAnswer(a)}`);
    });
  };

  return {
    ticks$: ticks$.asObservable(),
    async resubscribe(sendText) {
      const symbols = [...wanted.keys()];
      if (symbols.length === 0) return;
      const a = await conn.command('subscribe', { topic: 'prices', symbols }, sendText);
      if (a.kind === 'refused') log.error({ symbols }, `transact: resubscribing prices: ${describeAnswer(a)}`);
      else if (a.kind === 'unknown') throw new Error(`transact: resubscribing prices: ${describeAnswer(a)}`);
    },
    subscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      if (symbol === undefined) return void log.error({ instrumentId }, 'transact: subscribe to an unknown instrument ignored');
      for (const k of kinds) if (k === 'bar') log.warn({ instrumentId }, 'transact: bars are not streamed by this venue');
      const set = wanted.get(symbol);
      const fresh = set === undefined;
      const next = set ?? new Set<TickKind>();
      for (const k of kinds) if (k !== 'bar') next.add(k);
      if (next.size === 0) return;
      wanted.set(symbol, next);
      if (fresh) send('subscribe', [symbol]);
    },
    unsubscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      const set = symbol === undefined ? undefined : wanted.get(symbol);
      if (symbol === undefined || !set) return;
      for (const k of kinds) set.delete(k);
      if (set.size === 0) {
        wanted.delete(symbol);
        send('unsubscribe', [symbol]);
      }
    },
  };
}
