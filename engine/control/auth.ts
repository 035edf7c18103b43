/**
 * Who may talk to the control server: the bearer token check (constant time), the loopback rule for a server without a
 * token, and where a request carries its token (Authorization, or the WebSocket subprotocol `bearer.<token>` since a
 * browser cannot set headers on a WebSocket). The token is never logged, echoed or put in an error.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { err, ok, type Result } from '../model/result.js';

export const TOKEN_ENV = 'ENGINE_CONTROL_TOKEN';
/** The subprotocol a WebSocket client offers next to `bearer.<token>`; the server selects it (never the token one). */
export const STREAM_PROTOCOL = 'engine.stream.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';

/**
 * Characters a token may hold: those valid both in `Authorization: Bearer` and in a WebSocket subprotocol (an HTTP
 * token), so that a browser can send it. `openssl rand -hex 32` or base64url text fits.
 */
const TOKEN_CHARS = /^[A-Za-z0-9._~+-]+$/;

/** 127.0.0.0/8, ::1 (bracketed or not), an IPv4-mapped loopback address, or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || (h.startsWith('::ffff:') && isIPv4(h.slice(7)) && h.slice(7).startsWith('127.'));
  return false;
}

/** Whether the server may start on `host` with `token`: a message naming what to do when it may not. */
export function checkBinding(host: string, token: string | undefined): Result<void> {
  if (token !== undefined && token.trim() === '') return err(`${TOKEN_ENV} is set but empty: set it to a long random value (e.g. \`openssl rand -hex 32\`) or unset it and bind 127.0.0.1`);
  if (token !== undefined && !TOKEN_CHARS.test(token)) {
    return err(`${TOKEN_ENV} may hold only letters, digits and . _ ~ + - (it must fit a WebSocket subprotocol): e.g. \`openssl rand -hex 32\``);
  }
  if (token === undefined && !isLoopbackHost(host)) {
    return err(`the control server refuses to listen on ${host} without a token: set the token environment variable ${TOKEN_ENV} or bind 127.0.0.1`);
  }
  return ok(undefined);
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time comparison: both sides are hashed to 32 bytes first, so timingSafeEqual compares equal-length buffers
 * and the time taken tells nothing about the token, not even its length.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token of `Authorization: Bearer <token>`, if the header has that form. */
export function bearerFromAuthorization(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}

/** The token of a `bearer.<token>` subprotocol in Sec-WebSocket-Protocol, if one is offered. */
export function bearerFromSubprotocol(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return undefined;
  for (const p of header.split(',')) {
    const s = p.trim();
    if (s.startsWith(BEARER_PROTOCOL_PREFIX)) return s.slice(BEARER_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

export type Access = 'granted' | 'missing' | 'wrong';

/** With a token configured: is the request's token present and right. Without one: always granted (loopback only). */
export function accessOf(token: string | undefined, given: string | undefined): Access {
  if (token === undefined) return 'granted';
  if (given === undefined) return 'missing';
  return tokenMatches(token, given) ? 'granted' : 'wrong';
}

export const ACCESS_MESSAGES: Record<Exclude<Access, 'granted'>, string> = {
  missing: 'this request needs the control token: send the header "Authorization: Bearer <token>" (the value of ENGINE_CONTROL_TOKEN)',
  wrong: 'the control token is wrong: send the value of ENGINE_CONTROL_TOKEN the session was started with',
};

export const ACTIONS_NEED_TOKEN = `control actions need a token: set ${TOKEN_ENV} and restart the session`;

/**
 * Without a token the server is reachable only from this machine, but a web page in a local browser could still reach
 * it through DNS rebinding (its own name resolving to 127.0.0.1). Such a request carries the page's name in Host, so a
 * server without a token answers only requests whose Host is a loopback name or address.
 */
export function hostHeaderIsLoopback(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return isLoopbackHost(name);
}

export const FOREIGN_HOST_MESSAGE = 'this control server has no token and answers only requests addressed to 127.0.0.1, ::1 or localhost';
