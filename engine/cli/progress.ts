import { performance } from 'node:perf_hooks';

/** A one-line progress display on a TTY; nothing at all when the stream is not a terminal. */
export function createProgress(stream: NodeJS.WriteStream): { update: (ticks: number) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const t0 = performance.now();
  let shown = false;
  return {
    update(ticks) {
      const s = (performance.now() - t0) / 1000;
      stream.write(`\r  replaying: ${ticks.toLocaleString('en-US')} ticks, ${Math.round(ticks / Math.max(s, 1e-3)).toLocaleString('en-US')} ticks/s   `);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
