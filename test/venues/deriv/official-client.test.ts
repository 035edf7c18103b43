/**
 * Deriv's official JavaScript client (`@deriv/deriv-api`) against the simulator over a real loopback socket: if it
 * works, the simulator speaks the protocol the client was written for (envelope, req_id echo, subscriptions, errors).
 */
import DerivAPIBasic from '@deriv/deriv-api/dist/DerivAPIBasic.js';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_TOKEN, READ_ONLY_TOKEN, startDerivSimulator, type DerivSimulator } from './sim-server.js';

describe('the official Deriv client against the simulator', () => {
  let sim: DerivSimulator;
  let api: DerivAPIBasic;
  let ticker: ReturnType<typeof setInterval>;
  beforeEach(async () => {
    sim = await startDerivSimulator({ port: 0 });
    ticker = setInterval(() => sim.market.step(), 20);
    api = new DerivAPIBasic({ connection: new WebSocket(`${sim.url}?app_id=1089&l=EN&brand=deriv`) });
  });
  afterEach(async () => {
    clearInterval(ticker);
    api.disconnect();
    await sim.close();
  });

  it('pings and reads the server time and website status', async () => {
    expect((await api.ping()).ping).toBe('pong');
    expect(typeof (await api.time()).time).toBe('number');
    expect((await api.websiteStatus()).website_status).toMatchObject({ site_status: 'up' });
  });

  it('subscribes to ticks, receives several on one subscription id, then forgets it', async () => {
    const ticks = await firstValueFrom(api.subscribe({ ticks: 'R_100' }).pipe(take(3), toArray()));
    const ids = new Set(ticks.map((t) => t.subscription?.id));
    expect(ids.size).toBe(1);
    expect(ticks[0]!.tick).toMatchObject({ symbol: 'R_100', pip_size: 2 });
    const id = [...ids][0]!;
    // Unsubscribing (take) made the client send forget itself; a second forget finds nothing.
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.requests.some((r) => r.method === 'forget' && r.req.forget === id)).toBe(true);
    expect((await api.forget(id)).forget).toBe(0);
  });

  it('forgets every tick stream with forget_all', async () => {
    await firstValueFrom(api.subscribe({ ticks: 'R_50' }));
    const r = await api.forgetAll('ticks');
    expect(r.forget_all).toHaveLength(1);
  });

  it('authorizes and reads the balance, once and as a stream', async () => {
    const auth = await api.authorize(DEMO_TOKEN);
    expect(auth.authorize).toMatchObject({ loginid: 'VRTC1000001', currency: 'USD' });
    expect((await api.balance()).balance).toMatchObject({ balance: 10_000, currency: 'USD' });
    const first = await firstValueFrom(api.subscribe({ balance: 1 }));
    expect(first.subscription?.id).toMatch(/\w+/);
  });

  it('surfaces the venue error envelope for a bad token and a missing scope', async () => {
    await expect(api.authorize('not-a-token')).rejects.toMatchObject({ error: { code: 'InvalidToken' } });
    await api.authorize(READ_ONLY_TOKEN);
    await expect(api.buy({ buy: '1', price: 100, parameters: { amount: 10, basis: 'payout', contract_type: 'CALL', currency: 'USD', duration: 5, duration_unit: 't', symbol: 'R_100' } }))
      .rejects.toMatchObject({ error: { code: 'PermissionDenied', message: expect.stringMatching(/trade/) } });
  });

  it('buys a contract from a proposal and sees it in the portfolio', async () => {
    await api.authorize(DEMO_TOKEN);
    const p = await api.proposal({ proposal: 1, amount: 10, basis: 'payout', contract_type: 'CALL', currency: 'USD', duration: 5, duration_unit: 't', symbol: 'R_100' });
    const proposal = p.proposal as { id: string; ask_price: number };
    const b = await api.buy({ buy: proposal.id, price: proposal.ask_price });
    const bought = b.buy as { contract_id: number; buy_price: number };
    expect(bought.buy_price).toBe(5.2);
    const pf = await api.portfolio();
    expect((pf.portfolio as { contracts: { contract_id: number }[] }).contracts.map((c) => c.contract_id)).toContain(bought.contract_id);
  });

  it('buys with basis stake, follows the contract\'s profit to expiry and settles it with sell_expired', async () => {
    sim.market.moveTo('R_100', 1000);
    clearInterval(ticker); // ticks by hand: the contract expires at the fifth
    await api.authorize(DEMO_TOKEN);
    const p = (await api.proposal({ proposal: 1, amount: 5.2, basis: 'stake', contract_type: 'CALL', currency: 'USD', duration: 5, duration_unit: 't', symbol: 'R_100' })).proposal as { id: string; ask_price: number; payout: number };
    expect(p).toMatchObject({ ask_price: 5.2, payout: 10 });
    const bought = (await api.buy({ buy: p.id, price: p.ask_price })).buy as { contract_id: number };
    const updates = api.subscribe({ proposal_open_contract: 1, contract_id: bought.contract_id });
    const seen: Record<string, unknown>[] = [];
    const sub = updates.subscribe((u) => seen.push(u.proposal_open_contract as Record<string, unknown>));
    for (let i = 1; i <= 5; i++) sim.market.moveTo('R_100', 1000 + i);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.at(-1)).toMatchObject({ is_expired: 1, is_sold: 0, profit: 4.8 });
    expect((await api.sellExpired()).sell_expired).toEqual({ count: 1 });
    await new Promise((r) => setTimeout(r, 100));
    sub.unsubscribe();
    expect(seen.at(-1)).toMatchObject({ is_sold: 1, status: 'won', sell_price: 10, profit: 4.8 });
    expect((await api.proposalOpenContract({ contract_id: bought.contract_id })).proposal_open_contract).toMatchObject({ status: 'won', profit: 4.8 });
  });
});
