import { defineConfig } from '../../engine/config/index.js';

/**
 * The TT demo: `npm run venue:tt` in one terminal, then in another, with the ext_uat_cert key and secret it printed
 * exported as TT_APP_KEY / TT_APP_SECRET:
 *   npm run engine -- instruments --venue tt --config adapters/tt/demo.config.ts --product ES --out data/instruments-tt.json
 *   npm run engine -- reconcile --venue tt --config adapters/tt/demo.config.ts --import-fills
 *   npm run engine -- report latest --db data/tt-demo.db
 * and a backtest of an ES future on TT's grid and point value with that file as `instruments`. TT REST has no order
 * entry and no market data, so there is no paper or live demo. The simulator listens on 18730 (TT_SIM_PORT or
 * `npm run venue:tt -- --port N` to move it: then change baseUrl below to match).
 */
export default defineConfig({
  mode: 'live',
  portfolio: 'tt-demo',
  strategies: [],
  venues: {
    tt: {
      adapter: 'tt',
      options: { baseUrl: 'http://127.0.0.1:18730', environment: 'ext_uat_cert', appName: 'engine', companyName: 'demo', accountIds: ['90001'], applyRiskLimits: true },
    },
  },
  // priceBandPct: the fat-finger band; a limit price more than 1% from the last mid is denied
  risk: { priceBandPct: 1 },
  storage: { path: 'data/tt-demo.db' },
  log: { level: 'warn' },
});
