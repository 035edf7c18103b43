#!/usr/bin/env node
// The `engine` command (package.json "bin"): the TypeScript CLI run from source. A bin cannot pass `node --import tsx`,
// so it registers tsx's loaders itself, both as `--import tsx` does: ESM, and CommonJS for .ts files outside an ESM
// package (a strategy or config in a folder without "type": "module"). Strategies and configs load through them too.
import { register as registerCommonJs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';

registerCommonJs();
register();
await import('../engine/cli/main.ts');
