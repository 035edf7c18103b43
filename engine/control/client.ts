/**
 * A client of a running session's control plane (API.md), for the CLI verbs: `engine status`, `halt`, `reduce`,
 * `resume`, `cancel-all`, `stop-strategy`, `flatten`. The token comes from ENGINE_CONTROL_TOKEN, never a flag.
 */
export class ControlClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlClientError';
  }
}

export interface ControlClient {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body: Readonly<Record<string, unknown>>): Promise<T>;
}

export function createControlClient(baseUrl: string, token: string | undefined): ControlClient {
  const base = baseUrl.replace(/\/+$/, '');
  const headers = (json: boolean): Record<string, string> => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/${path}`, {
        method, headers: headers(body !== undefined), ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(5_000),
      });
    } catch (e) {
      const why = e instanceof Error && e.name === 'TimeoutError' ? 'no answer in 5 s' : 'nothing answers there';
      throw new ControlClientError(`no session at ${base} (${why}): is \`engine paper\` or \`engine live\` running, with its control plane on that host and port?`);
    }
    let answer: Record<string, unknown>;
    try {
      answer = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new ControlClientError(`${base} answered HTTP ${res.status} with something that is not the engine's JSON`);
    }
    if (res.status === 401) throw new ControlClientError(`refused (401): ${String(answer.error ?? 'a valid token is needed')}; export ENGINE_CONTROL_TOKEN as the session has it`);
    if (res.status >= 400 && res.status !== 409) throw new ControlClientError(`${String(answer.error ?? `HTTP ${res.status}`)}`);
    return answer as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
}
