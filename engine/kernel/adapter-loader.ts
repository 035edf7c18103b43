import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock.js';
import { ConfigError, type EngineConfig } from '../config/config.js';
import type { VenueAdapter } from '../execution/venue-adapter.js';

/** What an adapter module's default export is: it checks its own options and reads secrets from `env`. */
export type AdapterFactory = (options: Readonly<Record<string, unknown>>, deps: AdapterDeps) => VenueAdapter;
export interface AdapterDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Randomness for backoff jitter and the like (injected, as everything in engine/). */
  readonly random: () => number;
}

/** Loads the configured venue adapters at run time (the kernel never imports adapters/). */
export async function loadAdapters(config: Pick<EngineConfig, 'venues'>, deps: AdapterDeps, adaptersDir = 'adapters'): Promise<VenueAdapter[]> {
  const out: VenueAdapter[] = [];
  for (const [name, venue] of Object.entries(config.venues)) {
    const base = venue.adapter.includes('/') ? resolve(venue.adapter) : resolve(adaptersDir, venue.adapter, 'index');
    const file = [base, `${base}.ts`, `${base}.js`].find((f) => existsSync(f) && !f.endsWith('index'));
    if (!file) throw new ConfigError([`venues.${name}.adapter: no adapter at ${base}.ts`]);
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof mod.default !== 'function') throw new ConfigError([`venues.${name}.adapter: ${file} has no default export factory (options, deps) => VenueAdapter`]);
    // `venueKey`, the entry's key in venues: the adapter's own child logger binds `adapter` and `venue` (the venue id)
    out.push((mod.default as AdapterFactory)(venue.options as Record<string, unknown>, Object.assign({}, deps, { log: deps.log.child({ venueKey: name }) })));
  }
  if (out.length === 0) throw new ConfigError(['no venues configured: paper, live and record need at least one entry in venues (see the README)']);
  return out;
}
