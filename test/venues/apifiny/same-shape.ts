/**
 * Compares an answer with a documented example by shape: every key of the example (trimmed: the doc writes
 * "exchange " once) is present with the same JSON type; arrays compare each element with the example's first one; an
 * example value of null (an unset field) or {} (a "Same as new order response" placeholder) matches anything there.
 * Extra keys in the answer are allowed.
 */
export function shapeMismatches(doc: unknown, actual: unknown, path = '$'): string[] {
  if (doc === null) return [];
  const type = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (type(doc) !== type(actual)) return [`${path}: documented ${type(doc)}, got ${type(actual)} (${JSON.stringify(actual)?.slice(0, 60)})`];
  if (Array.isArray(doc)) {
    const list = actual as unknown[];
    if (doc.length === 0) return [];
    if (list.length === 0) return [`${path}: empty array, the example has elements`];
    return list.slice(0, 5).flatMap((a, i) => shapeMismatches(doc[0], a, `${path}[${i}]`));
  }
  if (typeof doc === 'object') {
    const a = actual as Record<string, unknown>;
    return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) => {
      const key = k.trim();
      return key in a ? shapeMismatches(v, a[key], `${path}.${key}`) : [`${path}.${key}: missing`];
    });
  }
  return [];
}
