/** The real `engine` command as a child process, started as `npx engine` starts it: bin/engine.js, from the repo. */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';

export interface EngineExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr lines other than the engine's JSON log lines. */
  readonly lines: string[];
}

/** Starts `engine <args>`; `onStart` gets the child (to signal it, or to close its output early). */
export function runEngine(args: readonly string[], opts: { env?: Record<string, string>; onStart?: (child: ChildProcess) => void } = {}): Promise<EngineExit> {
  const child = spawn(process.execPath, ['bin/engine.js', ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  opts.onStart?.(child);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({
      code, signal, stdout, stderr, lines: stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{"level"')),
    }));
  });
}

/** What a user error looks like: exactly one line on stderr matching `says`, no stack trace, exit code 2. */
export function expectOneLine(exit: EngineExit, says: RegExp): void {
  expect(exit.lines, exit.stderr).toEqual([expect.stringMatching(says)]);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(exit.code).toBe(2);
}
