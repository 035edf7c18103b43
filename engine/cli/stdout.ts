/**
 * Standard output that its reader may close early (`engine export … | head -1`): the rest of the output is not wanted,
 * which is not an error. A long writer stops at once; anything else exits quietly with code 0 (see main.ts).
 */

/** Thrown by writeStdout once the reader has closed standard output; the CLI exits 0 on it. */
export class StdoutClosedError extends Error {
  override readonly name = 'StdoutClosedError';
}

/** Writes a chunk to standard output, or throws StdoutClosedError when its reader has gone (so a loop stops). */
export function writeStdout(chunk: string): void {
  if (stdoutClosed()) throw new StdoutClosedError('standard output was closed by its reader');
  process.stdout.write(chunk);
}

/** True once a write to standard output failed (EPIPE: the reader closed the pipe). */
export function stdoutClosed(): boolean {
  return process.stdout.errored !== null || process.stdout.destroyed;
}

/**
 * EPIPE on standard output: `onClosed` decides (exit 0 by default, a session goes on without it). Any other write
 * error is thrown, as Node would.
 */
export function handleStdoutClosed(onClosed: () => void): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    onClosed();
  });
}
