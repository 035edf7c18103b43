/**
 * The dashboard's files: `/` → dashboardDir/index.html, `/static/<path>` → a file under dashboardDir, `/vendor/<name>`
 * → one of the named assets (e.g. uPlot from node_modules). Static files hold no secrets and need no token (the page
 * asks for the token itself). A path with `..`, a backslash, a NUL or an absolute path is refused (404), and a resolved
 * path must stay inside dashboardDir.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, isAbsolute, resolve, sep } from 'node:path';
import { COMMON_HEADERS, sendError } from './http-util.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const contentTypeOf = (file: string): string => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

const NOT_INSTALLED =
  'The engine dashboard is not installed in this build.\n' +
  'The control API is available: GET /api/v1/status (see engine/control/API.md).\n';

export interface StaticOptions {
  readonly dashboardDir: string | undefined;
  readonly assets: Readonly<Record<string, string>>;
}

/** A relative path under the dashboard folder, or undefined when it could escape it. */
export function safeRelativePath(raw: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (path === '' || path.includes('\0') || path.includes('\\') || isAbsolute(path)) return undefined;
  if (path.split('/').some((s) => s === '..' || s === '.' || s === '')) return undefined;
  return path;
}

async function sendFile(res: ServerResponse, file: string, cacheControl: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return sendError(res, 404, 'not found');
    const data = await readFile(file);
    res.writeHead(200, { ...COMMON_HEADERS, 'content-type': contentTypeOf(file), 'content-length': String(data.length), 'cache-control': cacheControl });
    res.end(data);
  } catch {
    sendError(res, 404, 'not found');
  }
}

/** Serves a GET of `pathname` when it is a static route; false when the path is not one (the caller answers 404). */
export function serveStatic(res: ServerResponse, pathname: string, opts: StaticOptions): Promise<void> | false {
  if (pathname === '/' || pathname === '/index.html') {
    if (opts.dashboardDir === undefined) {
      res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(NOT_INSTALLED);
      return Promise.resolve();
    }
    return sendFile(res, resolve(opts.dashboardDir, 'index.html'), 'no-store');
  }
  if (pathname.startsWith('/static/')) {
    const rel = safeRelativePath(pathname.slice('/static/'.length));
    if (opts.dashboardDir === undefined || rel === undefined) {
      sendError(res, 404, 'not found');
      return Promise.resolve();
    }
    const root = resolve(opts.dashboardDir);
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep)) {
      sendError(res, 404, 'not found');
      return Promise.resolve();
    }
    return sendFile(res, file, 'no-cache');
  }
  if (pathname.startsWith('/vendor/')) {
    const name = safeRelativePath(pathname.slice('/vendor/'.length));
    const file = name === undefined || !Object.hasOwn(opts.assets, name) ? undefined : opts.assets[name];
    if (file === undefined) {
      sendError(res, 404, 'not found');
      return Promise.resolve();
    }
    return sendFile(res, file, 'max-age=3600');
  }
  return false;
}
