/** A plain object (not null, not an array): what the report checks stored JSON (config, summary) against. */
export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
