/**
 * Market data client: remembers subscriptions, restores them on every (re)open, and parses frames into ticks. Every
 * sub and unsub goes through the pacer (md-pacer.ts): the venue takes 1 market-data request per second, so N
 * instruments are subscribed over about N seconds per channel instead of being refused. With `bars`, bar ticks come
 * from the `kline_<period>` channel (kline.ts: closed candles, timestamps in seconds or milliseconds).
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { MarketDataClient } from '../../engine/execution/venue-adapter.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { checkBook } from '../../engine/model/book-check.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Tick, TickKind } from '../../engine/model/tick.js';
import type { ApifinyStream } from './client.js';
import { EXCERPT_CHARS } from './constants.js';
import { createKlineBars, parseKlineFrame, type KlinePeriod } from './kline.js';
import { createMdPacer, type MdRequest } from './md-pacer.js';
import { toBook, toQuote, toTrade } from './parse.js';
import { parseMdFrame } from './wire.js';

export interface ApifinyMarketData extends MarketDataClient {
  /** Sends every remembered subscription (onOpen of the socket). */
  resubscribe(send: (text: string) => boolean): void;
  attach(stream: ApifinyStream): void;
  /** Subscription requests waiting for their turn under the venue's 1 request per second. */
  readonly pendingRequests: number;
}

type Channel = 'orderbook' | 'trade' | `kline_${KlinePeriod}`;

/** Bars from klines: their period, and the BASE/QUOTE pair the kline channel names an instrument by. */
export interface ApifinyBarOptions {
  readonly period: KlinePeriod;
  readonly pairOf: (id: InstrumentId) => string | undefined;
}

export function createMarketData(opts: {
  venue: string;
  symbolOf: (id: InstrumentId) => string | undefined;
  instrumentOf: (symbol: string) => InstrumentId;
  clock: Clock;
  log: Logger;
  /** Without it, bars are not streamed. */
  bars?: ApifinyBarOptions;
}): ApifinyMarketData {
  const { log, clock } = opts;
  const ticks$ = new Subject<Tick>();
  /** symbol → wanted kinds. */
  const wanted = new Map<string, Set<TickKind>>();
  /** BASE/QUOTE ↔ venue symbol, for the kline channel. */
  const pairOfSymbol = new Map<string, string>();
  const symbolOfPair = new Map<string, string>();
  const klineBars = createKlineBars();
  let stream: ApifinyStream | undefined;
  const pacer = createMdPacer({ venue: opts.venue, clock, send: (text) => stream?.socket.send(text) ?? false });
  const channelOf = (k: TickKind): Channel | undefined =>
    k === 'quote' || k === 'book' ? 'orderbook' : k === 'trade' ? 'trade' : k === 'bar' && opts.bars ? `kline_${opts.bars.period}` : undefined;
  const request = (symbol: string, channel: Channel, action: 'sub' | 'unsub'): MdRequest =>
    ({ channel, symbol: channel.startsWith('kline_') ? (pairOfSymbol.get(symbol) ?? symbol) : symbol, action });
  const channels = (kinds: Iterable<TickKind>): Set<Channel> => new Set([...kinds].map(channelOf).filter((c): c is Channel => c !== undefined));

  const onKline = (raw: unknown): boolean => {
    const k = parseKlineFrame(raw);
    if (k === undefined) return false;
    if (typeof k === 'string') {
      log.error({ excerpt: excerpt(raw, EXCERPT_CHARS) }, `apifiny market data: malformed kline (${k}), dropped`);
      return true;
    }
    const symbol = symbolOfPair.get(k.pair);
    if (symbol === undefined || !wanted.get(symbol)?.has('bar') || k.period !== opts.bars?.period) return true;
    const instrumentId = opts.instrumentOf(symbol);
    const bar = klineBars.next(instrumentId, k, clock.now());
    if (bar) ticks$.next(bar);
    return true;
  };

  const onFrame = (raw: unknown): void => {
    if (onKline(raw)) return;
    const f = parseMdFrame(raw);
    if (!f.ok) return void log.error({ excerpt: excerpt(raw, EXCERPT_CHARS) }, `apifiny market data: malformed frame (${f.reason}), ignored`);
    const frame = f.value;
    const now = clock.now();
    switch (frame.kind) {
      case 'ping':
      case 'ignored':
        return;
      case 'error':
        return void log.warn({ code: frame.error.code }, `apifiny market data error: ${frame.error.message}`);
      case 'orderbook': {
        const kinds = wanted.get(frame.symbol);
        if (!kinds) return;
        const checked = checkBook(toBook(opts.instrumentOf(frame.symbol), frame, now));
        if (!checked.ok) return void log.error({ excerpt: excerpt(raw, EXCERPT_CHARS) }, `apifiny market data: malformed book (${checked.error}), dropped`);
        const book = checked.value;
        if (kinds.has('book')) ticks$.next(book);
        const quote = kinds.has('quote') ? toQuote(book) : undefined;
        if (quote) ticks$.next(quote);
        return;
      }
      case 'trade': {
        if (!wanted.get(frame.symbol)?.has('trade')) return;
        const id = opts.instrumentOf(frame.symbol);
        for (const t of frame.trades) ticks$.next(toTrade(id, t, now));
        return;
      }
    }
  };

  return {
    ticks$: ticks$.asObservable(),
    attach(s) {
      stream = s;
      s.frames$.subscribe(onFrame);
    },
    get pendingRequests() {
      return pacer.queued;
    },
    resubscribe(send) {
      const all: MdRequest[] = [];
      for (const [symbol, kinds] of wanted) for (const c of channels(kinds)) all.push(request(symbol, c, 'sub'));
      pacer.restart(all, send);
    },
    subscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      if (symbol === undefined) return void log.error({ instrumentId }, 'apifiny: subscribe to an unknown instrument ignored');
      let asked = kinds;
      const pair = kinds.includes('bar') ? opts.bars?.pairOf(instrumentId) : undefined;
      if (pair !== undefined) {
        pairOfSymbol.set(symbol, pair);
        symbolOfPair.set(pair, symbol);
      } else if (kinds.includes('bar') && opts.bars) {
        log.error({ instrumentId }, 'apifiny: no BASE/QUOTE pair for the kline channel; no bars');
        asked = kinds.filter((k) => k !== 'bar');
      }
      for (const k of asked) if (channelOf(k) === undefined) log.debug({ instrumentId, kind: k }, `apifiny: ${k} ticks are not streamed by this adapter`); // the kernel asks every kind of every venue
      const set = wanted.get(symbol) ?? new Set<TickKind>();
      const before = channels(set);
      for (const k of asked) set.add(k);
      wanted.set(symbol, set);
      for (const c of channels(set)) if (!before.has(c)) pacer.enqueue(request(symbol, c, 'sub'));
    },
    unsubscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      const set = symbol === undefined ? undefined : wanted.get(symbol);
      if (symbol === undefined || !set) return;
      const before = channels(set);
      for (const k of kinds) set.delete(k);
      const after = channels(set);
      for (const c of before) if (!after.has(c)) pacer.enqueue(request(symbol, c, 'unsub'));
      if (set.size === 0) wanted.delete(symbol);
    },
  };
}
