#!/usr/bin/env node
/** The `engine` command. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/config.js';
import { DataError } from '../data/csv-ticks.js';
import { ConnectionRejectedError } from '../net/errors.js';
import { DatabaseOpenError } from '../persistence/database.js';
import { ControlClientError } from '../control/client.js';
import { backtestCommand } from './backtest-command.js';
import { timeOption, wholeNumberOption } from './cli-options.js';
import {
  cancelAllCommand, cancelCommand, flattenCommand, statusCommand, stopStrategyCommand, tradingStateCommand,
} from './control-commands.js';
import { LOG_LEVELS, parseLogLevel, setLogLevelFlag } from './log-level.js';
import { eventsCommand } from './events-command.js';
import { exportRunCommand } from './export-run-command.js';
import { exportCommand, importCommand } from './import-command.js';
import { instrumentsCommand } from './instruments-command.js';
import { reconcileCommand } from './reconcile-command.js';
import { listRunsCommand, listStrategiesCommand } from './list-command.js';
import { reportCommand } from './report-command.js';
import { recordCommand, sessionCommand } from './session-command.js';
import { handleStdoutClosed, StdoutClosedError, writeStdout } from './stdout.js';
import { formatSweep, runSweep, sweepExitCode, writeBestReport } from './sweep-command.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// `engine export … | head -1`: the reader closed standard output; the rest is not wanted, exit 0 without a word.
// A paper or live session goes on (its stop must still cancel orders); only its printed lines are lost.
let sessionRunning = false;
handleStdoutClosed(() => {
  if (!sessionRunning) process.exit(0);
});

const program = new Command();
program.name('engine').description('Algorithmic strategy execution engine: backtest, paper and live from one strategy.').version(version);
// a wrong option or value is a usage error: commander's one line, exit 2 like every other "fix this and run again"
// (set before the verbs are added: each verb copies it)
program.exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
// on every verb, before or after it: engine backtest --log-level debug
program
  .option('--log-level <level>', `${LOG_LEVELS.join(', ')} (default: LOG_LEVEL, else the config's log.level, else info for paper, live and record, warn for backtests)`)
  .configureHelp({ showGlobalOptions: true })
  .hook('preAction', () => {
    const level = program.opts<{ logLevel?: string }>().logLevel;
    if (level === undefined) return;
    try {
      setLogLevelFlag(parseLogLevel(level, '--log-level'));
    } catch (e) {
      console.error(`engine: ${oneLine((e as Error).message)}`);
      process.exit(2);
    }
  });

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const parseControlPort = (v: string): number => {
  const port = Number(v);
  if (!/^\d+$/.test(v) || port > 65_535) throw new InvalidArgumentError('a port number from 0 to 65535 (0: any free port)');
  return port;
};

program
  .command('backtest')
  .description('replay recorded ticks through strategies, the risk layer and the simulated venue')
  .option('-c, --config <file>', 'config file', 'engine.config.ts')
  .option('-s, --strategy <name|path>', 'run this strategy instead of the config\'s')
  .option('-p, --params <json>', 'strategy params as JSON (override the defaults)')
  .option('-d, --data <instrument=file>', 'tick file for an instrument (repeatable)', collect)
  .option('--from <date>', 'start (ISO date or epoch ms)', timeOption)
  .option('--to <date>', 'end, exclusive (ISO date or epoch ms)', timeOption)
  .option('--db <path>', 'SQLite database file')
  .option('--json', 'print the summary as JSON')
  .option('--html <file>', 'also write the HTML report of the run')
  .option('--sweep <grid>', 'parameter grid, e.g. "fast=5..20:5,slow=50,100": every combination runs and is stored')
  .option('--workers <n>', 'sweep worker threads (default: one per core)', wholeNumberOption(1))
  .option('--rank <metric>', 'sweep ranking: netPnl, sharpe, maxDrawdown, realizedPnl, trades, fills', 'netPnl')
  .option('--instrument <spec>', 'declare an instrument for this run: ID,tick=0.01,step=1[,base=,quote=,symbol=,takerFee=,makerFee=,minQty=,contractSize=] (repeatable)', collect)
  .option('--control [port]', 'serve its progress read-only (engine status, the dashboard) on the config\'s control port, or on this one (0: any free port)', parseControlPort)
  .action(async (opts) => run(async () => {
    if (!opts.sweep) return backtestCommand(opts, (s) => console.log(s));
    const results = await runSweep(opts, opts.sweep, { workers: opts.workers, rank: opts.rank });
    console.log(opts.json ? JSON.stringify(results, null, 2) : formatSweep(results, opts.rank));
    const report = opts.html === undefined ? undefined : writeBestReport(results, opts.html);
    if (report !== undefined && !opts.json) console.log(report);
    return sweepExitCode(results);
  }));

program
  .command('start')
  .description('the default job: a backtest with engine.config.ts, with its HTML report in reports/latest.html')
  .action(async () => run(() => backtestCommand({ config: 'engine.config.ts', html: 'reports/latest.html' }, (s) => console.log(s))));

program
  .command('import')
  .description('import CSV or NDJSON ticks (plain, .gz or .zip) into a recording (.tkr); appends when it exists')
  .argument('<file>', 'the file to import')
  .requiredOption('-i, --instrument <id>', 'instrument id of every row, e.g. EURUSD.FXCM')
  .requiredOption('-o, --out <path>', 'the recording to write, e.g. data/rec/eurusd.tkr')
  .option('-k, --kind <kind>', 'quotes, trades, bars (or ticks: NDJSON lines that are whole ticks)')
  .option('--map <col=field,...>', 'which column is which field, e.g. time=ts,b=bid,a=ask (or 0=ts,1=bid without a header)')
  .option('--ts-unit <unit>', 'ms, s, us, ns or iso', 'ms')
  .option('--date <YYYY-MM-DD>', 'timestamps are time of day since midnight of this date')
  .option('--tz <zone>', 'zone of --date: UTC or America/New_York')
  .option('--price-scale <n>', 'prices are integers times this (e.g. 10000)')
  .option('--side-updates', 'quotes arrive one side at a time (0 = side not in the update)')
  .option('--skip-flagged <column>', 'skip rows whose flag column is 1')
  .option('--period-ms <ms>', 'bar length')
  .option('--preset <name>', 'Lean files: fx-quote, equity-quote, equity-trade, crypto-quote-bar, crypto-trade-bar')
  .option('--format <format>', 'csv or ndjson (default: from the extension)')
  .option('--skip-bad', 'skip and count bad rows instead of stopping at the first')
  .action(async (file: string, opts) => run(async () => importCommand(file, opts, (s) => console.log(s))));

program
  .command('export')
  .description('write recordings out as CSV or NDJSON')
  .argument('<recordings...>', 'one or more .tkr files (merged by time)')
  .option('-o, --out <file>', 'output file (default: standard output)')
  .option('--format <format>', 'csv or ndjson (default: from --out, else ndjson)')
  .option('-i, --instrument <id>', 'only this instrument')
  .option('-k, --kind <kind>', 'only quotes, trades, bars or books')
  .option('--from <date>', 'start (ISO date or epoch ms)', timeOption)
  .option('--to <date>', 'end, exclusive (ISO date or epoch ms)', timeOption)
  .action(async (files: string[], opts) => run(() => exportCommand(files, opts, (s) => console.error(s))));

program
  .command('report')
  .description('the summary of a stored run, and with --html a single-file HTML report (equity, drawdown, fills)')
  .argument('<runId>', 'run id or "latest"')
  .option('--db <path>', 'SQLite database file', 'data/engine.db')
  .option('--html <file>', 'write the HTML report here')
  .option('--json', 'print as JSON')
  .action(async (runId: string, opts) => run(() => reportCommand({ runId, ...opts }, (s) => console.log(s), (s) => console.error(s))));

program
  .command('events')
  .description('a stored run\'s order events in order (a backtest\'s journal, or the events rows of paper and live) as NDJSON or CSV')
  .argument('<runId>', 'run id or "latest"')
  .option('--db <path>', 'SQLite database file', 'data/engine.db')
  .option('--format <format>', 'ndjson or csv', 'ndjson')
  .option('--kind <kind>', 'only events of this kind, e.g. OrderFilled')
  .option('--order <clientOrderId>', 'only the events of this order')
  .action(async (runId: string, opts) => run(() => eventsCommand({ runId, ...opts }, (s) => writeStdout(`${s}\n`), (s) => console.error(s))));

program
  .command('export-run')
  .description('a stored run\'s fills, orders, round trips or equity as CSV, NDJSON or Parquet (exact decimal text; Parquet adds DOUBLE columns)')
  .argument('<runId>', 'run id or "latest"')
  .requiredOption('--what <what>', 'fills, orders, trades (round trips) or equity')
  .option('--format <format>', 'csv, ndjson or parquet (default: from --out\'s extension, else ndjson to standard output)')
  .option('--out <file>', 'write here instead of standard output (.csv, .ndjson, .jsonl, .parquet)')
  .option('--db <path>', 'SQLite database file', 'data/engine.db')
  .action(async (runId: string, opts) => run(() => exportRunCommand({ runId, ...opts }, (s) => writeStdout(`${s}\n`), (s) => console.error(s))));

const list = program.command('list').description('what there is to run and what has run: strategies, runs');
list
  .command('strategies')
  .description('the strategies in strategies/ (the names --strategy takes) with their default params, one a line')
  .action(async () => run(() => listStrategiesCommand((s) => console.log(s))));
list
  .command('runs')
  .description('the stored runs, newest first: id, mode, status, start, ticks and fills, strategies (the database is only read)')
  .option('--db <path>', 'SQLite database file', 'data/engine.db')
  .option('-n, --limit <n>', 'at most this many runs', wholeNumberOption(1), 20)
  .action(async (opts: { db: string; limit: number }) => run(async () => listRunsCommand(opts, (s) => console.log(s))));

for (const mode of ['paper', 'live'] as const) {
  program
    .command(mode)
    .description(mode === 'paper' ? 'live market data from the venue adapters, fills from the simulated venue' : 'trade through the venue adapters')
    .option('-c, --config <file>', 'config file', 'engine.config.ts')
    .option('--db <path>', 'SQLite database file')
    .option('--duration <seconds>', 'stop after this long (default: Ctrl-C)')
    .action(async (opts) => run(() => {
      sessionRunning = true;
      return sessionCommand(mode, opts, (s) => console.log(s));
    }));
}

/** `--url` or the config's `control` section says where the running session is. */
const target = (cmd: Command): Command =>
  cmd
    .option('--url <url>', 'the session\'s control plane, e.g. http://127.0.0.1:8420 (default: the config\'s control host and port)')
    .option('-c, --config <file>', 'config file whose control section names the session', 'engine.config.ts');

