/** The documented answer envelopes. */
export type RequestId = string | number | undefined;

export interface Replier {
  send(frame: object): void;
  ok(id: RequestId, response: string, result: unknown): void;
  /** `{"Id", "Response": "Error", "Error": <description>}` */
  error(id: RequestId, message: string): void;
}

export function createReplier(sendText: (text: string) => void): Replier {
  const send = (frame: object) => sendText(JSON.stringify(frame));
  return {
    send,
    ok: (id, response, result) => send({ ...(id !== undefined ? { Id: id } : {}), Response: response, Result: result }),
    error: (id, message) => send({ ...(id !== undefined ? { Id: id } : {}), Response: 'Error', Error: message }),
  };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const splitList = (v: string): string[] => v.split(';').map((s) => s.trim()).filter((s) => s !== '');
