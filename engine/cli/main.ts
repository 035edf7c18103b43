#!/usr/bin/env node
/** The `engine` command. */
import { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { DataError } from '../data/csv-ticks.js';
import { backtestCommand } from './backtest-command.js';
import { reportCommand } from './report-command.js';
import { formatSweep, runSweep } from './sweep-command.js';

const program = new Command();
program.name('engine').description('Algorithmic strategy execution engine: backtest, paper and live from one strategy.');

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

program
  .command('backtest')
  .description('replay recorded ticks through strategies, the risk layer and the simulated venue')
  .option('-c, --config <file>', 'config file', 'engine.config.ts')
  .option('-s, --strategy <name|path>', 'run this strategy instead of the config\'s')
  .option('-p, --params <json>', 'strategy params as JSON (override the defaults)')
  .option('-d, --data <instrument=file>', 'tick file for an instrument (repeatable)', collect)
  .option('--from <date>', 'start (ISO date or epoch ms)')
  .option('--to <date>', 'end, exclusive (ISO date or epoch ms)')
  .option('--db <path>', 'SQLite database file')
  .option('--json', 'print the summary as JSON')
  .option('--html <file>', 'also write the HTML report of the run')
  .option('--sweep <grid>', 'parameter grid, e.g. "fast=5..20:5,slow=50,100": every combination runs and is stored')
  .option('--workers <n>', 'sweep worker threads (default: one per core)', (v) => Number(v))
  .option('--rank <metric>', 'sweep ranking: netPnl, sharpe, maxDrawdown, realizedPnl, trades, fills', 'netPnl')
  .action(async (opts) => run(async () => {
    if (!opts.sweep) return backtestCommand(opts, (s) => console.log(s));
    const results = await runSweep(opts, opts.sweep, { workers: opts.workers, rank: opts.rank });
    console.log(opts.json ? JSON.stringify(results, null, 2) : formatSweep(results, opts.rank));
    return results.some((r) => r.error !== undefined) ? 1 : 0;
  }));

program
  .command('start')
  .description('the default job: a backtest with engine.config.ts, with its HTML report in reports/latest.html')
  .action(async () => run(() => backtestCommand({ config: 'engine.config.ts', html: 'reports/latest.html' }, (s) => console.log(s))));

program
  .command('report')
  .description('the summary of a stored run, and with --html a single-file HTML report (equity, drawdown, fills)')
  .argument('<runId>', 'run id or "latest"')
  .option('--db <path>', 'SQLite database file', 'data/engine.db')
  .option('--html <file>', 'write the HTML report here')
  .option('--json', 'print as JSON')
  .action(async (runId: string, opts) => run(() => reportCommand({ runId, ...opts }, (s) => console.log(s), (s) => console.error(s))));

for (const mode of ['paper', 'live'] as const) {
  program
    .command(mode)
    .description(`${mode} trading through a venue adapter`)
    .option('-c, --config <file>', 'config file', 'engine.config.ts')
    .action(() => {
      console.error(`engine ${mode}: no venue adapter is available yet in this build; ${mode} mode needs one (see the README's venue section).`);
      process.exitCode = 2;
    });
}

async function run(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DataError) {
      console.error(e.message);
      process.exitCode = 2;
    } else {
      console.error(`engine: ${(e as Error).stack ?? e}`);
      process.exitCode = 1;
    }
  }
}

await program.parseAsync(process.argv);
