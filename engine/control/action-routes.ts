/**
 * The write side of the API: a POST that passed authentication is checked (read-only source → 403, body → 400), handed
 * to the source (which turns it into intents that pass the risk layer), answered (200, or 409 when the engine refused
 * it) and audited. Only actions that reached the source are audited; a malformed or unauthorised request changes
 * nothing and leaves no audit row.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import { assertNever } from '../model/result.js';
import { auditParams, parseAction, type ActionRoute, type ControlAction } from './action-body.js';
import { readJsonBody, sendError, sendJson } from './http-util.js';
import type { ActionResult, AuditEntry, ControlSource } from './source.js';

export interface ActionDeps {
  readonly source: ControlSource;
  readonly log: Logger;
  /** Wall-clock time of an audit entry (epoch ms). */
  readonly now: () => number;
}

function run(source: ControlSource, action: ControlAction): ActionResult {
  switch (action.kind) {
    case 'trading-state':
      return source.setTradingState(action.state, action.reason);
    case 'cancel-all':
      return source.cancelAll(action.scope);
    case 'cancel-order':
      return source.cancel(action.clientOrderId);
    case 'stop-strategy':
      return source.stopStrategy(action.strategyId, action.reason);
    case 'flatten':
      return source.flatten(action.instrumentId);
    default:
      return assertNever(action, 'control action');
  }
}

/** `token@<remote address>`: the bearer of the control token, and where the request came from. */
export const actorOf = (req: IncomingMessage): string => `token@${req.socket.remoteAddress ?? 'unknown'}`;

export async function handleAction(req: IncomingMessage, res: ServerResponse, route: ActionRoute, deps: ActionDeps): Promise<void> {
  const { source, log } = deps;
  if (source.readOnly) {
    req.resume();
    return sendError(res, 403, 'this session is read-only (a backtest or sweep): control actions are refused');
  }
  const body = await readJsonBody(req);
  if (!body.ok) {
    if (body.error.status === 413) {
      res.once('finish', () => req.socket.destroy());
      return sendError(res, 413, body.error.message, { connection: 'close' });
    }
    return sendError(res, 400, body.error.message);
  }
  const parsed = parseAction(route, body.value);
  if (!parsed.ok) return sendError(res, 400, parsed.error);

  const action = parsed.value;
  const params = auditParams(action);
  let result: ActionResult;
  let failed = false;
  try {
    result = run(source, action);
  } catch (e) {
    // a throwing source is a broken invariant in the engine: say so, keep serving, and audit it as failed
    failed = true;
    log.error({ err: e, action: action.kind, params }, 'control action failed inside the engine');
    result = { ok: false, message: 'the action failed inside the engine (see the engine log): nothing is known to have changed' };
  }
  const entry: AuditEntry = { ts: deps.now(), actor: actorOf(req), action: action.kind, params, ok: result.ok, message: result.message };
  try {
    source.audit(entry);
  } catch (e) {
    log.error({ err: e, entry }, 'control action could not be audited');
  }
  log.info({ actor: entry.actor, action: entry.action, params, ok: result.ok, result: result.message }, 'control action');

  const answer: Record<string, unknown> = { schema: 'engine.action/1', ok: result.ok, message: result.message };
  if (result.orders !== undefined) answer['orders'] = result.orders;
  sendJson(res, failed ? 500 : result.ok ? 200 : 409, answer);
}
