/**
 * Where the web dashboard's files are, for the control server (`startControlServer({ dashboardDir, assets })`): the
 * folder of this module (index.html, app.js, style.css: plain browser files, no build step) and the third-party files
 * it loads from /vendor/ (uPlot, resolved in node_modules: nothing comes from a CDN, the machine may be offline).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DashboardFiles {
  /** The folder served at `/` (index.html) and `/static/<file>`. */
  readonly dir: string;
  /** Served at `/vendor/<name>`: name → absolute path. */
  readonly assets: Record<string, string>;
}

export function dashboardFiles(): DashboardFiles {
  const require = createRequire(import.meta.url);
  return {
    dir: dirname(fileURLToPath(import.meta.url)),
    assets: {
      'uPlot.iife.min.js': require.resolve('uplot/dist/uPlot.iife.min.js'),
      'uPlot.min.css': require.resolve('uplot/dist/uPlot.min.css'),
    },
  };
}
