import { performance } from 'node:perf_hooks';
import type { ProgressView } from '../control/source.js';
import { terminalFor, type TerminalStream } from '../log/terminal.js';

const clockTime = (ms: number): string => {
  const s = Math.ceil(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return hms[0]! > 0 ? `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}` : `${hms[1]}:${String(hms[2]).padStart(2, '0')}`;
};

/** `  replaying: 1,250,000 ticks, 1,180,000 ticks/s · 37.2 % · 2024-06-03 14:05 UTC · 0:42 left` */
export function formatProgress(p: ProgressView, elapsedMs: number): string {
  const rate = Math.round(p.ticks / Math.max(elapsedMs / 1000, 1e-3));
  const parts = [`  replaying: ${p.ticks.toLocaleString('en-US')} ticks, ${rate.toLocaleString('en-US')} ticks/s`];
  if (p.fraction !== null) parts.push(`${(p.fraction * 100).toFixed(1)} %`);
  if (Number.isFinite(p.engineTime)) parts.push(`${new Date(p.engineTime).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  if (p.etaMs !== null) parts.push(`${clockTime(p.etaMs)} left`);
  return parts.join(' · ');
}

/**
 * A one-line progress display on a TTY; nothing at all when the stream is not a terminal. It is the stream's status
 * line (engine/log/terminal.ts): a log line written to the same stream meanwhile is printed above it, not into it.
 */
export function createProgress(stream: TerminalStream, now: () => number = () => performance.now()): { update: (p: ProgressView) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const terminal = terminalFor(stream);
  const t0 = now();
  return {
    update(p) {
      terminal.status(formatProgress(p, now() - t0));
    },
    done() {
      terminal.clearStatus();
    },
  };
}
