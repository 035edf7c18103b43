/** Starts a control server on a free loopback port over a fake source, with helpers for requests and captured logs. */
import { pino } from 'pino';
import { startControlServer, type ControlServer, type ControlServerOptions } from '../../engine/control/server.js';
import { createFakeSource, type FakeSource } from './fake-source.js';

export const TOKEN = 'test-token-6f1d2c3b4a5e6f708192a3b4';
export const WRONG_TOKEN = 'test-token-000000000000000000000000';
export const AUDIT_TS = 1_700_000_123_456;

export interface Harness {
  readonly server: ControlServer;
  readonly source: FakeSource;
  readonly url: string;
  /** Every log line the server wrote (JSON text). */
  readonly logs: string[];
  get(path: string, token?: string | null): Promise<Response>;
  post(path: string, body: unknown, token?: string | null, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

type Extra = Partial<Omit<ControlServerOptions, 'source' | 'log'>> & { source?: FakeSource };

/** `token` undefined in `extra` (explicitly) starts a server without a token; the default is TOKEN. */
export async function startHarness(extra: Extra = {}): Promise<Harness> {
  const source = extra.source ?? createFakeSource();
  const logs: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
  const token = 'token' in extra ? extra.token : TOKEN;
  const server = await startControlServer({ host: '127.0.0.1', port: 0, now: () => AUDIT_TS, ...extra, token, source, log });
  const auth = (t: string | null | undefined): Record<string, string> => {
    const value = t === undefined ? token : t;
    return value === null || value === undefined ? {} : { authorization: `Bearer ${value}` };
  };
  return {
    server,
    source,
    url: server.url,
    logs,
    get: (path, t) => fetch(`${server.url}${path}`, { headers: auth(t) }),
    post: (path, body, t, headers = {}) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(t), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () => server.close(),
  };
}
