/** Minimal types for Deriv's official JavaScript client (`@deriv/deriv-api`), which ships none. */
declare module '@deriv/deriv-api/dist/DerivAPIBasic.js' {
  import type { Observable } from 'rxjs';
  interface DerivResponse {
    readonly msg_type: string;
    readonly req_id?: number;
    readonly echo_req: Record<string, unknown>;
    readonly error?: { readonly code: string; readonly message: string };
    readonly subscription?: { readonly id: string };
    readonly [k: string]: unknown;
  }
  export default class DerivAPIBasic {
    constructor(options: { connection?: unknown; endpoint?: string; app_id?: number | string; lang?: string });
    ping(): Promise<DerivResponse>;
    time(): Promise<DerivResponse>;
    websiteStatus(): Promise<DerivResponse>;
    authorize(token: string | Record<string, unknown>): Promise<DerivResponse>;
    balance(args?: Record<string, unknown>): Promise<DerivResponse>;
    portfolio(args?: Record<string, unknown>): Promise<DerivResponse>;
    buy(args: Record<string, unknown>): Promise<DerivResponse>;
    proposal(args: Record<string, unknown>): Promise<DerivResponse>;
    proposalOpenContract(args: Record<string, unknown>): Promise<DerivResponse>;
    sellExpired(args?: Record<string, unknown>): Promise<DerivResponse>;
    forget(id: string): Promise<DerivResponse>;
    forgetAll(...types: string[]): Promise<DerivResponse>;
    send(request: Record<string, unknown>): Promise<DerivResponse>;
    subscribe(request: Record<string, unknown>): Observable<DerivResponse>;
    disconnect(): void;
  }
}
