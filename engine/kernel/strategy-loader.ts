import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/config.js';
import { isStrategyDefinition, type StrategyDefinition } from '../strategy/define-strategy.js';
import { closestName } from './did-you-mean.js';

const EXTENSIONS = ['.ts', '.js', '.mjs'];

/** Where a `use` value points: a path (has a slash or an extension) or a name in the strategies folder. */
export function strategyPath(use: string, strategiesDir: string): string {
  const looksLikePath = use.includes('/') || use.includes('\\') || EXTENSIONS.some((e) => use.endsWith(e));
  const base = looksLikePath ? (isAbsolute(use) ? use : resolve(use)) : resolve(strategiesDir, use);
  if (existsSync(base) && EXTENSIONS.some((e) => base.endsWith(e))) return base;
  for (const ext of EXTENSIONS) if (existsSync(base + ext)) return base + ext;
  if (looksLikePath) throw new ConfigError([`strategy "${use}": no file at ${base}{${EXTENSIONS.join(',')}}`]);
  const known = strategyNames(strategiesDir);
  const closest = closestName(use, known);
  throw new ConfigError([
    `strategy "${use}" is unknown${closest === undefined ? '.' : `: did you mean "${closest}"?`} ` +
      `The strategies in ${strategiesDir}/ are ${known.join(', ') || '(none)'}; or give the path of a strategy file`,
  ]);
}

/** The strategies a name can pick: the files in the strategies folder, without their extension, sorted. */
export function strategyNames(strategiesDir = 'strategies'): string[] {
  let files: string[];
  try {
    files = readdirSync(resolve(strategiesDir));
  } catch {
    return [];
  }
  const names = files.filter((f) => !f.endsWith('.d.ts')).flatMap((f) => EXTENSIONS.filter((e) => f.endsWith(e)).map((e) => f.slice(0, -e.length)));
  return [...new Set(names)].sort();
}

/**
 * Loads the strategies config names, by name from the strategies folder or by path; each module's default export must
 * be a defineStrategy(...) result. The kernel gets them as a registry and never imports strategies/ itself.
 */
export async function loadStrategies(uses: readonly string[], strategiesDir = 'strategies'): Promise<Map<string, StrategyDefinition>> {
  const out = new Map<string, StrategyDefinition>();
  for (const use of new Set(uses)) {
    const path = strategyPath(use, strategiesDir);
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (e) {
      throw new ConfigError([`strategy "${use}": cannot load ${path}: ${(e as Error).message}`]);
    }
    if (!isStrategyDefinition(mod.default)) {
      throw new ConfigError([`strategy "${use}": ${path} has no default export made with defineStrategy({ name, ... })`]);
    }
    out.set(use, mod.default);
  }
  return out;
}
