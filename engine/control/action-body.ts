/**
 * The control actions the API accepts, and the parsing of their requests: the route names the action (and, for one
 * order or strategy, its id), the JSON body its fields. Unknown fields, missing or mistyped ones are refused with a
 * message naming the field, before anything reaches the engine.
 */
import { err, ok, type Result } from '../model/result.js';
import type { CancelScope, TradingStateName } from './source.js';

export type ControlAction =
  | { readonly kind: 'trading-state'; readonly state: TradingStateName; readonly reason: string }
  | { readonly kind: 'cancel-all'; readonly scope: CancelScope }
  | { readonly kind: 'cancel-order'; readonly clientOrderId: string }
  | { readonly kind: 'stop-strategy'; readonly strategyId: string; readonly reason: string }
  | { readonly kind: 'flatten'; readonly instrumentId: string };

export type ActionKind = ControlAction['kind'];

/** The action a POST path names, with the id taken from the path; undefined when the path names none. */
export type ActionRoute = { readonly kind: ActionKind; readonly id?: string };

/** The reason passed to the engine when the request gives none. */
export const DEFAULT_REASON = 'operator request (control API)';
const TRADING_STATES: readonly TradingStateName[] = ['ACTIVE', 'REDUCING', 'HALTED'];
const MAX_TEXT = 500;

/** `segments` are the path's parts after /api/v1/, already URI-decoded. */
export function matchActionRoute(segments: readonly string[]): ActionRoute | undefined {
  const [a, b, c, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (b === undefined && c === undefined) {
    if (a === 'trading-state') return { kind: 'trading-state' };
    if (a === 'cancel-all') return { kind: 'cancel-all' };
    if (a === 'flatten') return { kind: 'flatten' };
    return undefined;
  }
  if (b === undefined || b === '' || c === undefined) return undefined;
  if (a === 'orders' && c === 'cancel') return { kind: 'cancel-order', id: b };
  if (a === 'strategies' && c === 'stop') return { kind: 'stop-strategy', id: b };
  return undefined;
}

type FieldSpec = { readonly required: boolean; readonly oneOf?: readonly string[] };

const FIELDS: Record<ActionKind, Readonly<Record<string, FieldSpec>>> = {
  'trading-state': { state: { required: true, oneOf: TRADING_STATES }, reason: { required: false } },
  'cancel-all': { venue: { required: false }, instrumentId: { required: false }, strategyId: { required: false } },
  'cancel-order': {},
  'stop-strategy': { reason: { required: false } },
  flatten: { instrumentId: { required: true }, confirm: { required: true } },
};

/** Checks every field against the action's spec: the values are all strings, present where required. */
function checkFields(kind: ActionKind, body: Record<string, unknown>): Result<Record<string, string>> {
  const spec = FIELDS[kind];
  const allowed = Object.keys(spec);
  for (const name of Object.keys(body)) {
    if (!Object.hasOwn(spec, name)) {
      const hint = allowed.length === 0 ? 'this action takes no fields' : `allowed: ${allowed.join(', ')}`;
      return err(`unknown field "${name}" (${hint})`);
    }
  }
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(spec)) {
    const value = body[name];
    if (value === undefined) {
      if (field.required) return err(`field "${name}" is required`);
      continue;
    }
    if (typeof value !== 'string') return err(`field "${name}" must be a string`);
    if (field.oneOf !== undefined && !field.oneOf.includes(value)) return err(`field "${name}" must be one of ${field.oneOf.join(', ')}`);
    if (value.trim() === '') return err(`field "${name}" must not be empty`);
    if (value.length > MAX_TEXT) return err(`field "${name}" is longer than ${MAX_TEXT} characters`);
    out[name] = value;
  }
  return ok(out);
}

/** The action a route and body ask for, or a message saying what is wrong with the request (400). */
export function parseAction(route: ActionRoute, body: Record<string, unknown>): Result<ControlAction> {
  const checked = checkFields(route.kind, body);
  if (!checked.ok) return checked;
  const f = checked.value;
  switch (route.kind) {
    case 'trading-state':
      return ok({ kind: 'trading-state', state: f['state'] as TradingStateName, reason: f['reason'] ?? DEFAULT_REASON });
    case 'cancel-all': {
      const scope: { venue?: string; instrumentId?: string; strategyId?: string } = {};
      if (f['venue'] !== undefined) scope.venue = f['venue'];
      if (f['instrumentId'] !== undefined) scope.instrumentId = f['instrumentId'];
      if (f['strategyId'] !== undefined) scope.strategyId = f['strategyId'];
      return ok({ kind: 'cancel-all', scope });
    }
    case 'cancel-order':
      return ok({ kind: 'cancel-order', clientOrderId: route.id ?? '' });
    case 'stop-strategy':
      return ok({ kind: 'stop-strategy', strategyId: route.id ?? '', reason: f['reason'] ?? DEFAULT_REASON });
    case 'flatten':
      if (f['confirm'] !== f['instrumentId']) return err('confirm must repeat the instrument id');
      return ok({ kind: 'flatten', instrumentId: f['instrumentId']! });
  }
}

/** The action's parameters as the audit log keeps them (what was passed to the engine). */
export function auditParams(action: ControlAction): Record<string, unknown> {
  switch (action.kind) {
    case 'trading-state':
      return { state: action.state, reason: action.reason };
    case 'cancel-all':
      return { ...action.scope };
    case 'cancel-order':
      return { clientOrderId: action.clientOrderId };
    case 'stop-strategy':
      return { strategyId: action.strategyId, reason: action.reason };
    case 'flatten':
      return { instrumentId: action.instrumentId };
  }
}
