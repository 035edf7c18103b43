import { defineConfig } from '../../engine/config/index.js';

/**
 * The two-terminal demo: `npm run venue:transact` in one terminal, then in another, with the demo credentials it
 * printed exported as TRANSACT_USERNAME / TRANSACT_PASSWORD / TRANSACT_API_KEY:
 *   npm run engine -- live --config adapters/transact/demo.config.ts
 * (or `paper`, or `record --out data/rec/transact.tkr`). Instruments come from the venue (`instruments` command).
 * The simulator listens on 18720 (TRANSACT_SIM_PORT or `npm run venue:transact -- --port N` to move it: then change
 * the three urls below to match).
 */
export default defineConfig({
  mode: 'live',
  portfolio: 'transact-demo',
  strategies: [{ use: 'quoter', params: { instrument: 'ESZ6.TRANSACT', halfSpread: 1, size: 1, maxPosition: 5, refreshMs: 2_000 } }],
  venues: {
    transact: {
      adapter: 'transact',
      options: {
        authUrl: 'ws://127.0.0.1:18720/auth',
        ordersUrl: 'ws://127.0.0.1:18720/orders',
        pricesUrl: 'ws://127.0.0.1:18720/prices',
        venueId: 'TRANSACT',
      },
    },
  },
  // priceBandPct: the fat-finger band; a limit price more than 1% from the last mid is denied
  risk: { rateLimits: { perVenue: { TRANSACT: '10/1s' } }, maxOpenOrders: 4, priceBandPct: 1 },
  storage: { path: 'data/transact-demo.db' },
  log: { level: 'info' },
});
