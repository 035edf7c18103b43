import { Writable } from 'node:stream';
import { pino } from 'pino';

/**
 * A logger that keeps every line. Plain pino, on purpose without the engine's redaction: a test that a secret never
 * reaches a log line must see what the adapter actually wrote.
 */
export function captureLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, dest), lines };
}
