import { defineConfig } from '../../engine/config/index.js';
import demo from './demo.config.js';

/**
 * The Apifiny demo with orders entered over the FIX 4.2 API (issue 16): `npm run venue:apifiny` serves FIX on 18701
 * beside REST and the websockets; market data, instruments and reconciliation stay on them. With the same credentials
 * exported as for demo.config.ts:
 *   npm run engine -- live --config adapters/apifiny/demo-fix.config.ts
 */
export default defineConfig(Object.assign({}, demo, {
  portfolio: 'apifiny-fix-demo',
  venues: {
    apifiny: {
      adapter: 'apifiny',
      options: Object.assign({}, demo.venues!.apifiny!.options, { orderEntry: 'fix', fixUrl: 'tcp://127.0.0.1:18701' }),
    },
  },
  storage: { path: 'data/apifiny-fix-demo.db' },
}));
