import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../engine/execution/venue-adapter.js';
import type { VenueOrderEvent } from '../../../engine/model/events.js';
import type { Tick } from '../../../engine/model/tick.js';
import type { TransactAdapter } from '../../../adapters/transact/index.js';
import { TransactConfigError } from '../../../adapters/transact/config.js';
import createTransactAdapter from '../../../adapters/transact/index.js';
import { pino } from 'pino';
import { createLiveClock } from '../../../engine/clock/live-clock.js';
import { DEMO_USER, type TransactSimulator } from '../../venues/transact/sim-server.js';
import { startTestSimulator } from '../../venues/transact/test-client.js';
import { sleep, waitFor } from '../session-kit.js';
import { captureLog, INSTRUMENT, limit, makeAdapter } from './helpers.js';

let sim: TransactSimulator;
const adapters: TransactAdapter[] = [];
const adapter = (opts: Parameters<typeof makeAdapter>[1] = {}): TransactAdapter => {
  const a = makeAdapter(sim, opts);
  adapters.push(a);
  return a;
};
const events = (a: TransactAdapter): VenueOrderEvent[] => {
  const seen: VenueOrderEvent[] = [];
  a.execution!.events$.subscribe((e) => seen.push(e));
  return seen;
};
const has = (seen: VenueOrderEvent[], kind: VenueOrderEvent['kind'], cid: string) => seen.some((e) => e.kind === kind && e.clientOrderId === cid);

beforeEach(async () => {
  sim = await startTestSimulator();
});
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.close().catch(() => undefined);
  await sim.close();
});

describe('TransAct adapter: options and credentials', () => {
  it('names every missing environment variable and never echoes a secret', () => {
    const make = (env: Record<string, string>) => () =>
      createTransactAdapter({ authUrl: sim.urls.auth, ordersUrl: sim.urls.orders, pricesUrl: sim.urls.prices }, { log: pino({ level: 'silent' }), clock: createLiveClock(), env, random: () => 0.5 });
    expect(make({})).toThrow(TransactConfigError);
    expect(make({})).toThrow(/TRANSACT_USERNAME[\s\S]*TRANSACT_PASSWORD[\s\S]*TRANSACT_API_KEY/);
    expect(make({ TRANSACT_USERNAME: 'u', TRANSACT_PASSWORD: 'p-secret-1', TRANSACT_API_KEY: 'k' })).not.toThrow();
  });

  it('refuses a wrong api_key with the venue status and text, once, without secrets in the error', async () => {
    const a = adapter({ user: { ...DEMO_USER, apiKey: 'wrong-key-998877' } });
    const err = (await a.connect().then(() => undefined, (e: unknown) => e)) as Error;
    expect(err.name).toBe('ConnectionRejectedError');
    expect(err.message).toMatch(/refused the login credentials \(-2: invalid api_key\)/);
    expect(err.message).not.toContain('wrong-key-998877');
    expect(err.message).not.toContain(DEMO_USER.password);
    await sleep(1_200);
    expect(sim.stats.logins).toBe(1);
    expect(sim.connections('orders')).toBe(0);
  });

  it('never writes the password or api_key to the log, through connect, trading and re-login', async () => {
    const { log, lines } = captureLog();
    const a = adapter({ log });
    await a.connect();
    a.execution!.submit(limit('buy', 4_990, 1));
    sim.faults.expireSessions();
    await a.execution!.openOrders!();
    await a.close();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).not.toContain(DEMO_USER.password);
    expect(text).not.toContain(DEMO_USER.apiKey);
  });
});

