/**
 * The simulators' mains (`npm run venue:<name>`): distinct default ports matching the demo configs, `--port`, and a
 * port in use or a bad option as one line on standard error with a non-zero exit, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../engine/config/load.js';
import { SIM_PORTS } from './sim-cli.js';

const MAINS = {
  ticktrader: 'test/venues/ticktrader/main.ts',
  transact: 'test/venues/transact/main.ts',
  deriv: 'test/venues/deriv/main.ts',
  apifiny: 'test/venues/apifiny/main.ts',
} as const;
type Venue = keyof typeof MAINS;

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a main until it exits, or until its standard output shows `until` and `ready` has resolved (then stops it with
 * SIGTERM, as Ctrl-C would).
 */
function runMain(venue: Venue, args: string[], until?: RegExp, ready: () => Promise<unknown> = () => Promise.resolve()): Promise<Run> {
  // the environment's own port variables would hide the defaults and --port under test
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_SIM_(FIX_)?PORT$/.test(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', MAINS[venue], ...args], { env: { ...env, APIFINY_SIM_FIX_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += String(d);
    if (stopping || !until?.test(stdout)) return;
    stopping = true;
    void ready().finally(() => setTimeout(() => child.kill('SIGTERM'), 100));
  });
  child.stderr.on('data', (d: Buffer) => void (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('exit', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr }))));
}

const listening = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: Server): number => (s.address() as { port: number }).port;
const close = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));
const freePort = async (): Promise<number> => {
  const s = await listening();
  const port = portOf(s);
  await close(s);
  return port;
};
const portsIn = (urls: readonly unknown[]): number[] => urls.map((u) => Number(new URL(String(u)).port));

describe('simulator mains', () => {
  it('have distinct default ports, and each demo config points at its simulator\'s', async () => {
    const defaults = Object.values(SIM_PORTS);
    expect(new Set(defaults).size).toBe(defaults.length);
    const tt = await loadConfigFile('adapters/ticktrader/demo.config.ts');
    expect(portsIn([tt.venues.ticktrader!.options.wsUrl])).toEqual([SIM_PORTS.ticktrader]);
    const tx = (await loadConfigFile('adapters/transact/demo.config.ts')).venues.transact!.options;
    expect(portsIn([tx.authUrl, tx.ordersUrl, tx.pricesUrl])).toEqual([SIM_PORTS.transact, SIM_PORTS.transact, SIM_PORTS.transact]);
    const deriv = (await loadConfigFile('adapters/deriv/demo.config.ts')).venues.deriv!.options;
    expect(portsIn([deriv.url])).toEqual([SIM_PORTS.deriv]);
  });

  it.each<Venue>(['ticktrader', 'transact', 'deriv', 'apifiny'])('%s: --port N serves on N', async (venue) => {
    const port = await freePort();
    let accepted = false;
    const accepts = () => new Promise<void>((resolve) => {
      const c = connect(port, '127.0.0.1', () => ((accepted = true), c.destroy(), resolve()));
      c.on('error', () => resolve());
    });
    const r = await runMain(venue, ['--port', String(port)], new RegExp(`127\\.0\\.0\\.1:${port}/`), accepts);
    expect(accepted).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`127.0.0.1:${port}/`);
    expect(r).toMatchObject({ code: 0, signal: null }); // stopped by SIGTERM: a clean exit
  }, 30_000);

  it.each<Venue>(['ticktrader', 'transact', 'deriv', 'apifiny'])('%s: a port in use is one line and exit 1, no stack trace', async (venue) => {
    const taken = await listening();
    try {
      const r = await runMain(venue, [`--port=${portOf(taken)}`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`simulator: port ${portOf(taken)} on 127\\.0\\.0\\.1 is in use .*--port N$`))]);
    } finally {
      await close(taken);
    }
  }, 30_000);

  it('refuses a bad --port or an unknown option with one line and exit 2', async () => {
    const bad = await runMain('ticktrader', ['--port', 'http']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('TickTrader simulator: --port must be a port number 0-65535, got "http"\n');
    const unknown = await runMain('transact', ['--prot', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^TransAct simulator: .*--prot.*\(options: --port N\)$/)]);
  }, 30_000);
});
