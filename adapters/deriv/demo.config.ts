import { defineConfig } from '../../engine/config/index.js';

/**
 * The two-terminal demo (adapters/deriv/README.md): `npm run venue:deriv` in one terminal, then in another
 *   export DERIV_APP_ID=1 DERIV_API_TOKEN=<the demo token it printed>
 *   npm run engine -- live --config adapters/deriv/demo.config.ts
 * Instruments come from the venue (active_symbols). The stake of a contract (price per unit × payout) is its
 * notional, so maxNotional caps the stake of one contract and maxPositionQty the open payout.
 */
export default defineConfig({
  mode: 'live',
  portfolio: 'deriv-demo',
  strategies: [{ use: 'deriv-contracts', params: { instrument: 'R_100-CALL.DERIV', payout: 10, maxPrice: 0.55, holdMs: 4_000, everyMs: 1_000 } }],
  venues: {
    deriv: {
      adapter: 'deriv',
      options: { url: 'ws://127.0.0.1:18800/websockets/v3', duration: 5, durationUnit: 't' },
    },
  },
  risk: {
    rateLimits: { perVenue: { DERIV: '5/1s' } },
    maxNotional: { 'R_100-CALL.DERIV': 20 },
    maxPositionQty: { 'R_100-CALL.DERIV': 10 },
    maxOpenOrders: 2,
    // the fat-finger band: a contract's price per unit lies between 0 and 1, so a few cents are several percent; 10%
    // admits the demo's 0.55 cap over a quote of about 0.52 and denies a limit that is off by a digit
    priceBandPct: 10,
  },
  storage: { path: 'data/deriv-demo.db' },
  log: { level: 'info' },
});