target(program.command('status').description('a running paper or live session: venues, trading state, positions, PnL, open orders, recent fills'))
  .option('--json', 'print the status as JSON (schema engine.status/1)')
  .option('--watch [seconds]', 'show it again every few seconds (default 2) until Ctrl-C')
  .action(async (opts) => run(() => statusCommand(opts, (s) => console.log(s))));

for (const [verb, state, what] of [
  ['halt', 'HALTED', 'no new orders (cancels pass)'], ['reduce', 'REDUCING', 'only orders that reduce positions'], ['resume', 'ACTIVE', 'trading as configured'],
] as const) {
  target(program.command(verb).description(`set the running session's trading state to ${state}: ${what}`))
    .option('--reason <text>', 'why (kept in the audit log)')
    .action(async (opts) => run(() => tradingStateCommand(state, opts, (s) => console.log(s))));
}

target(program.command('cancel-all').description('cancel the running session\'s open orders (all, or per venue, instrument or strategy)'))
  .option('--venue <id>').option('--instrument <id>').option('--strategy <id>')
  .action(async (opts) => run(() => cancelAllCommand(opts, (s) => console.log(s))));

target(program.command('cancel').description('cancel one open order of the running session').argument('<clientOrderId>'))
  .action(async (id: string, opts) => run(() => cancelCommand(id, opts, (s) => console.log(s))));

