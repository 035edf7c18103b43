/**
 * Market data: remembers subscriptions and restores them on every (re)open. quote/book → FeedSubscribe at the
 * configured BookDepth (the answer's Snapshot is the first book); bar → BarFeedSubscribe at the configured periodicity
 * and price type, emitting a Bar when the venue moves on to the next bar (only closed bars reach strategies). The feed
 * has no trades: `trade` is accepted and ignored with one warning.
 */
import { Subject } from 'rxjs';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock/clock.js';
import type { MarketDataClient } from '../../engine/execution/venue-adapter.js';
import { excerpt } from '../../engine/log/excerpt.js';
import { checkBook, checkQuote } from '../../engine/model/book-check.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { Tick, TickKind } from '../../engine/model/tick.js';
import type { Send, TickTraderSession } from './client.js';
import type { TickTraderConfig } from './config.js';
import { EXCERPT_CHARS, PERIODICITY_MS } from './constants.js';
import { barSubscribeRequest, barUnsubscribeRequest, feedSubscribeRequest, feedUnsubscribeRequest, type TickTraderRequest } from './format.js';
import { toBook, toQuote } from './parse.js';
import { parseSnapshot, type TickTraderBarUpdateWire, type TickTraderTickWire } from './wire.js';

export interface TickTraderMarketData extends MarketDataClient {
  /** Sends every remembered subscription (onReady of the session). */
  resubscribe(send: Send): void;
  attach(session: TickTraderSession): void;
}

type Channel = 'feed' | 'bars';
const channelOf = (k: TickKind): Channel | undefined => (k === 'quote' || k === 'book' ? 'feed' : k === 'bar' ? 'bars' : undefined);
const channels = (kinds: Iterable<TickKind>): Set<Channel> => new Set([...kinds].map(channelOf).filter((c): c is Channel => c !== undefined));

interface OpenBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number | undefined;
}

export function createMarketData(opts: {
  config: TickTraderConfig;
  symbolOf: (id: InstrumentId) => string | undefined;
  instrumentOf: (symbol: string) => InstrumentId;
  clock: Clock;
  log: Logger;
}): TickTraderMarketData {
  const { config, clock, log } = opts;
  const ticks$ = new Subject<Tick>();
  const wanted = new Map<string, Set<TickKind>>();
  const bars = new Map<string, OpenBar>();
  const periodMs = PERIODICITY_MS[config.barPeriodicity];
  let session: TickTraderSession | undefined;
  let warnedTrades = false;

  const onTick = (t: TickTraderTickWire): void => {
    const kinds = wanted.get(t.Symbol);
    if (!kinds) return;
    const id = opts.instrumentOf(t.Symbol);
    const now = clock.now();
    const book = toBook(id, t, now);
    const quote = toQuote(id, t, now);
    // the whole tick is dropped when its levels or its best bid/ask (sent apart from the levels) are malformed
    const bad = [checkBook(book), ...(quote ? [checkQuote(quote)] : [])].find((c) => !c.ok);
    if (bad && !bad.ok) return void log.error({ excerpt: excerpt(t, EXCERPT_CHARS) }, `ticktrader feed: malformed tick (${bad.error}), dropped`);
    if (kinds.has('book')) ticks$.next(book);
    if (kinds.has('quote') && quote) ticks$.next(quote);
  };

  const onBars = (u: TickTraderBarUpdateWire): void => {
    if (!wanted.get(u.SymbolAlias)?.has('bar')) return;
    const close = config.barPriceType === 'Bid' ? u.BidClose : u.AskClose;
    for (const b of u.Updates) {
      if (b.Periodicity !== config.barPeriodicity || b.PriceType !== config.barPriceType) continue;
      const prev = bars.get(u.SymbolAlias);
      if (prev && b.Time > prev.time && prev.close !== undefined) {
        ticks$.next({
          kind: 'bar', instrumentId: opts.instrumentOf(u.SymbolAlias), tsEvent: prev.time + periodMs, tsInit: clock.now(), periodMs,
          open: prev.open, high: prev.high, low: prev.low, close: prev.close, volume: 0,
        });
      }
      if (!prev || b.Time >= prev.time) bars.set(u.SymbolAlias, { time: b.Time, open: b.Open, high: b.High, low: b.Low, close: close ?? (prev?.time === b.Time ? prev.close : undefined) });
    }
  };

  /** Sends a subscription; the FeedSubscribe Snapshot is the first book. Errors are logged (the venue's text). */
  const send = (r: TickTraderRequest, via?: Send): void => {
    if (!session) return;
    session.request(r, via).then(
      (a) => {
        if (a.response !== 'FeedSubscribe') return;
        const snap = parseSnapshot(a.result);
        if (snap.ok) for (const t of snap.value) onTick(t);
        else log.error({ reason: snap.error }, 'ticktrader: unreadable FeedSubscribe snapshot');
      },
      (e: unknown) => log.warn({ request: r.Request }, `ticktrader: ${r.Request} failed: ${(e as Error).message}`),
    );
  };
  const connected = (): boolean => session?.socket.state === 'connected';
  const symbolsOn = (c: Channel): string[] => [...wanted].filter(([, k]) => channels(k).has(c)).map(([s]) => s);

  return {
    ticks$: ticks$.asObservable(),
    attach(s) {
      session = s;
      s.notifications$.subscribe((f) => (f.kind === 'feed-tick' ? onTick(f.tick) : onBars(f.update)));
    },
    resubscribe(via) {
      const feed = symbolsOn('feed');
      const barSymbols = symbolsOn('bars');
      if (feed.length) send(feedSubscribeRequest(feed, config.bookDepth, config.frequencyPriority), via);
      if (barSymbols.length) send(barSubscribeRequest(barSymbols, config.barPeriodicity, config.barPriceType), via);
    },
    subscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      if (symbol === undefined) return void log.error({ instrumentId }, 'ticktrader: subscribe to an unknown instrument ignored');
      if (kinds.includes('trade') && !warnedTrades) {
        warnedTrades = true;
        log.warn({ instrumentId }, 'ticktrader: the feed has no trades; trade ticks are not streamed');
      }
      const set = wanted.get(symbol) ?? new Set<TickKind>();
      const before = channels(set);
      for (const k of kinds) set.add(k);
      wanted.set(symbol, set);
      if (!connected()) return; // sent on (re)open
      const after = channels(set);
      if (after.has('feed') && !before.has('feed')) send(feedSubscribeRequest([symbol], config.bookDepth, config.frequencyPriority));
      if (after.has('bars') && !before.has('bars')) send(barSubscribeRequest([symbol], config.barPeriodicity, config.barPriceType));
    },
    unsubscribe(instrumentId, kinds) {
      const symbol = opts.symbolOf(instrumentId);
      const set = symbol === undefined ? undefined : wanted.get(symbol);
      if (symbol === undefined || !set) return;
      const before = channels(set);
      for (const k of kinds) set.delete(k);
      const after = channels(set);
      if (set.size === 0) wanted.delete(symbol);
      if (!after.has('bars')) bars.delete(symbol);
      if (!connected()) return;
      if (before.has('feed') && !after.has('feed')) send(feedUnsubscribeRequest([symbol]));
      if (before.has('bars') && !after.has('bars')) send(barUnsubscribeRequest([symbol]));
    },
  };
}
