/**
 * Authorization on every (re)open: `authorize` with the token, then a `balance` read that proves the read scope. A
 * refused token or app_id, or a missing read scope, is a definitive ConnectionRejectedError (no reconnect, no retry);
 * the token never appears in a message.
 */
import { ConnectionRejectedError } from '../../engine/net/errors.js';
import { describeEndpoint } from '../../engine/net/endpoint.js';
import type { DerivAnswer, DerivRequester } from './client.js';
import type { DerivConfig } from './config.js';
import { ENV } from './config.js';
import { PERMISSION_DENIED, SESSION_REFUSED_CODES } from './constants.js';
import { parseAuthorize, type DerivAuthorize } from './wire.js';

export interface DerivSessionInfo {
  readonly loginid: string;
  readonly currency: string;
  readonly scopes: readonly string[];
}

export async function authorize(config: DerivConfig, request: DerivRequester): Promise<DerivSessionInfo> {
  const endpoint = describeEndpoint(config.url);
  const refuse = (what: string, a: DerivAnswer): never => {
    const venue = a.kind === 'venue-error' ? `${a.error.code}: ${a.error.message}` : a.kind === 'unknown' ? a.reason : 'unexpected answer';
    throw new ConnectionRejectedError(`deriv: ${what} (venue says ${venue})`, { endpoint });
  };
  const a = await request({ authorize: config.credentials.token });
  if (a.kind === 'unknown') throw new Error(`deriv: no answer to authorize: ${a.reason}`); // transient: reconnect with backoff
  if (a.kind === 'venue-error') {
    if (SESSION_REFUSED_CODES.has(a.error.code)) {
      refuse(a.error.code === 'InvalidAppID' ? `the venue refused app_id ${config.credentials.appId} (${ENV.appId})` : `authorization refused: the venue rejected the API token in ${ENV.token}`, a);
    }
    throw new Error(`deriv: authorize failed: ${a.error.code}: ${a.error.message}`);
  }
  const parsed = parseAuthorize(a.frame);
  if (!parsed.ok) throw new Error(`deriv: unreadable authorize answer (${parsed.reason})`);
  const info: DerivAuthorize = parsed.value;
  const b = await request({ balance: 1 });
  if (b.kind === 'venue-error' && b.error.code === PERMISSION_DENIED) {
    refuse(`authorization incomplete: the API token in ${ENV.token} lacks the read scope the adapter needs (balance, portfolio, statement, transactions); create a token with read and trade`, b);
  }
  if (b.kind !== 'ok') throw new Error(`deriv: balance after authorize failed: ${b.kind === 'unknown' ? b.reason : `${b.error.code}: ${b.error.message}`}`);
  return { loginid: info.loginid ?? '', currency: info.currency || config.currency, scopes: info.scopes ?? [] };
}
