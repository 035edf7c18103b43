/**
 * A small validating schema for config: each spec checks an unknown value at a key path and returns the typed value,
 * collecting readable errors (`risk.maxNotional.BTCUSD.SIM: expected a positive number, got "abc"`).
 * Written by hand because the config is small and the messages matter more than a generic library's.
 */
export interface Issues {
  add(path: string, message: string): void;
}
export interface Spec<T> {
  /** Returns the value (defaults applied), or undefined after adding an issue. */
  parse(value: unknown, path: string, issues: Issues): T | undefined;
  readonly optional?: boolean;
  readonly describe: string;
}

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'nothing';
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
};
const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function simple<T>(describe: string, ok: (v: unknown) => v is T): Spec<T> {
  return {
    describe,
    parse(v, path, issues) {
      if (ok(v)) return v;
      issues.add(path, `expected ${describe}, got ${show(v)}`);
      return undefined;
    },
  };
}

export const num = (opts: { min?: number; max?: number; positive?: boolean; integer?: boolean } = {}): Spec<number> => {
  const words = [opts.integer ? 'an integer' : 'a number'];
  if (opts.positive) words[0] = opts.integer ? 'a positive integer' : 'a positive number';
  if (opts.min !== undefined) words.push(`≥ ${opts.min}`);
  if (opts.max !== undefined) words.push(`≤ ${opts.max}`);
  return simple(words.join(' '), (v): v is number =>
    typeof v === 'number' && Number.isFinite(v) &&
    (!opts.positive || v > 0) && (opts.min === undefined || v >= opts.min) && (opts.max === undefined || v <= opts.max) &&
    (!opts.integer || Number.isInteger(v)));
};
export const str = (pattern?: RegExp, describe = 'a string'): Spec<string> =>
  simple(describe, (v): v is string => typeof v === 'string' && v.length > 0 && (!pattern || pattern.test(v)));
export const bool = (): Spec<boolean> => simple('true or false', (v): v is boolean => typeof v === 'boolean');
export const oneOf = <const T extends string>(values: readonly T[]): Spec<T> =>
  simple(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v): v is T => values.includes(v as T));
/** Any JSON-like value (strategy params are checked against the strategy's own defaults later). */
export const any = (): Spec<unknown> => ({ describe: 'anything', parse: (v) => v });

export function optional<T>(spec: Spec<T>): Spec<T | undefined> {
  return { describe: spec.describe, optional: true, parse: (v, p, i) => (v === undefined ? undefined : spec.parse(v, p, i)) };
}
export function withDefault<T>(spec: Spec<T>, value: T): Spec<T> {
  return { describe: spec.describe, optional: true, parse: (v, p, i) => (v === undefined ? value : spec.parse(v, p, i)) };
}
/** An object section that may be left out: absent parses as `{}`, so its own defaults apply. */
export function section<T>(spec: Spec<T>): Spec<T> {
  return { describe: spec.describe, optional: true, parse: (v, p, i) => spec.parse(v ?? {}, p, i) };
}
export function union<A, B>(a: Spec<A>, b: Spec<B>): Spec<A | B> {
  const describe = `${a.describe} or ${b.describe}`;
  return {
    describe,
    parse(v, path, issues) {
      const tries = ([a, b] as Spec<A | B>[]).map((s) => {
        const local: Array<[string, string]> = [];
        const value = s.parse(v, path, { add: (p, m) => local.push([p, m]) });
        return { value, local };
      });
      const fit = tries.find((t) => t.local.length === 0);
      if (fit) return fit.value;
      // the right kind of value with bad contents (e.g. a list with a bad item): report those inner problems
      const inner = tries.find((t) => t.local.every(([p]) => p !== path));
      if (inner) for (const [p, m] of inner.local) issues.add(p, m);
      else issues.add(path, `expected ${describe}, got ${show(v)}`);
      return undefined;
    },
  };
}

export function arr<T>(item: Spec<T>): Spec<T[]> {
  return {
    describe: `a list of ${item.describe}`,
    parse(v, path, issues) {
      if (!Array.isArray(v)) {
        issues.add(path, `expected a list, got ${show(v)}`);
        return undefined;
      }
      return v.map((x, i) => item.parse(x, `${path}[${i}]`, issues)) as T[];
    },
  };
}

export function record<T>(value: Spec<T>): Spec<Record<string, T>> {
  return {
    describe: `a map of ${value.describe}`,
    parse(v, path, issues) {
      if (!isPlainObject(v)) {
        issues.add(path, `expected an object, got ${show(v)}`);
        return undefined;
      }
      const out: Record<string, T> = {};
      for (const [k, x] of Object.entries(v)) out[k] = value.parse(x, at(path, k), issues) as T;
      return out;
    },
  };
}

type Shape = Record<string, Spec<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Spec<infer T> ? T : never };

/** An object with exactly these keys: unknown keys are errors, missing required keys are errors. */
export function obj<S extends Shape>(shape: S): Spec<Out<S>> {
  return {
    describe: 'an object',
    parse(v, path, issues) {
      if (!isPlainObject(v)) {
        issues.add(path, `expected an object, got ${show(v)}`);
        return undefined;
      }
      for (const k of Object.keys(v)) {
        if (!(k in shape)) issues.add(at(path, k), `unknown key (known: ${Object.keys(shape).join(', ')})`);
      }
      const out: Record<string, unknown> = {};
      for (const [k, spec] of Object.entries(shape)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined && !spec.optional) {
          issues.add(at(path, k), `is required (${spec.describe})`);
          continue;
        }
        const r = spec.parse(x, at(path, k), issues);
        if (r !== undefined) out[k] = r;
      }
      return out as Out<S>;
    },
  };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
