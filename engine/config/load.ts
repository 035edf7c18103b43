import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineInstrument, type Instrument, type InstrumentSpec } from '../model/instrument.js';
import { ConfigError, resolveConfig, type EngineConfig, type EngineConfigInput } from './config.js';

/** Loads engine.config.ts (or any module whose default export is a config) and resolves it. */
export async function loadConfigFile(path: string, overrides: Partial<EngineConfigInput> = {}): Promise<EngineConfig> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ConfigError([`file not found: ${abs}`], path);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    throw new ConfigError([`cannot load: ${(e as Error).message}`], path);
  }
  if (mod.default === undefined) throw new ConfigError(['has no default export; write `export default defineConfig({ ... })`'], path);
  return resolveConfig(mod.default, overrides, path);
}


/** The config's instruments: inline specs, or a JSON file of specs (path relative to the working directory). */
export function loadInstruments(config: Pick<EngineConfig, 'instruments'>): Instrument[] {
  let specs: readonly InstrumentSpec[];
  if (typeof config.instruments === 'string') {
    const file = resolve(config.instruments);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ConfigError([`instruments: cannot read ${file}: ${(e as Error).message}`]);
    }
    // validate the file with the same rules as inline instruments
    specs = resolveConfig({ strategies: [], instruments: raw }, {}, file).instruments as readonly InstrumentSpec[];
  } else {
    specs = config.instruments as readonly InstrumentSpec[];
  }
  const out: Instrument[] = [];
  const problems: string[] = [];
  specs.forEach((spec, i) => {
    try {
      out.push(defineInstrument(spec));
    } catch (e) {
      problems.push(`instruments[${i}]: ${(e as Error).message}`);
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return out;
}
