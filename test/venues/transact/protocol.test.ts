import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactSimulator } from './sim-server.js';
import { DEMO_USER } from './sim-server.js';
import { rawClient, sessionClient, startTestSimulator, type RawClient } from './test-client.js';

let sim: TransactSimulator;
const clients: RawClient[] = [];
const track = <T extends { client: RawClient } | RawClient>(c: T): T => (clients.push('client' in c ? c.client : c), c);
beforeEach(async () => {
  sim = await startTestSimulator();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sim.close();
});

describe('TransAct simulator: authentication connection', () => {
  it('gives a session key for username, password and api_key, as data before the status', async () => {
    const auth = track(await rawClient(sim.urls.auth));
    const r = await auth.cmd('login', { username: DEMO_USER.username, password: DEMO_USER.password, api_key: DEMO_USER.apiKey });
    expect(r.status).toMatchObject({ status: 1, cmd: 'login' });
    expect(r.data[0]).toMatchObject({ data: 'session' });
    expect(typeof r.data[0]!.session_key).toBe('string');
    expect(r.data[0]!.expires as number).toBeGreaterThan(Date.now() + 86_000_000);
  });

  it('refuses a wrong password with -1 and a wrong api_key with -2, each with a text', async () => {
    const auth = track(await rawClient(sim.urls.auth));
    const a = await auth.cmd('login', { username: DEMO_USER.username, password: 'nope', api_key: DEMO_USER.apiKey });
    expect(a.status).toMatchObject({ status: -1, text: 'invalid username or password' });
    const b = await auth.cmd('login', { username: DEMO_USER.username, password: DEMO_USER.password, api_key: 'nope' });
    expect(b.status).toMatchObject({ status: -2, text: 'invalid api_key' });
    expect(a.data).toEqual([]);
  });

  it('answers a malformed command with -3', async () => {
    const auth = track(await rawClient(sim.urls.auth));
    expect((await auth.cmd('frobnicate')).status.status).toBe(-3);
  });
});

describe('TransAct simulator: session keys on the orders and prices connections', () => {
  it('refuses commands before session (-12) and an unknown key (-11)', async () => {
    const c = track(await rawClient(sim.urls.orders));
    expect((await c.cmd('query_orders')).status.status).toBe(-12);
    expect((await c.cmd('session', { session_key: 'forged' })).status).toMatchObject({ status: -11, text: 'invalid session key' });
  });

  it('refuses the next command with -10 once the key expired, and takes a fresh key on the same connection', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    sim.faults.expireSessions();
    expect((await client.cmd('query_orders')).status).toMatchObject({ status: -10, text: 'session key expired' });
    const auth = track(await rawClient(sim.urls.auth));
    const login = await auth.cmd('login', { username: DEMO_USER.username, password: DEMO_USER.password, api_key: DEMO_USER.apiKey });
    expect((await client.cmd('session', { session_key: login.data[0]!.session_key })).status.status).toBe(1);
    expect((await client.cmd('query_orders')).status.status).toBe(1);
  });
});

describe('TransAct simulator: prices', () => {
  it('lists instruments with tick and lot sizes as decimal strings', async () => {
    const { client } = track(await sessionClient(sim, 'prices'));
    const r = await client.cmd('instruments');
    expect(r.data[0]!.instruments).toContainEqual(expect.objectContaining({ symbol: 'ESZ6', tick_size: '0.25', lot_size: '1', contract_size: '50' }));
  });

  it('starts book and trade topics on subscribe, with a book snapshot after the status', async () => {
    const { client } = track(await sessionClient(sim, 'prices'));
    expect((await client.cmd('subscribe', { topic: 'prices', symbols: ['ESZ6'] })).status.status).toBe(1);
    await client.waitTopic((t) => t.topic === 'book' && t.symbol === 'ESZ6');
    sim.market.moveTo('ESZ6', 5001);
    await client.waitTopic((t) => t.topic === 'trade' && t.symbol === 'ESZ6');
    expect((await client.cmd('subscribe', { topic: 'prices', symbols: ['NOPE'] })).status).toMatchObject({ status: -21 });
  });
});

