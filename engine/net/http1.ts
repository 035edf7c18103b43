/**
 * A keep-alive HTTP/1.1 connection pool for venue REST calls: one request at a time per connection, written to the
 * socket in the call that hands it over.
 *
 * Why our own (issue 15, latency): undici (6.x) yields a whole event-loop turn (setImmediate) before it writes a request
 * on a keep-alive connection that has been used before, so it can see bytes a server sent on it while it was idle. At
 * 1k ticks/s every order found its connection idle, and that turn, with the rest of undici's request set-up, was about
 * 130 µs of the time from the venue's frame to the order's bytes on the socket. Here the request is written at once,
 * and the same protection is kept another way: every connection is read all the time, so bytes that arrive on an idle
 * connection, or after a complete response, close it (it is never reused to carry a response that was not ours).
 *
 * Responses: a status line and headers (at most 64 KiB), then a body by Content-Length, chunked transfer coding, or
 * up to the close; 1xx answers are passed on and skipped; no body for HEAD, 204 and 304. Anything malformed fails the
 * request with an HttpProtocolError and closes the connection. A connection is kept while the server allows it: not
 * after `Connection: close` or an HTTP/1.0 answer, and not past the server's `Keep-Alive: timeout` (less a second, so
 * a request is not written into a connection the server is closing) or 4 s idle without one.
 */
import net from 'node:net';
import tls from 'node:tls';

/** What a request's owner is told, in this order: onConnect (with an abort), onHeaders per answer, onData, then onComplete or onError once. */
export interface Http1Handler {
  onConnect(abort: (error?: Error) => void): void;
  /** `rawHeaders` is a flat name/value list as received. Called for 1xx answers too (the real one follows). */
  onHeaders(status: number, rawHeaders: string[]): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(error: Error): void;
}

export interface Http1Request {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  /** A flat name/value list. `host` and `content-length` are set here. */
  readonly headers: readonly string[];
  readonly body: string | undefined;
}

export interface Http1PoolOptions {
  /** At most this many connections; requests beyond them wait, in order. */
  readonly connections: number;
  /** Idle time after which a connection is not reused when the server gave no Keep-Alive timeout (default 4,000 ms). */
  readonly keepAliveMs?: number;
  /** Called right after a request's bytes were handed to the socket (bench/latency.ts measures to here). */
  readonly onSent?: (method: string) => void;
}

/** A response the client cannot read as HTTP/1.1 (the connection is closed). */
export class HttpProtocolError extends Error {
  override readonly name = 'HttpProtocolError';
  readonly code = 'HTTP_PROTOCOL';
}

/** The connection ended before the answer was complete. */
class SocketClosedError extends Error {
  override readonly name = 'SocketError';
  readonly code = 'SOCKET_CLOSED';
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 4 * 1024;
/** A connection is not reused this close to the moment the server said it would close it. */
const KEEP_ALIVE_MARGIN_MS = 1_000;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

interface Pending {
  readonly req: Http1Request;
  readonly handler: Http1Handler;
  /** Its bytes were handed to a socket. */
  sent: boolean;
}

/** How a response's body is read; `again`: a 1xx answer, the real head follows. */
type BodyMode = 'none' | 'length' | 'chunked' | 'close' | 'again';
type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close';

/** One connection and the response it is reading. */
class Conn {
  current: Pending | undefined = undefined;
  connected = false;
  /** False once the server said it closes the connection, or the connection must not carry another request. */
  reusable = true;
  /** When it became idle, and how long the server keeps it from then (performance.now() ms). */
  idleSince = 0;
  keepAliveMs: number;
  // the response being read
  phase: Phase = 'head';
  buffered: Buffer | undefined = undefined;
  remaining = 0;
  status = 0;
  /** Why it could not be opened. */
  connectError: Error | undefined = undefined;

  constructor(readonly socket: net.Socket, keepAliveMs: number) {
    this.keepAliveMs = keepAliveMs;
  }
}

export class Http1Pool {
  private readonly conns = new Set<Conn>();
  /** Connected, waiting for a request; the most recently used last (taken first: its caches are the warmest). */
  private readonly idle: Conn[] = [];
  private readonly queue: Pending[] = [];
  private connecting = 0;
  private closing: (() => void) | undefined = undefined;
  private closed = false;
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  private readonly secure: boolean;
  private readonly keepAliveMs: number;

