/**
 * Market data websocket (/md/ws/v1). Requests `{ channel, symbol, venues, action: "sub" | "unsub" }` with channel
 * orderbook | trade | ticker | kline_<period>; kline symbols are BASE/QUOTE ("BTC/USD"), the others venue symbols.
 * Payloads are the documented `{ venues, channel, symbol, <channel>: … }`. The document shows no acknowledgement of a
 * subscription, so none is sent; a sub is answered at once with the current orderbook / ticker / kline (trades come
 * with the next market step). A bad request is answered with the standard error envelope (the doc only says "Others
 * will result in an error message"). The optional `signature` header of the doc's example is not required.
 *
 * Rate limit: "We throttle public endpoints by Access Key 1 request per second." Every request (sub, unsub, or a bad
 * one; pongs are not requests) counts, at most `requestLimit.perWindow` in any `windowMs` (default 1 in 1000 ms), per
 * access key: the `accessKey` claim of the connection's `signature` header (its JWT's payload), shared by every
 * connection that presents it, else per connection (ours: the header is optional). A request over the limit is not
 * acted on and is answered with the standard error envelope; the document gives no error for this limit, so it is the
 * account limit's RATE_LIMIT code and text ("rate limit is exceeded") with the market-data limit named (ours).
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { apifinyError, type ApifinyError } from './error-codes.js';
import type { FaultState } from './faults.js';
import { attachHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import type { MarketUpdate, SimMarket } from './market.js';
import { envelopeError, isKlinePeriod, type KlinePeriod } from './protocol.js';
import { createRateLimiter } from './rate-limiter.js';
import { parseFrame, sendJson } from './ws-frames.js';

export interface MdStream {
  /** `req`: the upgrade request (its optional `signature` header names the access key the rate limit counts by). */
  attach(ws: WebSocket, req?: IncomingMessage): void;
  readonly clients: ReadonlySet<WebSocket>;
  /** Every request received, in order: when, what, and whether the rate limit refused it (tests). */
  readonly requests: readonly MdRequestRecord[];
  dispose(): void;
}

export interface MdRequestRecord {
  readonly at: number;
  /** The access key, or `connection <n>` without a signature header. */
  readonly key: string;
  readonly action: unknown;
  readonly channel: unknown;
  readonly symbol: unknown;
  readonly refused: boolean;
}

/** The market-data request limit: at most `perWindow` requests in any `windowMs`. */
export interface MdRequestLimit {
  readonly perWindow: number;
  readonly windowMs: number;
}

/** The document's "1 request per second". */
export const MD_REQUEST_LIMIT: MdRequestLimit = { perWindow: 1, windowMs: 1000 };

/** The `accessKey` claim of a `signature` header (a JWT), read without verifying it: it only picks a rate-limit bucket. */
function accessKeyOf(req: IncomingMessage | undefined): string | undefined {
  const h = req?.headers.signature;
  const token = Array.isArray(h) ? h[0] : h;
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    const key = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>).accessKey : undefined;
    return typeof key === 'string' && key !== '' ? key : undefined;
  } catch {
    return undefined;
  }
}

interface Sub {
  readonly channel: string;
  /** As the client wrote it (echoed in payloads). */
  readonly symbol: string;
  /** The venue symbol it names. */
  readonly venueSymbol: string;
  readonly period: KlinePeriod | undefined;
}