describe('TransAct simulator: orders', () => {
  const order = (client_id: string, price: string, side = 'BUY') => ({ client_id, symbol: 'ESZ6', side, type: 'LIMIT', qty: '2', price, tif: 'GTC' });

  it('accepts an order, reports it on the orders topic, fills it with a fill before the order update', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    expect((await client.cmd('subscribe', { topics: ['orders', 'fills'] })).status.status).toBe(1);
    const r = await client.cmd('new_order', order('a-1', '4990'));
    expect(r.status).toMatchObject({ status: 1, client_id: 'a-1' });
    await client.waitTopic((t) => (t.order as { state?: string } | undefined)?.state === 'WORKING');
    sim.market.moveTo('ESZ6', 4980);
    await client.waitTopic((t) => (t.order as { state?: string } | undefined)?.state === 'FILLED');
    const fillAt = client.topics.findIndex((t) => t.topic === 'fill');
    const filledAt = client.topics.findIndex((t) => (t.order as { state?: string } | undefined)?.state === 'FILLED');
    expect(fillAt).toBeGreaterThanOrEqual(0);
    expect(fillAt).toBeLessThan(filledAt);
    expect(client.topics[fillAt]!.fill).toMatchObject({ client_id: 'a-1', qty: '2', side: 'BUY', fee_currency: 'USD' });
    const fills = await client.cmd('query_fills', { since: 0 });
    expect(fills.data[0]!.fills).toHaveLength(1);
  });

  it('refuses an off-tick price (-20), an unknown symbol (-21) and a duplicate client_id (-22)', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    expect((await client.cmd('new_order', order('b-1', '4990.1'))).status).toMatchObject({ status: -20, text: expect.stringMatching(/tick size 0.25/) });
    expect((await client.cmd('new_order', { ...order('b-2', '4990'), symbol: 'XX' })).status.status).toBe(-21);
    expect((await client.cmd('new_order', order('b-3', '4990'))).status.status).toBe(1);
    expect((await client.cmd('new_order', order('b-3', '4990'))).status.status).toBe(-22);
    expect(sim.stats.newOrders.get('b-3')).toBe(2);
  });

  it('cancels a working order, refuses to cancel it twice (-31) or an unknown one (-30)', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    await client.cmd('new_order', order('c-1', '4990'));
    expect((await client.cmd('cancel_order', { client_id: 'c-1' })).status.status).toBe(1);
    expect((await client.cmd('cancel_order', { client_id: 'c-1' })).status).toMatchObject({ status: -31, text: 'order is CANCELED, not working' });
    expect((await client.cmd('cancel_order', { client_id: 'zz' })).status.status).toBe(-30);
    const all = await client.cmd('query_orders', { state: 'all' });
    expect(all.data[0]!.orders).toContainEqual(expect.objectContaining({ client_id: 'c-1', state: 'CANCELED' }));
    expect((await client.cmd('query_orders', { state: 'open' })).data[0]!.orders).toEqual([]);
  });

  it('sends a command\'s data after its status when asked to (the document allows both orders)', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    await client.cmd('new_order', order('e-1', '4990'));
    sim.faults.setDataOrder('after');
    const r = await client.cmd('query_orders', { state: 'all' });
    expect(r.status.status).toBe(1);
    expect(r.data).toEqual([]); // the status came first
    const late = await client.waitTopic((t) => t.seq === r.status.seq && t.data === 'orders');
    expect(late.orders).toEqual([expect.objectContaining({ client_id: 'e-1' })]);
    const refused = await client.cmd('query_order', { client_id: 'nope' });
    expect(refused.status.status).toBe(-30);
    sim.faults.setDataOrder('before');
    expect((await client.cmd('query_orders', { state: 'all' })).data[0]!.orders).toHaveLength(1);
  });

  it('keeps orders and fills across a stop and restart of the listener', async () => {
    const { client, key } = await sessionClient(sim, 'orders');
    await client.cmd('new_order', order('d-1', '4990'));
    await sim.faults.stop();
    client.close();
    sim.market.moveTo('ESZ6', 4980);
    await sim.faults.restart();
    const again = track(await rawClient(sim.urls.orders));
    expect((await again.cmd('session', { session_key: key })).status.status).toBe(1);
    const r = await again.cmd('query_order', { client_id: 'd-1' });
    expect(r.data[0]!.orders).toEqual([expect.objectContaining({ state: 'FILLED', filled_qty: '2' })]);
  });

  it('can act on a command and lose its status (fault switch)', async () => {
    const { client } = track(await sessionClient(sim, 'orders'));
    sim.faults.swallowNext('new_order');
    await expect(client.cmd('new_order', order('e-1', '4990'), 300)).rejects.toThrow(/no status/);
    expect((await client.cmd('query_order', { client_id: 'e-1' })).status.status).toBe(1);
  });
});

describe('TransAct simulator: fault switches', () => {
  it('refuses every login once logins are revoked, and again accepts them when restored', async () => {
    const auth = track(await rawClient(sim.urls.auth));
    const creds = { username: DEMO_USER.username, password: DEMO_USER.password, api_key: DEMO_USER.apiKey };
    sim.faults.rejectLogins(true);
    expect((await auth.cmd('login', creds)).status.status).toBe(-1);
    sim.faults.rejectLogins(false);
    expect((await auth.cmd('login', creds)).status.status).toBe(1);
    expect(sim.stats.logins).toBe(2);
  });

  it('sends heartbeats on every connection and can silence them', async () => {
    const c = track(await rawClient(sim.urls.prices));
    await c.waitTopic((t) => t.topic === 'heartbeat', 1_000);
    sim.faults.silenceHeartbeat(true);
    c.topics.length = 0;
    await new Promise((r) => setTimeout(r, 450));
    expect(c.topics.filter((t) => t.topic === 'heartbeat')).toEqual([]);
  });
});
