/** Small HTTP helpers of the control server: JSON answers, reading a bounded JSON body, query limits. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../model/result.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** Headers every answer carries: no sniffing, no framing (the dashboard has halt buttons), no referrer. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export const errorBody = (message: string): { schema: 'engine.error/1'; error: string } => ({ schema: 'engine.error/1', error: message });

export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, errorBody(message), headers);
}

export interface BodyError {
  readonly status: 400 | 413;
  readonly message: string;
}

const isJsonContentType = (value: string | undefined): boolean =>
  value !== undefined && value.split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * Reads a request body of at most MAX_BODY_BYTES and parses it as a JSON object. An empty body counts as `{}` (so
 * `curl -X POST …/cancel` works); a non-empty one needs `content-type: application/json`. A body over the limit is not
 * read further: the answer is 413 and the connection is closed after it.
 */
export function readJsonBody(req: IncomingMessage): Promise<Result<Record<string, unknown>, BodyError>> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      resolve(err({ status: 413, message: `the body is larger than ${MAX_BODY_BYTES} bytes` }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: Result<Record<string, unknown>, BodyError>): void => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        finish(err({ status: 413, message: `the body is larger than ${MAX_BODY_BYTES} bytes` }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => finish(err({ status: 400, message: 'the request body could not be read' })));
    req.on('end', () => {
      if (size === 0) return finish(ok({}));
      if (!isJsonContentType(req.headers['content-type'])) {
        return finish(err({ status: 400, message: 'the body must be sent with content-type: application/json' }));
      }
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return finish(err({ status: 400, message: 'the body is not valid JSON' }));
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return finish(err({ status: 400, message: 'the body must be a JSON object' }));
      }
      finish(ok(value as Record<string, unknown>));
    });
  });
}

/**
 * `limit` from a query string: absent → `fallback`; an integer ≥ 1 → itself, at most `max` (a larger one is served as
 * `max`); anything else → an error naming the parameter.
 */
export function parseLimit(params: URLSearchParams, fallback: number, max: number): Result<number> {
  const raw = params.get('limit');
  if (raw === null) return ok(fallback);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) return err(`limit must be a whole number from 1 to ${max}`);
  return ok(Math.min(Number(raw), max));
}
