/**
 * The command line shared by the simulators' `npm run venue:<name>` mains: `--port N` (over the environment variable,
 * over the simulator's default), and startup failures as one line on standard error with a non-zero exit instead of
 * a Node stack trace (a port in use: exit 1; a bad option: exit 2).
 */
import { parseArgs } from 'node:util';

/** The default port of each simulator's main; distinct, so every demo can run at the same time. */
export const SIM_PORTS = { apifiny: 18_700, apifinyFix: 18_701, ticktrader: 18_710, transact: 18_720, tt: 18_730, deriv: 18_800 } as const;

const fail = (name: string, message: string, code: number): never => {
  process.stderr.write(`${name}: ${message}\n`);
  process.exit(code);
};

const portOf = (name: string, what: string, raw: string): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 0 || n > 65_535) fail(name, `${what} must be a port number 0-65535, got ${JSON.stringify(raw)}`, 2);
  return n;
};

/**
 * The ports of a simulator's main: each `--<option> N` given on the command line, else its environment variable, else
 * its default. Anything else on the command line is refused with one line (exit 2).
 */
export function simPorts<K extends string>(
  name: string,
  argv: readonly string[],
  ports: Readonly<Record<K, { readonly option: string; readonly env: string | undefined; readonly envName: string; readonly dflt: number }>>,
): Record<K, number> {
  const entries = Object.entries(ports) as [K, { option: string; env: string | undefined; envName: string; dflt: number }][];
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: Object.fromEntries(entries.map(([, p]) => [p.option, { type: 'string' as const }])), strict: true, allowPositionals: false }).values;
  } catch (e) {
    return fail(name, `${(e as Error).message.split('\n')[0]} (options: ${entries.map(([, p]) => `--${p.option} N`).join(', ')})`, 2);
  }
  const out = {} as Record<K, number>;
  for (const [k, p] of entries) {
    const arg = values[p.option];
    out[k] = typeof arg === 'string' ? portOf(name, `--${p.option}`, arg) : p.env !== undefined && p.env !== '' ? portOf(name, p.envName, p.env) : p.dflt;
  }
  return out;
}

/** Starts the simulator; a failure to listen ends the process with one line (which port, and what to do) and exit 1. */
export async function startOrExit<T>(name: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
    const where = err.port !== undefined ? `port ${err.port}${err.address ? ` on ${err.address}` : ''}` : 'its port';
    if (err.code === 'EADDRINUSE') return fail(name, `${where} is in use (another simulator or program); start it on another with --port N`, 1);
    if (err.code === 'EACCES') return fail(name, `${where} is not allowed for this user; start it on another with --port N`, 1);
    if (err.code === 'EADDRNOTAVAIL') return fail(name, `${where}: the address is not available on this machine`, 1);
    return fail(name, `could not start: ${err.message}`, 1);
  }
}