export function createMdStream(opts: {
  venue: string;
  market: SimMarket;
  faults: FaultState;
  heartbeat: Omit<HeartbeatOptions, 'faults'>;
  now: () => number;
  /** Undefined: no limit. */
  requestLimit: MdRequestLimit | undefined;
}): MdStream {
  const { venue, market, faults } = opts;
  const subs = new Map<WebSocket, Map<string, Sub>>();
  const clients = new Set<WebSocket>();
  const venues = [venue];
  const limiter = opts.requestLimit && createRateLimiter(opts.requestLimit.perWindow, opts.requestLimit.windowMs);
  const requests: MdRequestRecord[] = [];
  let connections = 0;

  const payload = (sub: Sub, update: MarketUpdate | undefined): unknown => {
    const base = { venues, channel: sub.channel, symbol: sub.symbol };
    if (sub.channel === 'orderbook') {
      const book = update?.book ?? market.book(sub.venueSymbol);
      return book === undefined ? undefined : { ...base, orderbook: book };
    }
    if (sub.channel === 'trade') {
      return update === undefined || update.trades.length === 0 ? undefined : { ...base, trade: { trades: [...update.trades].reverse() } };
    }
    if (sub.channel === 'ticker') {
      const ticker = market.ticker(sub.venueSymbol);
      return ticker === undefined ? undefined : { ...base, ticker };
    }
    const candle = market.candles(sub.venueSymbol)?.current(sub.period!);
    return candle === undefined ? undefined : { ...base, [sub.channel]: market.klineWire(sub.venueSymbol, sub.period!, candle) };
  };

  /** The subscription a request names, or the error to answer. */
  function parseSub(frame: Record<string, unknown>): Sub | ApifinyError {
    const { channel, symbol } = frame;
    if (typeof channel !== 'string' || typeof symbol !== 'string') return apifinyError('BAD_PARAMS', 'channel and symbol are required');
    if (!Array.isArray(frame.venues) || !frame.venues.includes(venue)) return apifinyError('VENUE_NOT_SUPPORTED', `venues must include ${venue}`);
    const period = channel.startsWith('kline_') ? channel.slice('kline_'.length) : undefined;
    if (period !== undefined && !isKlinePeriod(period)) return apifinyError('BAD_PARAMS', `unknown kline period ${period}`);
    if (period === undefined && !['orderbook', 'trade', 'ticker'].includes(channel)) return apifinyError('BAD_PARAMS', `unknown channel ${channel}`);
    const spec =
      period === undefined
        ? market.spec(symbol)
        : market.specs.find((s) => `${s.baseAsset}/${s.quoteAsset}` === symbol);
    if (spec === undefined) return apifinyError('UNKNOWN_SYMBOL', period === undefined ? symbol : `${symbol} (kline symbols are BASE/QUOTE)`);
    return { channel, symbol, venueSymbol: spec.symbol, period };
  }

  function onRequest(ws: WebSocket, frame: Record<string, unknown>): void {
    if (frame.action !== 'sub' && frame.action !== 'unsub') {
      return sendJson(ws, faults, envelopeError(apifinyError('BAD_PARAMS', 'action must be sub or unsub')));
    }
    const sub = parseSub(frame);
    if ('code' in sub) return sendJson(ws, faults, envelopeError(sub));
    const mine = subs.get(ws);
    if (mine === undefined) return;
    const key = `${sub.channel}|${sub.venueSymbol}`;
    if (frame.action === 'unsub') {
      mine.delete(key);
      return;
    }
    mine.set(key, sub);
    const snapshot = payload(sub, undefined);
    if (snapshot !== undefined) sendJson(ws, faults, snapshot);
  }

  const unhook = market.onUpdate((u) => {
    for (const [ws, mine] of subs) {
      for (const sub of mine.values()) {
        if (sub.venueSymbol !== u.symbol) continue;
        const p = payload(sub, u);
        if (p !== undefined) sendJson(ws, faults, p);
      }
    }
  });

  return {
    clients,
    requests,
    attach(ws, req) {
      subs.set(ws, new Map());
      clients.add(ws);
      const heartbeat = attachHeartbeat(ws, { ...opts.heartbeat, faults });
      const key = accessKeyOf(req) ?? `connection ${++connections}`;
      ws.on('message', (data) => {
        if (faults.silenced) return;
        const frame = parseFrame(data);
        if (frame !== undefined && heartbeat.onFrame(frame)) return;
        const at = opts.now();
        const refused = limiter !== undefined && !limiter.admit(key, at);
        requests.push({ at, key, action: frame?.action, channel: frame?.channel, symbol: frame?.symbol, refused });
        if (refused) {
          const { perWindow, windowMs } = opts.requestLimit!;
          return sendJson(ws, faults, envelopeError(apifinyError('RATE_LIMIT', `market data: at most ${perWindow} request${perWindow === 1 ? '' : 's'} per ${windowMs} ms per access key; this one was not acted on`)));
        }
        if (frame === undefined) return sendJson(ws, faults, envelopeError(apifinyError('BAD_PARAMS', 'requests are JSON objects')));
        onRequest(ws, frame);
      });
      ws.on('close', () => {
        subs.delete(ws);
        clients.delete(ws);
      });
    },
    dispose: unhook,
  };
}
