/**
 * `engine` is a command like any Node tool's: package.json's bin names an executable file that starts the CLI from
 * source, `npx engine` runs it in the repo (and after `npm link`, anywhere), and --version prints the package version.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEngine } from './engine-process.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; bin: Record<string, string> };

/** Runs a command (no shell) and collects its output. */
function run(command: string, args: string[], cwd = '.'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the engine command', () => {
  it('is an executable file with a node shebang where package.json\'s bin says', () => {
    const file = pkg.bin.engine!;
    expect(file).toBe('bin/engine.js');
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    accessSync(file, constants.X_OK);
  });

  it('runs as a program of its own (through its shebang) and prints its usage', async () => {
    const exit = await run('./bin/engine.js', ['--help']);
    expect(exit.stderr).toBe('');
    expect(exit.stdout).toMatch(/^Usage: engine \[options\] \[command\]/);
    expect(exit.stdout).toMatch(/^\s+backtest \[options\]/m);
    expect(exit.code).toBe(0);
  });

  it('runs from another directory (as after npm link), loading that directory\'s TypeScript strategies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-bin-'));
    try {
      mkdirSync(join(dir, 'strategies'));
      writeFileSync(join(dir, 'strategies', 'tiny.ts'), 'const params: { size: number } = { size: 3 };\nexport default { name: \'tiny\', params, onTick(): void {} };\n');
      const exit = await run(process.execPath, [join(process.cwd(), 'bin/engine.js'), 'list', 'strategies'], dir);
      expect(exit.stderr).toBe('');
      expect(exit.stdout.split('\n')[1]).toMatch(/^tiny\s+size=3$/);
      expect(exit.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the package version with --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const exit = await runEngine([flag]);
      expect(exit.stdout).toBe(`${pkg.version}\n`);
      expect(exit.code).toBe(0);
    }
  });

  it('is what npx engine runs in the repo', async () => {
    const exit = await run('npx', ['--no-install', 'engine', '--version']);
    expect(exit.stderr).not.toMatch(/not found/);
    expect(exit.stdout).toBe(`${pkg.version}\n`);
    expect(exit.code).toBe(0);
  });
});
