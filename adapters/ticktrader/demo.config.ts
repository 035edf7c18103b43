import { defineConfig } from '../../engine/config/index.js';

/**
 * The two-terminal demo: `npm run venue:ticktrader` in one terminal (it prints the demo credentials), then in another,
 * with them exported as TICKTRADER_ID / TICKTRADER_KEY / TICKTRADER_SECRET (and TICKTRADER_TOTP_SECRET when the
 * simulator was started with TICKTRADER_SIM_TWO_FACTOR=1):
 *   npm run engine -- paper --config adapters/ticktrader/demo.config.ts
 *   npm run engine -- record --config adapters/ticktrader/demo.config.ts --out data/rec/ticktrader.tkr
 *   npm run engine -- backtest --config adapters/ticktrader/demo.config.ts --data EURUSD.TICKTRADER=data/rec/ticktrader.tkr
 * The feed has no order entry: this venue runs in paper mode (fills from the simulated venue). Instruments come from
 * the venue (Symbols). The simulator listens on 18710 (TICKTRADER_SIM_PORT or `npm run venue:ticktrader -- --port N`
 * to move it: then change wsUrl below to match).
 */
export default defineConfig({
  mode: 'paper',
  portfolio: 'ticktrader-demo',
  strategies: [{ use: 'sma-cross', id: 'sma_ticktrader', params: { instrument: 'EURUSD.TICKTRADER', fast: 5, slow: 20, quantity: 10_000 } }],
  venues: {
    ticktrader: {
      adapter: 'ticktrader',
      options: { wsUrl: 'ws://127.0.0.1:18710/', symbols: ['EURUSD'], bookDepth: 5, barPeriodicity: 'M1' },
    },
  },
  // priceBandPct: the fat-finger band; a limit price more than 1% from the last mid is denied
  risk: { maxPositionQty: { 'EURUSD.TICKTRADER': 100_000 }, rateLimits: { perVenue: { TICKTRADER: '10/1s' } }, maxOpenOrders: 4, priceBandPct: 1 },
  backtest: { capital: 100_000 },
  storage: { path: 'data/ticktrader-demo.db' },
  log: { level: 'info' },
});
