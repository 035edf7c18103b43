/** TT REST API 2.0 constants (CONTRACT.md): services, environments, resources, paging and retry bounds. */

export const ENVIRONMENTS = ['ext_uat_cert', 'ext_prod_live'] as const;
export type TtEnvironment = (typeof ENVIRONMENTS)[number];

export type TtService = 'ttid' | 'ttpds' | 'ttledger' | 'ttmonitor' | 'ttaccount';

/** Resources under `/<service>/<environment>/`; lowercase, as TT requires (an uppercase path answers 403). */
export const RESOURCES = {
  token: 'token',
  markets: 'markets',
  products: 'products',
  instruments: 'instruments',
  fills: 'fills',
  orders: 'orders',
  position: 'position',
  sod: 'sod',
  accounts: 'accounts',
  accountLimits: (accountId: string): string => `account/${accountId}/limits`,
} as const;

/** TT's product type id of futures (the only type turned into engine instruments). */
export const FUTURE_PRODUCT_TYPE = 34;

/** Redirect hops followed per request (the seed document asks for 303 support; the bound is ours). */
export const MAX_REDIRECTS = 5;
/** 429s waited out per request before it fails as rate limited. */
export const MAX_RATE_LIMIT_RETRIES = 5;
/** Pages read per listing before it is refused as endless (a venue that keeps answering lastPage false). */
export const MAX_PAGES = 10_000;

/** Characters of a venue answer quoted in a log line or error. */
export const EXCERPT_CHARS = 160;
