/** Every config a user is told to run (the default job, each venue's two-terminal demo) has a fat-finger price band. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../engine/config/load.js';

const demos = readdirSync('adapters')
  .map((venue) => join('adapters', venue, 'demo.config.ts'))
  .filter((file) => existsSync(file));

describe('the shipped configs', () => {
  it('include a demo config for every venue', () => {
    expect(demos.length).toBeGreaterThanOrEqual(4);
  });

  it.each(['engine.config.ts', ...demos])('%s resolves with a positive risk.priceBandPct', async (file) => {
    const config = await loadConfigFile(file);
    expect(config.risk.priceBandPct).toBeGreaterThan(0);
  });
});
