/**
 * The Deriv WebSocket API as the simulator speaks it: the envelope (`echo_req`, `msg_type`, `req_id` echoed, the
 * method's own key), the `{error:{code,message}}` error shape, the token scopes each call needs, and the error codes.
 * Wire types come from the published `@deriv/api-types` package.
 */
import type { TickSpotData } from '@deriv/api-types';

export type DerivScope = 'read' | 'trade' | 'trading_information' | 'payments' | 'admin';
export const ALL_SCOPES: readonly DerivScope[] = ['read', 'trade', 'trading_information', 'payments', 'admin'];

/** The scope each authenticated call needs (the API playground's drop-down). Calls not listed need no login. */
export const SCOPE_OF: Readonly<Record<string, DerivScope>> = {
  balance: 'read',
  portfolio: 'read',
  statement: 'read',
  profit_table: 'read',
  transaction: 'read',
  proposal_open_contract: 'read',
  get_settings: 'read',
  buy: 'trade',
  sell: 'trade',
  sell_expired: 'trade',
  api_token: 'admin',
  set_settings: 'admin',
  cashier: 'payments',
  mt5_login_list: 'trading_information',
};

/** Deriv's error codes used by the simulator (one place, so tests and the adapter agree). */
export const ERR = {
  InvalidAppID: 'Your app_id is invalid.',
  AuthorizationRequired: 'Please log in.',
  InvalidToken: 'The token is invalid.',
  PermissionDenied: 'Permission denied, requires %s scope(s).',
  UnrecognisedRequest: 'Unrecognised request.',
  InputValidationFailed: 'Input validation failed: %s',
  InvalidSymbol: 'Symbol %s invalid.',
  AlreadySubscribed: 'You are already subscribed to %s.',
  InvalidContractProposal: 'Unknown contract proposal',
  PriceMoved: 'The underlying market has moved too much since you priced the contract. The contract price has changed from %s to %s.',
  InsufficientBalance: 'Your account balance (%s) is insufficient to buy this contract (%s).',
  InvalidSellContractProposal: 'This contract has been sold.',
  InvalidContractId: 'Contract not found.',
  ContractExpired: 'This contract has expired.',
} as const;
export type DerivErrorCode = keyof typeof ERR;

export const errorMessage = (code: DerivErrorCode, ...args: string[]): string => {
  let i = 0;
  return ERR[code].replace(/%s/g, () => args[i++] ?? '');
};

export interface DerivRequest {
  readonly [k: string]: unknown;
  readonly req_id?: number;
  readonly passthrough?: Record<string, unknown>;
}

/**
 * The key that names the method: the first that is a method `known` (arguments may come before it: Deriv's official
 * client sends `{ contract_id, proposal_open_contract: 1 }`), else the first that is not a common field.
 */
export function methodOf(req: DerivRequest, known: (key: string) => boolean = () => false): string | undefined {
  const keys = Object.keys(req).filter((k) => !['req_id', 'passthrough', 'subscribe', 'loginid'].includes(k));
  return keys.find(known) ?? keys[0];
}

export function reply(req: DerivRequest, msgType: string, body: Record<string, unknown>): Record<string, unknown> {
  return {
    echo_req: req,
    msg_type: msgType,
    ...body,
    ...(req.req_id !== undefined ? { req_id: req.req_id } : {}),
    ...(req.passthrough !== undefined ? { passthrough: req.passthrough } : {}),
  };
}

export function errorReply(req: DerivRequest, msgType: string, code: DerivErrorCode, ...args: string[]): Record<string, unknown> {
  return reply(req, msgType, { error: { code, message: errorMessage(code, ...args) } });
}

export type SimTick = Required<Pick<TickSpotData, 'ask' | 'bid' | 'epoch' | 'id' | 'pip_size' | 'quote' | 'symbol'>>;
