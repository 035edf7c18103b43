/**
 * No line of a venue adapter carries a key twice: the adapter loader's child logger and each adapter's own child (and
 * any child an adapter makes when it is built) bind different keys. Each shipped adapter is loaded from its demo
 * config; every logger of its chain writes one JSON line, whose raw top-level keys are read (JSON.parse would keep only
 * the last of a repeated key).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLiveClock } from '../../engine/clock/live-clock.js';
import { loadConfigFile } from '../../engine/config/load.js';
import { loadAdapters } from '../../engine/kernel/adapter-loader.js';
import type { Bindings } from 'pino';
import { createLogger, type Logger } from '../../engine/log/logger.js';
import { duplicates, fakeStream, topLevelKeys } from './fake-terminal.js';

/** Credentials in the shape each adapter checks (never used: nothing connects). */
const ENV = {
  APIFINY_ACCOUNT_ID: 'STA-00000001', APIFINY_KEY_ID: 'key', APIFINY_SECRET: 'secret-0123456789',
  DERIV_API_TOKEN: 'token-0123456789', DERIV_APP_ID: '1',
  TICKTRADER_ID: '00000000-0000-0000-0000-000000000001', TICKTRADER_KEY: 'key-0123456789', TICKTRADER_SECRET: 'secret-0123456789', TICKTRADER_TOTP_SECRET: 'JBSWY3DPEHPK3PXP',
  TRANSACT_USERNAME: 'user', TRANSACT_PASSWORD: 'password', TRANSACT_API_KEY: 'key-0123456789',
  TT_APP_KEY: '00000000-0000-0000-0000-000000000002', TT_APP_SECRET: 'secret-0123456789',
};

const venues = readdirSync('adapters').filter((v) => existsSync(join('adapters', v, 'demo.config.ts')));

/** `root` and every child made from it (and from those), as they are made. */
function tapChildren(root: Logger): Logger[] {
  const all: Logger[] = [root];
  const pinoChild = root.child; // pino's own (a child inherits the tapped one from its parent)
  const tap = (log: Logger): void => {
    const tapped = (bindings: Bindings): Logger => {
      const c = pinoChild.call(log, bindings) as unknown as Logger;
      all.push(c);
      tap(c);
      return c;
    };
    log.child = tapped as unknown as Logger['child'];
  };
  tap(root);
  return all;
}

describe('the log lines of each venue adapter', () => {
  it('covers the four shipped adapters', () => {
    expect(venues.length).toBeGreaterThanOrEqual(4);
  });

  it.each(venues)('%s: no logger of the chain writes a key twice', async (venue) => {
    const config = await loadConfigFile(join('adapters', venue, 'demo.config.ts'));
    const stream = fakeStream(false);
    const loggers = tapChildren(createLogger({ destination: stream, level: 'debug' }));
    await loadAdapters(config, { log: loggers[0]!, clock: createLiveClock(), env: ENV, random: () => 0.5 });
    expect(loggers.length).toBeGreaterThanOrEqual(3); // root, the loader's child, the adapter's child

    for (const log of loggers) log.info({ probe: true }, 'probe');
    const lines = stream.text().trim().split('\n').filter((l) => l.includes('"probe"'));
    expect(lines).toHaveLength(loggers.length);
    for (const line of lines) expect({ line, repeated: duplicates(topLevelKeys(line)) }).toEqual({ line, repeated: [] });
    // the adapter's line names the venue once, and still says which config entry and adapter it came from
    const deepest = JSON.parse(lines[2]!) as Record<string, unknown>;
    expect(deepest).toMatchObject({ venueKey: venue, adapter: venue, venue: expect.any(String) });
  });
});
