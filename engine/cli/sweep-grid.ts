import { ConfigError } from '../config/config.js';

export interface SweepAxis {
  readonly name: string;
  readonly values: readonly (number | string | boolean)[];
}

const parseValue = (v: string): number | string | boolean => {
  if (v === 'true' || v === 'false') return v === 'true';
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
};

/** Decimal places of a number written in a sweep, so 0.1..0.3:0.1 gives 0.1, 0.2, 0.3 (not 0.30000000000000004). */
const places = (s: string): number => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

/**
 * `fast=5..20:5,slow=50,100,mode=fast` → fast ∈ {5,10,15,20}, slow ∈ {50,100}, mode ∈ {"fast"}.
 * A comma followed by `name=` starts the next param; other commas separate values. `a..b:step` is inclusive.
 */
export function parseSweep(spec: string): SweepAxis[] {
  const axes: Array<{ name: string; values: (number | string | boolean)[] }> = [];
  const problems: string[] = [];
  for (const token of spec.split(',').map((t) => t.trim()).filter((t) => t.length > 0)) {
    const eq = token.indexOf('=');
    let raw = token;
    if (eq > 0) {
      const name = token.slice(0, eq).trim();
      if (axes.some((a) => a.name === name)) problems.push(`--sweep: ${name} is given twice`);
      axes.push({ name, values: [] });
      raw = token.slice(eq + 1).trim();
    } else if (axes.length === 0) {
      problems.push(`--sweep: "${token}" has no param name; write name=values, e.g. fast=5..20:5`);
      continue;
    }
    const axis = axes.at(-1)!;
    const range = /^(-?[\d.]+)\.\.(-?[\d.]+)(?::([\d.]+))?$/.exec(raw);
    if (range) {
      const [from, to, step = '1'] = [range[1]!, range[2]!, range[3]];
      const [a, b, s] = [Number(from), Number(to), Number(step)];
      if (![a, b, s].every(Number.isFinite) || s <= 0 || b < a) {
        problems.push(`--sweep: ${axis.name}=${raw}: a range is from..to:step with from ≤ to and step > 0`);
        continue;
      }
      const d = Math.max(places(from), places(step));
      const count = Math.floor((b - a) / s + 1e-9) + 1;
      if (count > 10_000) problems.push(`--sweep: ${axis.name}=${raw} has ${count} values; at most 10,000`);
      else for (let i = 0; i < count; i++) axis.values.push(Number((a + i * s).toFixed(d)));
    } else {
      axis.values.push(parseValue(raw));
    }
  }
  for (const a of axes) if (a.values.length === 0) problems.push(`--sweep: ${a.name} has no values`);
  if (axes.length === 0 && problems.length === 0) problems.push('--sweep: nothing to sweep; write e.g. fast=5..20:5,slow=50,100');
  if (problems.length) throw new ConfigError(problems);
  return axes;
}

/** Every combination, the first axis varying slowest. */
export function sweepGrid(axes: readonly SweepAxis[]): Array<Record<string, number | string | boolean>> {
  let out: Array<Record<string, number | string | boolean>> = [{}];
  for (const axis of axes) out = out.flatMap((combo) => axis.values.map((v) => ({ ...combo, [axis.name]: v })));
  return out;
}