describe('TransAct adapter: session key lifetime', () => {
  it('logs in again before the key expires and goes on trading on the new key', async () => {
    sim.faults.setSessionTtl(1_500);
    const a = adapter({ options: { reloginMarginMs: 1_000 } });
    await a.connect();
    const first = a.sessionExpires!;
    // a login is counted when it is sent; the new expiry arrives with its answer
    await waitFor(() => a.logins >= 2 && a.sessionExpires! > first, 3_000, 'a second login and its new key');
    await sleep(Math.max(0, first - Date.now() + 100)); // the first key is now expired at the venue
    const seen = events(a);
    const cmd = limit('buy', 4_990, 1);
    a.execution!.submit(cmd);
    await waitFor(() => has(seen, 'OrderAccepted', cmd.clientOrderId), 3_000, 'OrderAccepted on the renewed key');
    expect(sim.stats.commands.filter((c) => c === 'session').length).toBeGreaterThanOrEqual(4);
  });

  it('logs in again once after the venue refuses the key (-10) and resends the refused command', async () => {
    const a = adapter();
    await a.connect();
    sim.faults.expireSessions();
    const seen = events(a);
    const cmd = limit('buy', 4_990, 1);
    a.execution!.submit(cmd);
    await waitFor(() => has(seen, 'OrderAccepted', cmd.clientOrderId), 3_000, 'OrderAccepted after re-login');
    expect(a.logins).toBe(2);
    expect(sim.stats.newOrders.get(cmd.clientOrderId)).toBe(2); // refused with -10 (not acted on), then accepted
    expect(await a.execution!.openOrders!()).toHaveLength(1);
  });

  it('stops for good with a clear error when the re-login is refused (key expired, credentials revoked), no retry storm', async () => {
    const a = adapter();
    const states: ConnectionState[] = [];
    a.state$.subscribe((s) => states.push(s));
    await a.connect();
    sim.faults.rejectLogins(true);
    sim.faults.expireSessions();
    const err = (await a.execution!.openOrders!().then(() => undefined, (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/-10 session key expired; re-login failed: .*refused the login credentials \(-1: invalid username or password\)/);
    await waitFor(() => states.at(-1) === 'closed', 2_000, 'state closed');
    await sleep(1_000);
    expect(sim.stats.logins).toBe(2);
  });
});

describe('TransAct adapter: orders and prices', () => {
  it('loads instruments with the contract size and fees', async () => {
    const a = adapter();
    await a.connect();
    const es = (await a.instruments()).find((i) => i.id === INSTRUMENT);
    expect(es).toMatchObject({ tickSize: 0.25, stepSize: 1, contractSize: 50, makerFee: 0.00002, takerFee: 0.00005, base: 'ES', quote: 'USD' });
  });

  it('streams quotes, books and trades only for the kinds asked', async () => {
    const a = adapter();
    await a.connect();
    const ticks: Tick[] = [];
    a.marketData!.ticks$.subscribe((t) => ticks.push(t));
    a.marketData!.subscribe(INSTRUMENT, ['quote', 'trade']);
    await waitFor(() => (sim.market.moveTo('ESZ6', 5_000.5), ticks.some((t) => t.kind === 'trade')), 3_000, 'a trade');
    expect(ticks.some((t) => t.kind === 'quote')).toBe(true);
    expect(ticks.some((t) => t.kind === 'book')).toBe(false);
    expect(ticks.find((t) => t.kind === 'quote')).toMatchObject({ instrumentId: INSTRUMENT });
  });

  it('leaves an order whose status was lost in flight, sends it once, and finds it with orderStatus', async () => {
    const a = adapter();
    await a.connect();
    const seen = events(a);
    sim.faults.swallowNext('new_order');
    const cmd = limit('buy', 4_990, 1);
    a.execution!.submit(cmd);
    await sleep(1_200); // past requestTimeoutMs
    expect(seen.filter((e) => e.kind === 'OrderRejected')).toEqual([]);
    const report = await a.execution!.orderStatus!(cmd.clientOrderId);
    expect(report).toMatchObject({ clientOrderId: cmd.clientOrderId, status: 'ACCEPTED', quantity: 1, price: 4_990 });
    expect(await a.execution!.orderStatus!('tx-0-0')).toBeUndefined();
    expect(sim.stats.newOrders.get(cmd.clientOrderId)).toBe(1);
  });

  it('after a dropped connection, reconnects, presents the key again and receives order topics again', async () => {
    const a = adapter();
    const states: ConnectionState[] = [];
    a.state$.subscribe((s) => states.push(s));
    await a.connect();
    sim.faults.dropConnections();
    await waitFor(() => states.includes('reconnecting') && states.at(-1) === 'connected', 5_000, 'reconnected');
    const seen = events(a);
    const cmd = limit('buy', 5_010, 1);
    a.execution!.submit(cmd);
    await waitFor(() => has(seen, 'OrderFilled', cmd.clientOrderId), 3_000, 'OrderFilled after the reconnect');
    const fills = await a.execution!.fills!(0);
    expect(fills).toEqual([expect.objectContaining({ clientOrderId: cmd.clientOrderId, lastQty: 1, side: 'buy', liquidity: 'taker' })]);
  });

  it('sends post-only orders and reports the venue rejecting one that would cross', async () => {
    const a = adapter();
    await a.connect();
    const seen = events(a);
    const cmd = limit('buy', 5_010, 1, { postOnly: true });
    a.execution!.submit(cmd);
    await waitFor(() => has(seen, 'OrderRejected', cmd.clientOrderId), 3_000, 'OrderRejected');
    expect(seen.find((e) => e.kind === 'OrderRejected')).toMatchObject({ reason: expect.stringMatching(/REJECTED by the venue/) });
  });
});
