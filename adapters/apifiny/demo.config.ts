import { defineConfig } from '../../engine/config/index.js';

/**
 * The two-terminal demo (README): `npm run venue:apifiny` in one terminal, then in another, with the credentials it
 * printed exported as APIFINY_ACCOUNT_ID / APIFINY_KEY_ID / APIFINY_SECRET:
 *   npm run engine -- live --config adapters/apifiny/demo.config.ts
 * (or `paper`, or `record --out data/rec/apifiny.tkr`). Instruments come from the venue (listSymbolInfo).
 */
export default defineConfig({
  mode: 'live',
  portfolio: 'apifiny-demo',
  strategies: [{ use: 'quoter', params: { instrument: 'BTCUSD.VENUE1', halfSpread: 2, size: 0.01, maxPosition: 0.05, refreshMs: 2_000 } }],
  venues: {
    apifiny: {
      adapter: 'apifiny',
      options: {
        restBaseUrl: 'http://127.0.0.1:18700/ac/v2/VENUE1',
        mdWsUrl: 'ws://127.0.0.1:18700/md/ws/v1',
        userWsBaseUrl: 'ws://127.0.0.1:18700/ac/ws/v2',
        venue: 'VENUE1',
      },
    },
  },
  // priceBandPct: the fat-finger band; a limit price more than 1% from the last mid is denied
  risk: { rateLimits: { perVenue: { VENUE1: '10/1s' } }, maxOpenOrders: 4, priceBandPct: 1 },
  storage: { path: 'data/apifiny-demo.db' },
  log: { level: 'info' },
});
