import { performance } from 'node:perf_hooks';
import { terminalFor, type TerminalStream } from '../log/terminal.js';

/**
 * A one-line progress display on a TTY; nothing at all when the stream is not a terminal. It is the stream's status
 * line (engine/log/terminal.ts): a log line written to the same stream meanwhile is printed above it, not into it.
 */
export function createProgress(stream: TerminalStream, now: () => number = () => performance.now()): { update: (ticks: number) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const terminal = terminalFor(stream);
  const t0 = now();
  return {
    update(ticks) {
      const s = (now() - t0) / 1000;
      terminal.status(`  replaying: ${ticks.toLocaleString('en-US')} ticks, ${Math.round(ticks / Math.max(s, 1e-3)).toLocaleString('en-US')} ticks/s`);
    },
    done() {
      terminal.clearStatus();
    },
  };
}
