/**
 * CLI verbs that talk to a running paper or live session through its control plane: `status [--json] [--watch]`,
 * `halt | reduce | resume`, `cancel-all`, `cancel <id>`, `stop-strategy <id>`, `flatten <instrument> --confirm <id>`.
 * The session is found at `--url`, else at the `control` host and port of the config file. The token is read from
 * ENGINE_CONTROL_TOKEN.
 */
import { existsSync } from 'node:fs';
import { loadConfigFile } from '../config/load.js';
import { createControlClient, type ControlClient } from '../control/client.js';
import { formatStatus, type StatusAnswer } from './status-screen.js';

export interface TargetArgs {
  readonly url?: string;
  readonly config?: string;
}

/** Where the session's control plane is: `--url`, else the config's `control` section, else the default. */
export async function controlUrl(args: TargetArgs): Promise<string> {
  if (args.url) return args.url;
  const path = args.config ?? 'engine.config.ts';
  if (!existsSync(path)) return 'http://127.0.0.1:8420';
  const config = await loadConfigFile(path);
  const host = config.control.host === '0.0.0.0' || config.control.host === '::' ? '127.0.0.1' : config.control.host;
  if (config.control.port === 0) return `http://${host}:8420`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.control.port}`;
}

async function client(args: TargetArgs): Promise<ControlClient> {
  return createControlClient(await controlUrl(args), process.env.ENGINE_CONTROL_TOKEN || undefined);
}

/** `engine status`: the screen once, as JSON, or again every `--watch` seconds until Ctrl-C. */
export async function statusCommand(args: TargetArgs & { json?: boolean; watch?: boolean | string }, out: (s: string) => void): Promise<number> {
  const c = await client(args);
  const once = async (): Promise<string> => {
    const s = await c.get<StatusAnswer>('status');
    return args.json ? JSON.stringify(s, null, 2) : formatStatus(s);
  };
  if (!args.watch) {
    out(await once());
    return 0;
  }
  const everyMs = typeof args.watch === 'string' && Number(args.watch) > 0 ? Number(args.watch) * 1000 : 2_000;
  let stopped = false;
  const stop = (): void => void (stopped = true);
  process.once('SIGINT', stop);
  try {
    while (!stopped) {
      const text = await once();
      out(`${process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${text}\n(every ${everyMs / 1000} s; Ctrl-C stops watching, not the session)`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  } finally {
    process.off('SIGINT', stop);
  }
  return 0;
}

interface ActionAnswer {
  readonly ok: boolean;
  readonly message: string;
  readonly orders?: readonly string[];
}

async function act(args: TargetArgs, path: string, body: Readonly<Record<string, unknown>>, out: (s: string) => void): Promise<number> {
  const a = await (await client(args)).post<ActionAnswer>(path, body);
  out(`${a.ok ? 'done' : 'refused'}: ${a.message}${a.orders && a.orders.length > 0 ? ` (${a.orders.join(', ')})` : ''}`);
  return a.ok ? 0 : 1;
}

export const tradingStateCommand = (state: 'ACTIVE' | 'REDUCING' | 'HALTED', args: TargetArgs & { reason?: string }, out: (s: string) => void): Promise<number> =>
  act(args, 'trading-state', { state, reason: args.reason ?? `engine ${state === 'ACTIVE' ? 'resume' : state === 'REDUCING' ? 'reduce' : 'halt'} from the command line` }, out);

export const cancelAllCommand = (args: TargetArgs & { venue?: string; instrument?: string; strategy?: string }, out: (s: string) => void): Promise<number> =>
  act(args, 'cancel-all', {
    ...(args.venue ? { venue: args.venue } : {}), ...(args.instrument ? { instrumentId: args.instrument } : {}), ...(args.strategy ? { strategyId: args.strategy } : {}),
  }, out);

export const cancelCommand = (id: string, args: TargetArgs, out: (s: string) => void): Promise<number> =>
  act(args, `orders/${encodeURIComponent(id)}/cancel`, {}, out);

export const stopStrategyCommand = (id: string, args: TargetArgs & { reason?: string }, out: (s: string) => void): Promise<number> =>
  act(args, `strategies/${encodeURIComponent(id)}/stop`, { reason: args.reason ?? 'stopped from the command line' }, out);

export const flattenCommand = (instrumentId: string, args: TargetArgs & { confirm?: string }, out: (s: string) => void): Promise<number> =>
  act(args, 'flatten', { instrumentId, confirm: args.confirm ?? '' }, out);
