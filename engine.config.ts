import { defineConfig } from './engine/config/index.js';

/**
 * The default job (`npm start`): a backtest of two example strategies on three days of real EUR/USD quotes.
 * The other sample recordings (IBM 2013, BTC/USD 2018) are far apart in time: replay them on their own, e.g.
 * `npm run engine -- backtest --strategy sma-cross --params '{"instrument":"IBM.US","quantity":100}' --data 'data/sample/ibm-*.tkr'`.
 */
export default defineConfig({
  mode: 'backtest',
  instruments: 'data/instruments.json',
  strategies: [
    { use: 'sma-cross', id: 'sma_eurusd', params: { instrument: 'EURUSD.FXCM', fast: 50, slow: 400, quantity: 10_000 } },
    { use: 'quoter', params: { instrument: 'EURUSD.FXCM', halfSpread: 0.00004, refreshMs: 30_000 } },
  ],
  risk: {
    maxPositionQty: { 'EURUSD.FXCM': 100_000, 'IBM.US': 1_000 },
    maxNotional: { '*': 2_000_000 },
    priceBandPct: 1,
    maxOpenOrders: 10,
    rateLimits: { perVenue: { '*': '50/1s' }, perStrategy: '20/1s' },
  },
  sim: { latencyMs: 5 },
  backtest: { data: [{ file: 'data/sample/eurusd-fxcm-quotes.tkr' }], capital: 100_000 },
  storage: { path: 'data/engine.db' },
  // no log level here: backtests log at warn, paper and live at info; --log-level or LOG_LEVEL=debug for one run
});
