import { defineConfig } from './engine/config/index.js';

/** The default job (`npm start`): a backtest of two example strategies on a day of real EUR/USD quotes. */
export default defineConfig({
  mode: 'backtest',
  instruments: 'data/instruments.json',
  strategies: [
    { use: 'sma-cross', params: { fast: 50, slow: 400 } },
    { use: 'quoter', params: { halfSpread: 0.00004, refreshMs: 10_000 } },
  ],
  risk: {
    maxPositionQty: { 'EURUSD.FXCM': 100_000 },
    maxNotional: { '*': 2_000_000 },
    priceBandPct: 1,
    maxOpenOrders: 10,
    rateLimits: { perVenue: { '*': '50/1s' }, perStrategy: '20/1s' },
  },
  sim: { latencyMs: 5 },
  backtest: { data: [{ instrument: 'EURUSD.FXCM', file: 'data/sample/eurusd-fxcm-20140505.quotes.csv.gz' }] },
  storage: { path: 'data/engine.db' },
  log: { level: 'warn' },
});