target(program.command('stop-strategy').description('stop one strategy of the running session (its open orders are canceled)').argument('<strategyId>'))
  .option('--reason <text>', 'why (kept in the audit log)')
  .action(async (id: string, opts) => run(() => stopStrategyCommand(id, opts, (s) => console.log(s))));

target(program.command('flatten').description('bring a position to flat with a market order through the risk layer').argument('<instrumentId>'))
  .requiredOption('--confirm <instrumentId>', 'the instrument id again, to confirm')
  .action(async (id: string, opts) => run(() => flattenCommand(id, opts, (s) => console.log(s))));

program
  .command('record')
  .description('record the venue adapters\' market data into a recording (.tkr) that engine backtest replays')
  .option('-c, --config <file>', 'config file', 'engine.config.ts')
  .requiredOption('-o, --out <path>', 'the recording (appended to when it exists)')
  .option('--duration <seconds>', 'stop after this long (default: Ctrl-C)')
  .action(async (opts) => run(() => {
    sessionRunning = true;
    return recordCommand(opts, (s) => console.log(s));
  }));

program
  .command('instruments')
  .description('read a venue\'s instruments through its adapter into a JSON file of specs (a config\'s instruments)')
  .requiredOption('--venue <name>', 'a venues entry of the config, or an adapter folder (tt)')
  .requiredOption('-o, --out <file>', 'the file to write, e.g. data/instruments-tt.json')
  .option('-c, --config <file>', 'config file whose venues entry gives the adapter options (default: engine.config.ts when present)')
  .option('--product <symbol>', 'only this product, e.g. ES (repeatable)', collect)
  .option('--option <key=value>', 'an adapter option over the config\'s, e.g. baseUrl=http://127.0.0.1:18730 (repeatable)', collect)
  .action(async (opts) => run(() => instrumentsCommand(opts, (s) => console.log(s))));

