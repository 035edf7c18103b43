/** A raw protocol client for the simulator tests: send a request, wait for its answer or for a notification. */
import { WebSocket } from 'ws';
import { signatureOf, otpFor, type TickTraderAccountSpec } from './auth.js';
import { startTickTraderSimulator, demoAccount, type TickTraderSimulator, type TickTraderSimulatorOptions } from './sim-server.js';

export type Frame = Record<string, unknown> & { Id?: string | number; Response?: string; Result?: unknown; Error?: string };

export interface RawClient {
  readonly frames: Frame[];
  send(frame: object): void;
  /** Sends `{Id, Request, Params}` and resolves with the first frame carrying that Id. */
  request(request: string, params?: unknown): Promise<Frame>;
  /** Resolves with the first frame (already received or coming) matching `pred`, after index `from`. */
  next(pred: (f: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
  login(account: TickTraderAccountSpec, opts?: { timestamp?: number; secret?: string; deviceId?: string }): Promise<Frame>;
  /** Login, then the one-time password when the account asks for one. */
  ready(account: TickTraderAccountSpec): Promise<void>;
  /** Resolves when the server closes or drops the connection. */
  readonly closed: Promise<void>;
  close(): void;
}

let seq = 0;

export async function connectRaw(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    frames.push(JSON.parse(String(d)) as Frame);
    for (const w of [...waiters]) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next: RawClient['next'] = (pred, timeoutMs = 3_000, from = 0) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const f = frames.slice(from).find(pred);
        if (!f) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(f);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms; last: ${JSON.stringify(frames.slice(-3))}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const client: RawClient = {
    frames,
    closed,
    send: (f) => ws.send(JSON.stringify(f)),
    request(request, params) {
      const Id = `t-${++seq}`;
      const from = frames.length;
      client.send({ Id, Request: request, ...(params !== undefined ? { Params: params } : {}) });
      return next((f) => f.Id === Id, 3_000, from);
    },
    next,
    login(a, o = {}) {
      const ts = o.timestamp ?? Date.now();
      return client.request('Login', {
        AuthType: 'HMAC', WebApiId: a.webApiId, WebApiKey: a.webApiKey, Timestamp: ts,
        Signature: signatureOf(ts, a.webApiId, a.webApiKey, o.secret ?? a.secret), DeviceId: o.deviceId ?? 'test', AppSessionId: '1',
      });
    },
    async ready(a) {
      const r = await client.login(a);
      if ((r.Result as { TwoFactorFlag?: boolean } | undefined)?.TwoFactorFlag) await client.request('TwoFactor', { OneTimePassword: otpFor(a.totpSecret!, Date.now()) });
    },
    close: () => ws.terminate(),
  };
  return client;
}

export async function startTestSimulator(opts: TickTraderSimulatorOptions = {}): Promise<TickTraderSimulator> {
  return startTickTraderSimulator({ marketIntervalMs: 0, pingIntervalMs: 200, ...opts });
}

export { demoAccount };
