/**
 * A plain client for the simulator tests: fetch + ws + jsonwebtoken, signing exactly as the venue document says
 * (digest = sha256 hex of the JSON body for a POST, of the query string for a GET; exp in seconds). No engine adapter.
 */
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { WebSocket } from 'ws';
import { accountNumber } from './order-id.js';
import { startApifinySimulator, type ApifinySimulator, type ApifinySimulatorOptions } from './sim-server.js';

export interface Creds {
  readonly accountId: string;
  readonly secretKeyId: string;
  readonly secret: string;
}

export const ALICE: Creds = { accountId: 'STA-00000001', secretKeyId: 'alice-key', secret: 'alice-secret-0123456789' };
export const BOB: Creds = { accountId: 'STA-00000002', secretKeyId: 'bob-key', secret: 'bob-secret-0123456789' };

/** A simulator on a free port with ALICE and BOB, a hand-driven market and a fast heartbeat. */
export function startTestSimulator(opts: ApifinySimulatorOptions = {}): Promise<ApifinySimulator> {
  return startApifinySimulator({
    marketIntervalMs: 0,
    pingIntervalMs: 200,
    accounts: [ALICE, BOB].map((c) => ({ accountId: c.accountId, keys: [{ secretKeyId: c.secretKeyId, secret: c.secret }] })),
    ...opts,
  });
}

export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

export function signToken(creds: Creds, digest: string | undefined, expSeconds = Math.floor(Date.now() / 1000) + 60): string {
  const payload: Record<string, unknown> = { accountId: creds.accountId, secretKeyId: creds.secretKeyId, exp: expSeconds };
  if (digest !== undefined) payload.digest = digest;
  return jwt.sign(payload, creds.secret, { algorithm: 'HS256', noTimestamp: true });
}

export interface Answer {
  readonly status: number;
  readonly body: any;
}

const answer = async (res: Response): Promise<Answer> => ({ status: res.status, body: await res.json() });

/** GET `${restBaseUrl}${path}?query`, signed unless `token` is given ('' sends no signature header). */
export async function signedGet(sim: ApifinySimulator, path: string, params: Record<string, string>, creds = ALICE, token?: string): Promise<Answer> {
  const query = new URLSearchParams(params).toString();
  const sig = token ?? signToken(creds, sha256Hex(query));
  const headers: Record<string, string> = sig === '' ? {} : { signature: sig };
  return answer(await fetch(`${sim.restBaseUrl}${path}${query ? `?${query}` : ''}`, { headers, signal: AbortSignal.timeout(5000) }));
}

export async function signedPost(sim: ApifinySimulator, path: string, body: unknown, creds = ALICE, token?: string): Promise<Answer> {
  const text = JSON.stringify(body);
  const sig = token ?? signToken(creds, sha256Hex(text));
  const res = await fetch(`${sim.restBaseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', signature: sig },
    body: text,
    signal: AbortSignal.timeout(5000),
  });
  return answer(res);
}

export async function getJson(url: string): Promise<Answer> {
  return answer(await fetch(url, { signal: AbortSignal.timeout(5000) }));
}

let orderSeq = 0;
/** account number + 3-digit random part + 13-digit timestamp + 3 digits, as documented. */
export function newOrderId(creds = ALICE): string {
  orderSeq = (orderSeq + 1) % 1000;
  return `${accountNumber(creds.accountId)}${String(orderSeq).padStart(3, '0')}${Date.now()}${String((orderSeq * 37) % 1000).padStart(3, '0')}`;
}

export function limitOrder(side: 'BUY' | 'SELL', price: string, quantity: string, extra: Record<string, unknown> = {}, creds = ALICE) {
  return {
    accountId: creds.accountId,
    venue: 'VENUE1',
    orderId: newOrderId(creds),
    orderInfo: { symbol: 'BTCUSD', orderType: 'LIMIT', timeInForce: 1, orderSide: side, limitPrice: price, quantity, ...extra },
  };
}

/** A websocket that records every JSON frame; `next` waits for one matching a predicate (seen or future). */
export interface WsProbe {
  readonly ws: WebSocket;
  readonly frames: any[];
  next(pred: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Resolves with the close code when the socket closes. */
  readonly closed: Promise<number>;
  send(frame: unknown): void;
  close(): void;
}

export function openProbe(url: string, opts: { headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<WsProbe> {
  const ws = new WebSocket(url, { headers: opts.headers ?? {} });
  const frames: any[] = [];
  const waiters: { pred: (f: unknown) => boolean; resolve: (f: unknown) => void }[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (data) => {
    const f: unknown = JSON.parse(String(data));
    frames.push(f);
    if (opts.autoPong !== false && typeof f === 'object' && f !== null && 'ping' in f) ws.send(JSON.stringify({ pong: (f as { ping: number }).ping }));
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const probe: WsProbe = {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(JSON.stringify(frame)),
    close: () => ws.terminate(),
    next(pred, timeoutMs = 3000) {
      const seen = frames.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching frame in time')), timeoutMs);
        waiters.push({ pred, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(probe));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
  });
}

export const userStreamHeaders = (creds = ALICE): Record<string, string> => ({ signature: signToken(creds, undefined) });

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}
