/**
 * What may be said about a URL in a log line or an error: scheme, host and path. Query strings, fragments and
 * user-info can carry secrets (signed JWTs, api keys) and are dropped.
 */
export function describeEndpoint(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** The path alone, without query string: `/api/v1/order?sig=…` → `/api/v1/order`. */
export function pathOnly(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

/**
 * A message from a lower layer (ws, the HTTP pool, the OS) made safe to print: every occurrence of the full URL, and of its
 * query string, is replaced, so an error such as "Invalid URL: wss://host/ws?token=…" cannot leak the token.
 */
export function scrubMessage(message: string, url: string | undefined): string {
  if (!url) return message;
  let out = message.split(url).join(describeEndpoint(url));
  try {
    const u = new URL(url);
    if (u.search.length > 1) out = out.split(u.search).join('?[redacted]');
    if (u.password) out = out.split(u.password).join('[redacted]');
  } catch {
    /* not a URL: nothing more to scrub */
  }
  return out;
}

/** `error.message` of anything thrown, or its string form. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
