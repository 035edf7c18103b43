// Worker threads do not inherit the TypeScript loader reliably on Node 20: register it (ESM, and CommonJS for .ts
// strategies outside an ESM package, as `--import tsx` and bin/engine.js do), then load the worker.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

registerCommonJs();
register();
await import('./sweep-worker.ts');
