/**
 * Field readers for venue frames parsed from `unknown` (adapters' wire.ts). A reader throws a WireError with a short
 * reason; `attempt` turns that into a result, so a malformed frame becomes a logged error and the stream goes on.
 */
export type WireResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
export type Obj = Record<string, unknown>;

class WireError extends Error {}

export const bad = (reason: string): never => {
  throw new WireError(reason);
};
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown, what: string): Obj => (isObj(v) ? v : bad(`${what} is not an object`));
/** A number, or a decimal string (venues often send prices and quantities as strings). */
export const num = (o: Obj, k: string): number => {
  const v = o[k];
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : bad(`${k} is not a number`);
};
export const numOrNull = (o: Obj, k: string): number | null => (o[k] === null || o[k] === undefined ? null : num(o, k));
export const str = (o: Obj, k: string): string => {
  const v = o[k];
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : bad(`${k} is not a string`);
};
export const oneOf = <T extends string>(o: Obj, k: string, values: readonly T[]): T => {
  const v = o[k];
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : bad(`${k} is not one of ${values.join('|')}`);
};
export const arr = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : bad(`${what} is not an array`));

export function attempt<T>(f: () => T): WireResult<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof WireError) return { ok: false, reason: e.message };
    throw e;
  }
}
