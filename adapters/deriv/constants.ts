/** Deriv API constants: the public endpoint, the error codes the adapter acts on, contract kinds. */
export const DEFAULT_URL = 'wss://ws.derivws.com/websockets/v3';
export const DEFAULT_VENUE_ID = 'DERIV';
export const EXCERPT_CHARS = 200;

/** Refusals of the session: definitive, never retried. */
export const SESSION_REFUSED_CODES: ReadonlySet<string> = new Set(['InvalidToken', 'InvalidAppID', 'AuthorizationRequired', 'AccountDisabled', 'SelfExclusion']);
/** The token lacks the scope a call needs. */
export const PERMISSION_DENIED = 'PermissionDenied';
/** Selling a contract that is no longer open (sold or settled at expiry). */
export const CONTRACT_CLOSED_CODES: ReadonlySet<string> = new Set(['InvalidSellContractProposal', 'ContractExpired']);

/** The Rise/Fall contract types traded as instruments `<SYMBOL>-<TYPE>.<VENUE>`. */
export const CONTRACT_TYPES = ['CALL', 'PUT'] as const;
export type DerivContractType = (typeof CONTRACT_TYPES)[number];

/** One instrument unit is 1 currency unit of payout; prices are per unit of payout, so price × quantity = stake. */
export const CONTRACT_TICK = 0.01;
export const CONTRACT_STEP = 1;
export const MIN_STAKE = 0.35;
export const MAX_PAYOUT = 50_000;
