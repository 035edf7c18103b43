/**
 * The TT REST simulator's constants (adapters/tt/CONTRACT.md): services, environments, the demo applications' keys,
 * and JSON with integers past 2^53 written as numbers (TT's nanosecond timestamps).
 */

export const SERVICES = ['ttid', 'ttpds', 'ttledger', 'ttmonitor', 'ttaccount', 'ttuser', 'ttsetup', 'ttgroup'] as const;
export type TtService = (typeof SERVICES)[number];

export const ENVIRONMENTS = ['ext_uat_cert', 'ext_prod_live'] as const;
export type TtEnvironment = (typeof ENVIRONMENTS)[number];

export interface TtApp {
  readonly environment: TtEnvironment;
  readonly key: string;
  readonly secret: string;
}

/** One application key per environment (TT: separate keys for UAT and Live). Printed by `npm run venue:tt` on purpose. */
export const DEMO_APPS: readonly TtApp[] = [
  { environment: 'ext_uat_cert', key: '6d1b3c2a-0f4e-4a8b-9c7d-2e5f1a3b4c5d', secret: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b' },
  { environment: 'ext_prod_live', key: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b', secret: 'f0e1d2c3-b4a5-4968-8776-655443322110' },
];

/** `<app_name>-<company_name>--<guid>` (TT: gs-token.html). */
export const REQUEST_ID = /^.+-.+--[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** Routes a client uses first: answered with a 303 to /edge/… (CONTRACT.md, Transport). */
export const EARLY_ROUTES: readonly string[] = ['ttpds/markets', 'ttaccount/accounts'];

const BIG = '\u0000big:';

/** JSON.stringify where bigint values are written as plain JSON numbers (exact, however many digits). */
export function stringifyWithBigInts(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${BIG}${v.toString()}` : v));
  return text.replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

/** An opaque page key (base64url of the next index) and back; undefined for a key this simulator did not issue. */
export const pageKey = (kind: string, index: number): string => Buffer.from(`${kind}:${index}`).toString('base64url');
export function readPageKey(kind: string, key: string): number | undefined {
  const m = /^([a-z]+):(\d+)$/.exec(Buffer.from(key, 'base64url').toString('utf8'));
  return m === null || m[1] !== kind ? undefined : Number(m[2]);
}
