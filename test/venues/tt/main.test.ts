/** `npm run venue:tt`: its default port among the simulators', --port, and a port in use as one line with exit 1. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../engine/config/load.js';
import { SIM_PORTS } from '../sim-cli.js';

function runMain(args: string[], until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'TT_SIM_PORT'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/venues/tt/main.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += String(d);
    if (until?.test(stdout)) setTimeout(() => child.kill('SIGTERM'), 100); // its Ctrl-C handler is set right after the banner
  });
  child.stderr.on('data', (d: Buffer) => void (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
}
const listening = (): Promise<Server> => new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => resolve(s));
});

describe('npm run venue:tt', () => {
  it('has a default port of its own', () => {
    const ports = Object.values(SIM_PORTS);
    expect(new Set(ports).size).toBe(ports.length);
    expect(SIM_PORTS.tt).toBe(18_730);
  });

  it('is where the demo config points', async () => {
    const tt = (await loadConfigFile('adapters/tt/demo.config.ts')).venues.tt!.options;
    expect(Number(new URL(String(tt.baseUrl)).port)).toBe(SIM_PORTS.tt);
  });

  it('serves on --port N and prints its base URL and the demo keys of both environments', async () => {
    const s = await listening();
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await runMain(['--port', String(port)], /Ctrl-C to stop/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`base URL        http://127.0.0.1:${port}/`);
    expect(r.stdout).toMatch(/ext_uat_cert {4}export TT_APP_KEY=\S+ TT_APP_SECRET=\S+/);
    expect(r.stdout).toMatch(/ext_prod_live {3}export TT_APP_KEY=\S+ TT_APP_SECRET=\S+/);
  }, 30_000);

  it('says in one line that its port is in use, exit 1', async () => {
    const taken = await listening();
    try {
      const r = await runMain([`--port=${(taken.address() as { port: number }).port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^TT simulator: port \d+ on 127\.0\.0\.1 is in use .*--port N$/)]);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  }, 30_000);
});