  constructor(origin: URL, private readonly opts: Http1PoolOptions) {
    this.secure = origin.protocol === 'https:';
    if (!this.secure && origin.protocol !== 'http:') throw new Error(`unsupported protocol ${origin.protocol} (http: or https:)`);
    this.host = origin.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = origin.port === '' ? (this.secure ? 443 : 80) : Number(origin.port);
    this.hostHeader = origin.host;
    this.keepAliveMs = opts.keepAliveMs ?? 4_000;
  }

  /** Sends the request on an idle connection now, or when one is free; every outcome reaches the handler. */
  dispatch(req: Http1Request, handler: Http1Handler): void {
    if (this.closed) {
      handler.onError(new Error('the HTTP client is closed'));
      return;
    }
    const conn = this.queue.length === 0 ? this.takeIdle() : undefined;
    if (conn !== undefined) this.start(conn, { req, handler, sent: false });
    else {
      this.queue.push({ req, handler, sent: false });
      this.pump(true);
    }
  }

  /** Stops taking requests; those handed over already are sent and answered first. */
  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => {
      this.closing = resolve;
      this.settleClose();
    });
  }

  private settleClose(): void {
    if (this.closing === undefined) return;
    for (const c of this.idle.splice(0)) c.socket.destroy();
    if (this.conns.size === 0 && this.queue.length === 0) {
      const done = this.closing;
      this.closing = undefined;
      done();
    }
  }

  /** An idle connection the server still keeps, the warmest first; stale ones are closed on the way. */
  private takeIdle(): Conn | undefined {
    const now = performance.now();
    for (let c = this.idle.pop(); c !== undefined; c = this.idle.pop()) {
      if (now - c.idleSince < c.keepAliveMs && !c.socket.destroyed) return c;
      c.reusable = false;
      c.socket.destroy();
    }
    return undefined;
  }

  /**
   * Gives waiting requests the free connections, and (`openMore`) opens connections for the rest, up to the limit; not
   * after a connection attempt failed, so a venue that refuses connections gets no storm of attempts.
   */
  private pump(openMore: boolean): void {
    while (this.queue.length > 0) {
      const conn = this.takeIdle();
      if (conn === undefined) break;
      this.start(conn, this.queue.shift()!);
    }
    if (openMore) while (this.queue.length > this.connecting && this.conns.size < this.opts.connections) this.open();
    if (this.closed) this.settleClose();
  }

  private open(): void {
    const socket = this.secure
      ? tls.connect({ host: this.host, port: this.port, servername: net.isIP(this.host) === 0 ? this.host : undefined, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const conn = new Conn(socket, this.keepAliveMs);
    this.conns.add(conn);
    this.connecting++;
    socket.once(this.secure ? 'secureConnect' : 'connect', () => {
      this.connecting--;
      conn.connected = true;
      this.makeIdle(conn);
      this.pump(true);
    });
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('end', () => this.onEnd(conn));
    socket.on('error', (error: Error) => this.fail(conn, error));
    socket.on('close', () => this.onClose(conn));
  }

  private makeIdle(conn: Conn): void {
    conn.current = undefined;
    conn.idleSince = performance.now();
    conn.socket.unref(); // an idle pool does not keep the process alive
    if (this.closed && this.queue.length === 0) {
      conn.socket.destroy();
      return;
    }
    this.idle.push(conn);
  }

  private start(conn: Conn, p: Pending): void {
    conn.current = p;
    conn.phase = 'head';
    conn.buffered = undefined;
    conn.socket.ref();
    p.handler.onConnect((error) => this.abort(p, error));
    if (conn.current !== p) return; // aborted in onConnect (it timed out while waiting): nothing was written
    p.sent = true;
    const { req } = p;
    let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
    const h = req.headers;
    for (let i = 0; i + 1 < h.length; i += 2) head += `${h[i]}: ${h[i + 1]}\r\n`;
    const body = req.body;
    if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    else head += req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH' ? 'content-length: 0\r\n\r\n' : '\r\n';
    conn.socket.write(head);
    this.opts.onSent?.(req.method);
  }

  /** A request given up by its owner (timed out): taken off the queue, or its connection closed if it was sent. */
  private abort(p: Pending, error: Error | undefined): void {
    const err = error ?? new Error('aborted');
    const i = this.queue.indexOf(p);
    if (i >= 0) {
      this.queue.splice(i, 1);
      p.handler.onError(err);
      return;
    }
    for (const c of this.conns) {
      if (c.current !== p) continue;
      if (p.sent) {
        c.current = undefined;
        c.reusable = false;
        c.socket.destroy(); // its answer may still come: the connection cannot carry another request
      } else this.makeIdle(c); // given up before a byte was written: the connection stays good
      p.handler.onError(err);
      return;
    }
  }

  private fail(conn: Conn, error: Error): void {
    conn.reusable = false;
    const p = conn.current;
    conn.current = undefined;
    if (p !== undefined) p.handler.onError(error);
    else if (!conn.connected) conn.connectError = error;
    conn.socket.destroy();
  }

  private onEnd(conn: Conn): void {
    conn.reusable = false;
    if (conn.current !== undefined && conn.phase === 'close') this.complete(conn);
    else if (conn.current !== undefined) this.fail(conn, new SocketClosedError('the server closed the connection before the answer was complete'));
    conn.socket.destroy();
  }

  private onClose(conn: Conn): void {
    if (!this.conns.delete(conn)) return;
    if (!conn.connected) this.connecting--;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    if (conn.current !== undefined) {
      const p = conn.current;
      conn.current = undefined;
      p.handler.onError(new SocketClosedError('the connection closed before the answer was complete'));
    }
    // a connection that could not be opened, and no other open or opening: the waiting requests fail with its error
    if (!conn.connected && this.conns.size === 0) {
      const error = conn.connectError ?? new SocketClosedError('the connection closed before it was open');
      for (const p of this.queue.splice(0)) p.handler.onError(error);
    }
    this.pump(conn.connected);
  }

  private complete(conn: Conn): void {
    const p = conn.current!;
    const leftover = conn.buffered !== undefined && conn.buffered.length > 0;
    conn.buffered = undefined;
    if (leftover || !conn.reusable || conn.socket.destroyed) {
      conn.current = undefined;
      conn.reusable = false;
      conn.socket.destroy();
    } else this.makeIdle(conn);
    p.handler.onComplete();
    this.pump(true);
  }

  private onData(conn: Conn, chunk: Buffer): void {
    if (conn.current === undefined) {
      // bytes nobody asked for: the connection can no longer be trusted to carry the next answer
      conn.reusable = false;
      conn.socket.destroy();
      return;
    }
    conn.buffered = conn.buffered === undefined || conn.buffered.length === 0 ? chunk : Buffer.concat([conn.buffered, chunk]);
    try {
      this.read(conn);
    } catch (error) {
      if (!(error instanceof HttpProtocolError)) throw error;
      this.fail(conn, error);
    }
  }

  /** Reads as much of the current response as the buffered bytes hold. */
  private read(conn: Conn): void {
    while (conn.current !== undefined) {
      const buf = conn.buffered;
      if (buf === undefined || buf.length === 0) return;
      const handler = conn.current.handler;
      switch (conn.phase) {
        case 'head': {
          const end = buf.indexOf(HEAD_END);
          if (end < 0) {
            if (buf.length > MAX_HEAD_BYTES) throw new HttpProtocolError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
            return;
          }
          conn.buffered = buf.subarray(end + 4);
          const mode = this.head(conn, buf.toString('latin1', 0, end), handler);
          if (conn.current === undefined) return; // the owner gave up on it in onHeaders
          if (mode === 'none') {
            this.complete(conn);
            return;
          }
          break;
        }
        case 'length':
          if (this.deliver(conn, buf, handler)) {
            this.complete(conn);
            return;
          }
          break;
        case 'close':
          conn.buffered = undefined;
          handler.onData(buf);
          return;
        case 'chunk-size': {
          const end = buf.indexOf(CRLF);
          if (end < 0) {
            if (buf.length > MAX_CHUNK_LINE) throw new HttpProtocolError('chunk size line too long');
            return;
          }
          const line = buf.toString('latin1', 0, end);
          const hex = (line.split(';', 1)[0] ?? '').trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new HttpProtocolError(`bad chunk size ${JSON.stringify(line.slice(0, 40))}`);
          conn.remaining = parseInt(hex, 16);
          conn.buffered = buf.subarray(end + 2);
          conn.phase = conn.remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'chunk-data':
          if (this.deliver(conn, buf, handler)) conn.phase = 'chunk-end';
          break;
        case 'chunk-end': {
          if (buf.length < 2) return;
          if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw new HttpProtocolError('chunk not followed by CRLF');
          conn.buffered = buf.subarray(2);
          conn.phase = 'chunk-size';
          break;
        }
        case 'trailers': {
          // trailer fields (rare) are read and dropped, up to the empty line
          const end = buf.indexOf(CRLF);
          if (end < 0) {
            if (buf.length > MAX_HEAD_BYTES) throw new HttpProtocolError('trailers too long');
            return;
          }
          conn.buffered = buf.subarray(end + 2);
          if (end === 0) {
            this.complete(conn);
            return;
          }
          break;
        }
      }
    }
  }

  /** Hands the handler as much of the body part being read (`remaining` bytes) as `buf` holds; true once it is all read. */
  private deliver(conn: Conn, buf: Buffer, handler: Http1Handler): boolean {
    const n = Math.min(conn.remaining, buf.length);
    conn.remaining -= n;
    conn.buffered = buf.subarray(n);
    handler.onData(n === buf.length ? buf : buf.subarray(0, n));
    return conn.remaining === 0;
  }

  /** Parses a response head, tells the handler, and sets how the body is read. */
  private head(conn: Conn, text: string, handler: Http1Handler): BodyMode {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (m === null) throw new HttpProtocolError(`bad status line ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
    const http10 = m[1] === '0';
    const status = Number(m[2]);
    const raw: string[] = [];
    let length: number | undefined;
    let chunked = false;
    let transferEncoded = false;
    let close = http10;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0 || line[0] === ' ' || line[0] === '\t') throw new HttpProtocolError(`bad header line ${JSON.stringify(line.slice(0, 60))}`);
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      raw.push(name, value);
      switch (name.toLowerCase()) {
        case 'content-length': {
          if (!/^\d{1,15}$/.test(value)) throw new HttpProtocolError(`bad content-length ${JSON.stringify(value.slice(0, 30))}`);
          const n = Number(value);
          if (length !== undefined && length !== n) throw new HttpProtocolError('conflicting content-length headers');
          length = n;
          break;
        }
        case 'transfer-encoding':
          transferEncoded = true;
          chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
          break;
        case 'connection': {
          const v = value.toLowerCase();
          if (/(?:^|,)\s*close\s*(?:,|$)/.test(v)) close = true;
          else if (http10 && /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(v)) close = false;
          break;
        }
        case 'keep-alive': {
          const t = /(?:^|,)\s*timeout\s*=\s*(\d+)/i.exec(value);
          if (t !== null) conn.keepAliveMs = Math.min(this.keepAliveMs, Number(t[1]) * 1000 - KEEP_ALIVE_MARGIN_MS);
          break;
        }
      }
    }
    if (status >= 100 && status < 200 && status !== 101) {
      handler.onHeaders(status, raw); // an informational answer: the real one follows, read as a head again
      conn.phase = 'head';
      return 'again';
    }
    if (status === 101) throw new HttpProtocolError('unexpected protocol switch (101)');
    if (close) conn.reusable = false;
    handler.onHeaders(status, raw);
    if (conn.current === undefined) return 'none';
    if (conn.current.req.method === 'HEAD' || status === 204 || status === 304) return 'none';
    if (transferEncoded && chunked) {
      if (length !== undefined) conn.reusable = false; // both: chunked wins (RFC 9112 6.3), the connection is not reused
      conn.phase = 'chunk-size';
      return 'chunked';
    }
    if (transferEncoded || length === undefined) {
      conn.reusable = false;
      conn.phase = 'close';
      return 'close';
    }
    if (length === 0) return 'none';
    conn.remaining = length;
    conn.phase = 'length';
    return 'length';
  }
}
