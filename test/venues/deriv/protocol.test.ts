/** The simulator's protocol over a raw socket: app_id, scopes, req_id, streams, contracts and account reads. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawClient, type RawClient } from './test-client.js';
import { DEMO_TOKEN, NO_READ_TOKEN, READ_ONLY_TOKEN, startDerivSimulator, type DerivSimulator } from './sim-server.js';

const CALL = { proposal: 1, amount: 10, basis: 'payout', contract_type: 'CALL', currency: 'USD', duration: 3, duration_unit: 't', symbol: 'R_100' };

describe('Deriv simulator protocol', () => {
  let sim: DerivSimulator;
  let c: RawClient;
  beforeEach(async () => {
    sim = await startDerivSimulator({ port: 0 });
    c = await rawClient(`${sim.url}?app_id=1`);
  });
  afterEach(async () => {
    c.close();
    await sim.close();
  });

  it('answers every request with InvalidAppID when the url has no app_id', async () => {
    const bad = await rawClient(sim.url);
    expect(await bad.call({ ping: 1 })).toMatchObject({ error: { code: 'InvalidAppID' }, msg_type: 'ping' });
    bad.close();
  });

  it('echoes req_id, echo_req and passthrough, and answers unknown calls with UnrecognisedRequest', async () => {
    const r = await c.call({ ping: 1, passthrough: { a: 1 } });
    expect(r).toMatchObject({ ping: 'pong', msg_type: 'ping', echo_req: { ping: 1, passthrough: { a: 1 } }, passthrough: { a: 1 } });
    expect(await c.call({ no_such_call: 1 })).toMatchObject({ error: { code: 'UnrecognisedRequest' } });
  });

  it('requires authorization for account calls and refuses a bad token', async () => {
    expect(await c.call({ balance: 1 })).toMatchObject({ error: { code: 'AuthorizationRequired', message: 'Please log in.' } });
    expect(await c.call({ authorize: 'nope' })).toMatchObject({ error: { code: 'InvalidToken' }, msg_type: 'authorize' });
  });

  it('refuses a call whose scope the token lacks with PermissionDenied naming the scope', async () => {
    expect(await c.call({ authorize: NO_READ_TOKEN })).toMatchObject({ authorize: { scopes: ['payments'] } });
    expect(await c.call({ portfolio: 1 })).toMatchObject({ error: { code: 'PermissionDenied', message: 'Permission denied, requires read scope(s).' } });
    expect(await c.call({ api_token: 1 })).toMatchObject({ error: { code: 'PermissionDenied', message: expect.stringMatching(/admin/) } });
    await c.call({ authorize: READ_ONLY_TOKEN });
    expect(await c.call({ sell: 1, price: 0 })).toMatchObject({ error: { code: 'PermissionDenied', message: expect.stringMatching(/trade/) } });
  });

  it('streams ticks under one subscription id, refuses a duplicate, and stops after forget_all', async () => {
    const first = await c.call({ ticks: 'R_100', subscribe: 1 });
    const id = (first.subscription as { id: string }).id;
    expect(await c.call({ ticks: 'R_100', subscribe: 1 })).toMatchObject({ error: { code: 'AlreadySubscribed' } });
    sim.market.moveTo('R_100', 1001);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frames.at(-1)).toMatchObject({ msg_type: 'tick', subscription: { id }, req_id: first.req_id, tick: { quote: 1001 } });
    expect(await c.call({ forget_all: ['ticks'] })).toMatchObject({ forget_all: [id] });
    const n = c.frames.length;
    sim.market.moveTo('R_100', 1002);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frames.length).toBe(n);
    expect(await c.call({ ticks: 'NOPE' })).toMatchObject({ error: { code: 'InvalidSymbol' } });
  });

  it('buys from a proposal, sells before expiry, and settles another expired one by sell_expired, with statement and profit table', async () => {
    await c.call({ authorize: DEMO_TOKEN });
    const txs = await c.call({ transaction: 1, subscribe: 1 });
    const p1 = (await c.call(CALL)).proposal as { id: string; ask_price: number };
    expect(await c.call({ buy: p1.id, price: 5 })).toMatchObject({ error: { code: 'PriceMoved' } });
    const p2 = (await c.call(CALL)).proposal as { id: string; ask_price: number };
    const b1 = (await c.call({ buy: p2.id, price: p2.ask_price })).buy as { contract_id: number; buy_price: number };
    expect(await c.call({ buy: p2.id, price: 10 })).toMatchObject({ error: { code: 'InvalidContractProposal' } });
    sim.market.moveTo('R_100', 1000.5);
    const s = (await c.call({ sell: b1.contract_id, price: 0 })).sell as { sold_for: number };
    expect(s.sold_for).toBeGreaterThan(0);
    expect(await c.call({ sell: b1.contract_id, price: 0 })).toMatchObject({ error: { code: 'InvalidSellContractProposal' } });

    const b2 = (await c.call({ buy: '1', price: 6, parameters: { ...CALL, proposal: undefined } })).buy as { contract_id: number };
    for (const px of [1001, 1002, 1003]) sim.market.moveTo('R_100', px);
    // expired at the third tick, worth its payout, not yet paid: not sellable, settleable
    const expired = (await c.call({ proposal_open_contract: 1, contract_id: b2.contract_id })).proposal_open_contract;
    expect(expired).toMatchObject({ status: 'open', is_expired: 1, is_settleable: 1, is_sold: 0, is_valid_to_sell: 0, bid_price: 10, profit: 4.8, exit_tick: 1003 });
    expect(await c.call({ sell: b2.contract_id, price: 0 })).toMatchObject({ error: { code: 'InvalidSellContractProposal' } });
    expect(await c.call({ sell_expired: 1 })).toMatchObject({ msg_type: 'sell_expired', sell_expired: { count: 1 } });
    expect(await c.call({ sell_expired: 1 })).toMatchObject({ sell_expired: { count: 0 } });
    const poc = (await c.call({ proposal_open_contract: 1, contract_id: b2.contract_id })).proposal_open_contract;
    expect(poc).toMatchObject({ status: 'won', is_expired: 1, is_settleable: 0, is_sold: 1, sell_price: 10, profit: 4.8, profit_percentage: 92.31 });
    expect(((await c.call({ portfolio: 1 })).portfolio as { contracts: unknown[] }).contracts).toEqual([]);
    const table = (await c.call({ profit_table: 1, description: 1 })).profit_table as { count: number };
    expect(table.count).toBe(2);
    const st = (await c.call({ statement: 1 })).statement as { transactions: { action_type: string }[] };
    expect(st.transactions.map((t) => t.action_type)).toEqual(['sell', 'buy', 'sell', 'buy']);
    const stream = c.frames.filter((f) => f.msg_type === 'transaction' && f.req_id === txs.req_id && (f.transaction as { action?: string }).action);
    expect(stream.map((f) => (f.transaction as { action: string }).action)).toEqual(['buy', 'sell', 'buy', 'sell']);
    expect((await c.call({ balance: 1 })).balance).toMatchObject({ balance: 10_000 - b1.buy_price + s.sold_for - 5.2 + 10 });
  });

  it('streams proposal_open_contract with the profit until the contract is sold, then ends the stream', async () => {
    await c.call({ authorize: DEMO_TOKEN });
    sim.market.moveTo('R_100', 1000);
    const b = (await c.call({ buy: '1', price: 6, parameters: { ...CALL, proposal: undefined, duration: 10 } })).buy as { contract_id: number; buy_price: number };
    const first = await c.call({ proposal_open_contract: 1, contract_id: b.contract_id, subscribe: 1 });
    const id = (first.subscription as { id: string }).id;
    expect(first.proposal_open_contract).toMatchObject({ id, contract_id: b.contract_id, is_sold: 0, is_valid_to_sell: 1, buy_price: 5.2 });
    sim.market.moveTo('R_100', 1000.2);
    await new Promise((r) => setTimeout(r, 50));
    const update = c.frames.at(-1)!;
    expect(update).toMatchObject({ msg_type: 'proposal_open_contract', subscription: { id }, req_id: first.req_id });
    const body = update.proposal_open_contract as { bid_price: number; profit: number; current_spot: number };
    expect(body.current_spot).toBe(1000.2);
    expect(body.profit).toBeCloseTo(body.bid_price - 5.2, 10);
    const sold = (await c.call({ sell: b.contract_id, price: 0 })).sell as { sold_for: number };
    await new Promise((r) => setTimeout(r, 50));
    const last = c.frames.filter((f) => f.msg_type === 'proposal_open_contract' && (f.subscription as { id?: string } | undefined)?.id === id).at(-1)!;
    expect(last.proposal_open_contract).toMatchObject({ is_sold: 1, status: 'sold', sell_price: sold.sold_for, profit: Number((sold.sold_for - 5.2).toFixed(2)) });
    const n = c.frames.length;
    sim.market.moveTo('R_100', 1001);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.frames.length).toBe(n); // the stream ended with the sale
    expect(await c.call({ forget: id })).toMatchObject({ forget: 0 });
  });

  it('quotes and buys with basis stake: the amount is the price, the payout what it buys', async () => {
    await c.call({ authorize: DEMO_TOKEN });
    const p = (await c.call({ ...CALL, basis: 'stake', amount: 5.2 })).proposal as { id: string; ask_price: number; payout: number };
    expect(p).toMatchObject({ ask_price: 5.2, payout: 10 });
    expect((await c.call({ buy: p.id, price: 5.2 })).buy).toMatchObject({ buy_price: 5.2, payout: 10 });
    const direct = (await c.call({ buy: '1', price: 3, parameters: { ...CALL, proposal: undefined, basis: 'stake', amount: 3 } })).buy as { buy_price: number; payout: number; shortcode: string };
    expect(direct).toMatchObject({ buy_price: 3, payout: 5.77 });
    expect(direct.shortcode).toMatch(/^CALL_R_100_5\.77_/);
    expect(await c.call({ ...CALL, basis: 'multiplier' })).toMatchObject({ error: { code: 'InputValidationFailed' } });
  });
});

describe('Deriv simulator settlement by the venue', () => {
  it('settles an expired contract itself settleDelayMs after expiry (a transaction sell of its value)', async () => {
    const sim = await startDerivSimulator({ port: 0, settleDelayMs: 100 });
    const c = await rawClient(`${sim.url}?app_id=1`);
    try {
      await c.call({ authorize: DEMO_TOKEN });
      sim.market.moveTo('R_100', 1000);
      const b = (await c.call({ buy: '1', price: 6, parameters: { ...CALL, proposal: undefined, contract_type: 'PUT' } })).buy as { contract_id: number };
      for (const px of [1001, 1002, 1003]) sim.market.moveTo('R_100', px);
      expect((await c.call({ proposal_open_contract: 1, contract_id: b.contract_id })).proposal_open_contract).toMatchObject({ is_expired: 1, is_sold: 0, bid_price: 0, profit: -5.2 });
      await new Promise((r) => setTimeout(r, 200));
      expect((await c.call({ proposal_open_contract: 1, contract_id: b.contract_id })).proposal_open_contract).toMatchObject({ status: 'lost', is_sold: 1, sell_price: 0, profit: -5.2 });
    } finally {
      c.close();
      await sim.close();
    }
  });
});
