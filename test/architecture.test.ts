import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['engine', 'strategies', 'adapters'];

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file, resolved to repo paths (`.js` specifiers name `.ts` sources). */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"]([^'"]+)['"]/g), ...src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1]!)
    .filter((s) => s.startsWith('.'));
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const files = ROOTS.flatMap(sourceFiles);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  it('finds the source tree and resolves its imports', () => {
    expect(files.length).toBeGreaterThan(40);
    const resolved = [...graph.values()].flat().filter((d) => graph.has(d)).length;
    expect(resolved).toBeGreaterThan(150);
  });

  it('keeps engine/ free of imports from adapters/ and strategies/', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('engine/')).flatMap(([f, deps]) =>
      deps.filter((d) => d.startsWith('adapters/') || d.startsWith('strategies/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('keeps engine/model free of imports from the rest of the engine', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('engine/model/')).flatMap(([f, deps]) =>
      deps.filter((d) => !d.startsWith('engine/model/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative('.', p)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('reads time and randomness only through the injected clock in engine/ and strategies/', () => {
    const bad = files
      .filter((f) => (f.startsWith('engine/') || f.startsWith('strategies/')) && !f.startsWith('engine/clock/'))
      .filter((f) => /Date\.now\(\)|Math\.random\(\)/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(bad).toEqual([]);
  });

  it('opens sockets only in engine/net/, engine/control/ (the control plane\'s server) and adapters/', () => {
    const bad = files
      .filter((f) => !f.startsWith('engine/net/') && !f.startsWith('engine/control/') && !f.startsWith('adapters/'))
      .filter((f) => /from ['"](ws|node:net|net|node:http|http|node:https|https)['"]/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('builds no object as `{ ...x, more }` on the engine\'s hot paths (a hidden class per object on Node 20)', () => {
    // On Node 20's V8 an object literal that starts with a spread and then adds properties gets a map of its own:
    // about 1 µs per added property, and every later read of such objects goes megamorphic (measured while working
    // on the order path). Start the literal with a property, or use Object.assign({ kind: x.kind }, x, more).
    const hot = ['engine/execution/', 'engine/sim/', 'engine/strategy/', 'engine/portfolio/', 'engine/kernel/', 'engine/risk/', 'engine/persistence/', 'engine/net/', 'engine/fix/', 'adapters/'];
    const bad = files
      .filter((f) => hot.some((h) => f.startsWith(h)))
      .flatMap((f) => [...readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '').matchAll(/\{\s*\.\.\.[^,{}()]+(?:\([^()]*\))?,\s*[\w[]/g)].map((m) => `${f}: ${m[0]}`));
    expect(bad).toEqual([]);
  });
});
