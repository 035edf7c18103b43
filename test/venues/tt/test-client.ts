/** A raw HTTP client for the simulator tests: no redirects followed, gzip decoded, the body kept as text. */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { TtEnvironment } from './protocol.js';
import { appOf, type TtSimulator } from './sim-server.js';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** JSON.parse of text (numbers past 2^53 lose digits: read `text` for those). */
  readonly json: Record<string, unknown>;
}

export const newRequestId = (): string => `enginetest-acme--${randomUUID()}`;

export function raw(baseUrl: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { method, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(buf) : buf).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Query string with a fresh requestId. */
export const withId = (path: string): string => `${path}${path.includes('?') ? '&' : '?'}requestId=${newRequestId()}`;

export async function token(sim: TtSimulator, environment: TtEnvironment = 'ext_uat_cert'): Promise<string> {
  const app = appOf(environment, sim.apps);
  const r = await raw(sim.baseUrl, 'POST', withId(`/ttid/${environment}/token`), {
    headers: { 'x-api-key': app.key, 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=user_app&app_key=${app.key}:${app.secret}`,
  });
  if (r.status !== 200) throw new Error(`token: HTTP ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

/** An authenticated GET (no redirect followed; pass `gzip` to accept it). */
export async function get(sim: TtSimulator, path: string, opts: { environment?: TtEnvironment; gzip?: boolean; bearer?: string } = {}): Promise<RawAnswer> {
  const environment = opts.environment ?? 'ext_uat_cert';
  const bearer = opts.bearer ?? (await token(sim, environment));
  const headers: Record<string, string> = { 'x-api-key': appOf(environment, sim.apps).key, authorization: `Bearer ${bearer}` };
  if (opts.gzip) headers['accept-encoding'] = 'gzip';
  return raw(sim.baseUrl, 'GET', withId(path), { headers });
}
