// Worker threads do not inherit the TypeScript loader reliably on Node 20: register it, then load the writer thread.
import { register } from 'tsx/esm/api';

register();
await import('./thread-writer-worker.ts');
