// Worker threads do not inherit the TypeScript loader reliably on Node 20: register it, then load the decoding thread.
import { register } from 'tsx/esm/api';

register();
await import('./prefetch-worker.ts');
