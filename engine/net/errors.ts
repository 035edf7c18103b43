/**
 * Typed failures of the network layer. The split that matters to callers (DESIGN.md, reliability rules):
 * - `UnknownOutcomeError` (timeout, disconnect): the venue may or may not have acted; settle by asking it, never by
 *   sending again under a new id.
 * - `ConnectionRejectedError`: a definitive refusal of the session (bad credentials); do not retry.
 * Messages name an endpoint as scheme://host/path only, never query strings, headers or signed bodies.
 */

/** Base of every "the venue may or may not have acted" failure. */
export class UnknownOutcomeError extends Error {
  override readonly name: string = 'UnknownOutcomeError';
  readonly outcome = 'unknown' as const;
}

/** No answer within the deadline. */
export class TimeoutError extends UnknownOutcomeError {
  override readonly name = 'TimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The connection went away (or was closed) while a request was waiting for its answer. */
export class DisconnectedError extends UnknownOutcomeError {
  override readonly name = 'DisconnectedError';
}

/** The server refused the session definitively (HTTP 401/403 on upgrade, or the adapter reported an auth failure). */
export class ConnectionRejectedError extends Error {
  override readonly name = 'ConnectionRejectedError';
  /** scheme://host/path of the refused endpoint (never its query string). */
  readonly endpoint: string;
  /** The HTTP status of a refused upgrade, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, details: { endpoint: string; status?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.endpoint = details.endpoint;
    this.status = details.status;
  }
}

/** `close()` was called before the first connection opened. */
export class SocketClosedError extends Error {
  override readonly name = 'SocketClosedError';
}

/** True for failures whose outcome is unknown (timeout, disconnect): reconcile, do not resend under a new id. */
export function isUnknownOutcome(error: unknown): error is UnknownOutcomeError {
  return error instanceof UnknownOutcomeError;
}
