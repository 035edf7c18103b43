import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './server-harness.js';

let dir: string;
let dashboardDir: string;
let h: Harness;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'control-static-'));
  dashboardDir = join(dir, 'dashboard');
  mkdirSync(join(dashboardDir, 'js'), { recursive: true });
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>engine</title>');
  writeFileSync(join(dashboardDir, 'app.js'), 'console.log("app")');
  writeFileSync(join(dashboardDir, 'style.css'), 'body{}');
  writeFileSync(join(dashboardDir, 'js', 'chart.mjs'), 'export {}');
  writeFileSync(join(dir, 'secret.txt'), 'outside the dashboard');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => h.close());

const uplot = (file: string): string => resolve('node_modules/uplot/dist', file);

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: h.server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('control server: static files', () => {
  it('serves the dashboard page at / as HTML, without a token', async () => {
    h = await startHarness({ dashboardDir });
    const res = await fetch(`${h.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toBe('<!doctype html><title>engine</title>');
  });

  it('serves files under /static/ with their content types', async () => {
    h = await startHarness({ dashboardDir });
    const types = await Promise.all(['app.js', 'style.css', 'js/chart.mjs'].map(async (f) => (await fetch(`${h.url}/static/${f}`)).headers.get('content-type')));
    expect(types).toEqual(['text/javascript; charset=utf-8', 'text/css; charset=utf-8', 'text/javascript; charset=utf-8']);
    expect(await (await fetch(`${h.url}/static/app.js`)).text()).toBe('console.log("app")');
  });

  it('serves the named vendor assets from node_modules, and nothing else', async () => {
    h = await startHarness({ dashboardDir, assets: { 'uPlot.iife.min.js': uplot('uPlot.iife.min.js'), 'uPlot.min.css': uplot('uPlot.min.css') } });
    const js = await fetch(`${h.url}/vendor/uPlot.iife.min.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toMatch(/uPlot/);
    expect((await fetch(`${h.url}/vendor/uPlot.min.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${h.url}/vendor/uPlot.esm.js`)).status).toBe(404);
    expect((await fetch(`${h.url}/vendor/toString`)).status).toBe(404);
  });

  it('refuses to leave the dashboard folder: .., encoded .., backslashes and absolute paths answer 404', async () => {
    h = await startHarness({ dashboardDir });
    for (const path of [
      '/static/../secret.txt',
      '/static/%2e%2e/secret.txt',
      '/static/..%2fsecret.txt',
      '/static/js/../../secret.txt',
      '/static/..%5csecret.txt',
      `/static/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      '/static//etc/passwd',
      '/static/%00',
      '/static/js',
    ]) {
      const res = await rawGet(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain('outside the dashboard');
    }
  });

  it('answers a missing file 404 and a POST to a page 405', async () => {
    h = await startHarness({ dashboardDir });
    expect((await fetch(`${h.url}/static/none.js`)).status).toBe(404);
    expect((await fetch(`${h.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('says the dashboard is not installed when there is no dashboard folder', async () => {
    h = await startHarness();
    const res = await fetch(`${h.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toMatch(/dashboard is not installed/);
    expect((await fetch(`${h.url}/static/app.js`)).status).toBe(404);
  });
});