program
  .command('reconcile')
  .description('compare the venue\'s record of the account (fills, positions) with a portfolio\'s; exit 3 when they differ')
  .requiredOption('--venue <name>', 'a venues entry of the config, or an adapter folder (tt)')
  .option('-c, --config <file>', 'config file (default: engine.config.ts when present)')
  .option('--portfolio <id>', 'the portfolio (default: the config\'s portfolio, else default)')
  .option('--db <path>', 'SQLite database file (default: the config\'s storage.path)')
  .option('--import-fills', 'apply the fills the portfolio lacks to it, each once')
  .option('--since <date>', 'only fills from then on, on both sides (ISO date or epoch ms)', timeOption)
  .option('--option <key=value>', 'an adapter option over the config\'s (repeatable)', collect)
  .action(async (opts) => run(() => reconcileCommand(opts, (s) => console.log(s))));

/**
 * Failures the user fixes — the config, an adapter's options or credentials (each adapter throws its own
 * `<Venue>ConfigError`: engine/ cannot import adapters/, so it is recognised by name), the data, a venue that refused
 * or could not be reached at start, a database file that is not usable — print one line that says what to fix, and
 * exit with 2. Anything else is a bug: its stack, exit 1.
 */
const isUserError = (e: unknown): e is Error =>
  e instanceof ConfigError || e instanceof ControlClientError || e instanceof DataError || e instanceof ConnectionRejectedError || e instanceof DatabaseOpenError ||
  (e instanceof Error && (e.name.endsWith('ConfigError') || e.name.endsWith('RequestError'))); // <Venue>RequestError: a venue request that failed

/** A multi-line message (a heading and "- problem" lines) as one line: "heading: problem; problem". */
function oneLine(message: string): string {
  const [head = '', ...items] = message.split('\n').map((s) => s.trim().replace(/^- /, '')).filter((s) => s !== '');
  return items.length === 0 ? head : `${head}${head.endsWith(':') ? ' ' : '; '}${items.join('; ')}`;
}

async function run(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (e) {
    if (e instanceof StdoutClosedError) {
      process.exitCode = 0;
    } else if (isUserError(e)) {
      console.error(`engine: ${oneLine(e.message)}`);
      process.exitCode = 2;
    } else {
      console.error(`engine: ${(e as Error).stack ?? e}`);
      process.exitCode = 1;
    }
  }
}

await program.parseAsync(process.argv);
