/** Every config a user is told to run (the default job, each venue's two-terminal demo) has a fat-finger price band. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../engine/config/load.js';
import { strategyPath } from '../../engine/kernel/strategy-loader.js';

const demos = readdirSync('adapters')
  .flatMap((venue) => ['demo.config.ts', 'demo-fix.config.ts'].map((name) => join('adapters', venue, name)))
  .filter((file) => existsSync(file));

describe('the shipped configs', () => {
  it('include a demo config for every venue', () => {
    expect(demos.length).toBeGreaterThanOrEqual(4);
  });

  it.each(['engine.config.ts', ...demos])('%s resolves with a positive risk.priceBandPct', async (file) => {
    const config = await loadConfigFile(file);
    expect(config.risk.priceBandPct).toBeGreaterThan(0);
  });

  it.each(['engine.config.ts', ...demos])('%s runs strategies that live in strategies/, none inside an adapter folder', async (file) => {
    const config = await loadConfigFile(file);
    for (const entry of config.strategies) expect(relative('.', strategyPath(entry.use, 'strategies'))).toMatch(/^strategies\/[^/]+\.ts$/);
  });
});
