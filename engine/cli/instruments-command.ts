/**
 * `engine instruments --venue <name> [--product P …] --out FILE`: a venue's instruments, read through its adapter,
 * written as a JSON list of instrument specs — the file a config names as `instruments` (and `engine backtest` then
 * trades on the venue's own tick sizes and contract sizes).
 */
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLiveClock } from '../clock/live-clock.js';
import { ConfigError, type EngineConfig } from '../config/config.js';
import { loadConfigFile } from '../config/load.js';
import { specOf } from '../data/instrument-sidecar.js';
import { loadAdapters } from '../kernel/adapter-loader.js';
import { createCliLogger, DEFAULT_LOG_LEVEL } from './log-level.js';

export interface InstrumentsArgs {
  venue: string;
  out: string;
  /** The config whose `venues` entry of that name gives the adapter and its options; optional. */
  config?: string;
  product?: string[];
  /** `key=value` adapter options over the config's (a value that is JSON is read as JSON: numbers, lists). */
  option?: string[];
}

/** Live randomness (backoff jitter) for the adapters. */
export const random = (): number => randomInt(0, 2 ** 32) / 2 ** 32;

/** `key=value` pairs as adapter options. */
export function parseOptionArgs(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new ConfigError([`--option ${JSON.stringify(a)}: expected key=value`]);
    const raw = a.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      /* a plain string */
    }
    out[a.slice(0, eq)] = value;
  }
  return out;
}

/** The config (the one named, else engine.config.ts when present) and its venues entry `venue`, else the adapter of that name. */
export async function loadVenueConfig(venue: string, path: string | undefined): Promise<{ config: EngineConfig | undefined; entry: { adapter: string; options: Record<string, unknown> } }> {
  const configPath = path ?? (existsSync('engine.config.ts') ? 'engine.config.ts' : undefined);
  const config: EngineConfig | undefined = configPath === undefined ? undefined : await loadConfigFile(configPath);
  const entry = config?.venues[venue] ?? { adapter: venue, options: {} };
  return { config, entry: { adapter: entry.adapter, options: entry.options ?? {} } };
}

export async function instrumentsCommand(args: InstrumentsArgs, out: (s: string) => void): Promise<number> {
  const { config, entry } = await loadVenueConfig(args.venue, args.config);
  const options = Object.assign({}, entry.options, parseOptionArgs(args.option ?? []));
  const log = createCliLogger({ configLevel: config?.log.level, verbDefault: DEFAULT_LOG_LEVEL.backtest });
  const [adapter] = await loadAdapters({ venues: { [args.venue]: { adapter: entry.adapter, options } } }, { log, clock: createLiveClock(), env: process.env, random });
  try {
    await adapter!.connect(); // a refused key or secret fails here, once
    const products = args.product ?? [];
    const all = await adapter!.instruments(products.length > 0 ? products : undefined);
    const chosen = products.length === 0 ? all : all.filter((i) => products.includes(i.base));
    if (chosen.length === 0) throw new ConfigError([`venue ${args.venue}: no instruments${products.length > 0 ? ` of product ${products.join(', ')}` : ''}`]);
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(chosen.map(specOf), null, 2)}\n`);
    out(`wrote ${chosen.length} instruments of ${args.venue} to ${args.out} (a config's instruments: '${args.out}')`);
    return 0;
  } finally {
    await adapter!.close();
  }
}
