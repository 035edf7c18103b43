/**
 * Hostile venue input against the Apifiny adapter's edges: frames nested 100,000 levels deep (JSON.stringify overflows
 * the stack on them) and megabyte frames. Each is one bounded error line naming the stream, and the next good frame is
 * still processed (DESIGN.md, untrusted input).
 */
import { createServer } from 'node:http';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { ReconnectingSocket } from '../../../engine/net/reconnecting-socket-api.js';
import { createSigner } from '../../../adapters/apifiny/auth.js';
import { createRestSession, createStream, type RestSession } from '../../../adapters/apifiny/client.js';
import { parseApifinyConfig, type ApifinyConfig } from '../../../adapters/apifiny/config.js';
import { EXCERPT_CHARS } from '../../../adapters/apifiny/constants.js';
import { createExecution } from '../../../adapters/apifiny/execution.js';
import { createMarketData } from '../../../adapters/apifiny/market-data.js';
import { ALICE } from '../../venues/apifiny/test-client.js';
import { closeServer, listen, waitFor } from '../../net/helpers.js';
import { startWsServer } from '../../net/ws-server.js';
import { captureLog, envOf, INSTRUMENT } from './helpers.js';

const DEEP = 100_000;
const deepArrayText = '['.repeat(DEEP) + ']'.repeat(DEEP);
const megabyte = 'x'.repeat(1_000_000);
const goodBook = JSON.stringify({ channel: 'orderbook', orderbook: { symbol: 'BTCUSD', updatedAt: 1, bids: [[29_999, 1]], asks: [[30_001, 2]] } });

const clock = createLiveClock();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function configFor(urls: { rest?: string; ws?: string } = {}): ApifinyConfig {
  return parseApifinyConfig(
    { restBaseUrl: urls.rest ?? 'http://127.0.0.1:9/ac/v2/VENUE1', mdWsUrl: urls.ws ?? 'ws://127.0.0.1:9/md/ws/v1', userWsBaseUrl: 'ws://127.0.0.1:9/ac/ws/v2', venue: 'VENUE1' },
    envOf(ALICE),
  );
}

interface ErrorLine {
  readonly msg: string;
  readonly excerpt?: string;
  /** Characters of the whole log line. */
  readonly length: number;
}

/** The error lines written so far, parsed. */
function errorsIn(lines: readonly string[]): ErrorLine[] {
  return lines.flatMap((l) => {
    const v = JSON.parse(l) as { level: number; msg: string; excerpt?: string };
    return v.level === 50 ? [{ msg: v.msg, ...(v.excerpt === undefined ? {} : { excerpt: v.excerpt }), length: l.length }] : [];
  });
}

function expectBounded(errors: readonly ErrorLine[]): void {
  for (const e of errors) {
    expect(e.excerpt!.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(e.length).toBeLessThan(1_000);
  }
}

describe('the apifiny adapter under hostile frames', () => {
  it('logs one bounded line for each deeply nested or megabyte market data frame, and still processes the next good one', async () => {
    const frames = [
      deepArrayText,
      `{"channel":"orderbook","orderbook":{"symbol":"BTCUSD","updatedAt":1,"asks":[],"bids":${deepArrayText}}}`,
      megabyte,
      JSON.stringify({ channel: 'orderbook', orderbook: { symbol: 'BTCUSD', updatedAt: 1, bids: megabyte, asks: [] } }),
      goodBook,
    ];
    const server = await startWsServer({ onConnection: (ws) => frames.forEach((f) => ws.send(f)) });
    cleanups.push(() => server.close());
    const { log, lines } = captureLog();
    const config = configFor({ ws: server.url('/md/ws/v1') });
    const stream = createStream({ name: 'apifiny-md', url: config.mdWsUrl }, config, clock, log, () => 0.5);
    cleanups.push(() => stream.socket.close());
    const md = createMarketData({ venue: 'VENUE1', symbolOf: (id) => id.replace(/\.VENUE1$/, ''), instrumentOf: (s) => `${s}.VENUE1`, clock, log });
    md.attach(stream);
    const ticks: Tick[] = [];
    md.ticks$.subscribe((t) => ticks.push(t));
    md.subscribe(INSTRUMENT, ['book']);

    await stream.socket.connect();
    await waitFor(() => ticks.length > 0, 5_000, 'the good book after the hostile frames');

    expect(ticks).toEqual([expect.objectContaining({ kind: 'book', instrumentId: INSTRUMENT, bids: [{ price: 29_999, size: 1 }] })]);
    const errors = errorsIn(lines);
    expect(errors.map((e) => e.msg)).toEqual([
      expect.stringMatching(/^apifiny market data: malformed frame \(frame is not an object\)/),
      expect.stringMatching(/^apifiny market data: malformed frame \(bids level/),
      expect.stringMatching(/^apifiny-md: malformed frame/),
      expect.stringMatching(/^apifiny market data: malformed frame \(bids is not an array\)/),
    ]);
    expectBounded(errors);
    expect(stream.socket.state).toBe('connected');
  });

  it('logs one bounded line for a deeply nested order stream frame and goes on', () => {
    const { log, lines } = captureLog();
    const exec = createExecution({ config: configFor(), rest: {} as RestSession, clock, log, symbolOf: () => undefined, instrumentOf: (s) => `${s}.VENUE1` });
    const frames$ = new Subject<unknown>();
    exec.attach({ socket: {} as ReconnectingSocket, frames$ });

    frames$.next(JSON.parse(deepArrayText));
    frames$.next({ foo: megabyte });

    const errors = errorsIn(lines);
    expect(errors.map((e) => e.msg)).toEqual([
      expect.stringMatching(/^apifiny order stream: malformed frame/),
      expect.stringMatching(/^apifiny order stream: malformed frame/),
    ]);
    expectBounded(errors);
  });

  it('answers a deeply nested REST body as an unknown outcome with one bounded line, instead of throwing', async () => {
    const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(deepArrayText));
    const port = await listen(http);
    cleanups.push(() => closeServer(http));
    const { log, lines } = captureLog();
    const config = configFor({ rest: `http://127.0.0.1:${port}/ac/v2/VENUE1` });
    const rest = createRestSession(config, createSigner(config.credentials, clock, config.signatureTtlSeconds), clock, log);
    cleanups.push(() => rest.close());

    await expect(rest.get('/utils/currentTimeMillis', {}, { signed: false })).resolves.toEqual({ kind: 'unknown', reason: 'bad-response' });
    const errors = errorsIn(lines);
    expect(errors.map((e) => e.msg)).toEqual([expect.stringMatching(/unreadable answer/)]);
    expectBounded(errors);
  });
});
