import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REASON } from '../../engine/control/action-body.js';
import { AUDIT_TS, TOKEN, startHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ACTOR = 'token@127.0.0.1';

const expectBadRequest = async (res: Response, error: string): Promise<void> => {
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ schema: 'engine.error/1', error });
};

describe('control server: actions reach the source and are audited', () => {
  it('sets the trading state with the given reason, answers the result and audits it', async () => {
    h.source.result = { ok: true, message: 'trading state HALTED' };
    const res = await h.post('/api/v1/trading-state', { state: 'HALTED', reason: 'venue looks wrong' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ schema: 'engine.action/1', ok: true, message: 'trading state HALTED' });
    expect(h.source.actions).toEqual([{ method: 'setTradingState', state: 'HALTED', reason: 'venue looks wrong' }]);
    expect(h.source.audits).toEqual([
      { ts: AUDIT_TS, actor: ACTOR, action: 'trading-state', params: { state: 'HALTED', reason: 'venue looks wrong' }, ok: true, message: 'trading state HALTED' },
    ]);
  });

  it('passes a default reason when the request gives none', async () => {
    await h.post('/api/v1/trading-state', { state: 'REDUCING' });
    expect(h.source.actions).toEqual([{ method: 'setTradingState', state: 'REDUCING', reason: DEFAULT_REASON }]);
  });

  it('cancels all orders in the given scope and answers the orders it canceled', async () => {
    h.source.result = { ok: true, message: '2 orders canceled', orders: ['r7-quoter-1', 'r7-quoter-2'] };
    const res = await h.post('/api/v1/cancel-all', { venue: 'transact', strategyId: 'quoter' });
    expect(await res.json()).toEqual({ schema: 'engine.action/1', ok: true, message: '2 orders canceled', orders: ['r7-quoter-1', 'r7-quoter-2'] });
    expect(h.source.actions).toEqual([{ method: 'cancelAll', scope: { venue: 'transact', strategyId: 'quoter' } }]);
    expect(h.source.audits[0]).toMatchObject({ action: 'cancel-all', params: { venue: 'transact', strategyId: 'quoter' } });
  });

  it('cancels everything when cancel-all has an empty body', async () => {
    const res = await fetch(`${h.url}/api/v1/cancel-all`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(h.source.actions).toEqual([{ method: 'cancelAll', scope: {} }]);
  });

  it('cancels one order named in the path, decoded', async () => {
    await h.post(`/api/v1/orders/${encodeURIComponent('r7-quoter/1')}/cancel`, {});
    expect(h.source.actions).toEqual([{ method: 'cancel', clientOrderId: 'r7-quoter/1' }]);
    expect(h.source.audits[0]).toMatchObject({ action: 'cancel-order', params: { clientOrderId: 'r7-quoter/1' } });
  });

  it('stops the strategy named in the path with the reason given', async () => {
    await h.post('/api/v1/strategies/quoter/stop', { reason: 'misbehaving' });
    expect(h.source.actions).toEqual([{ method: 'stopStrategy', strategyId: 'quoter', reason: 'misbehaving' }]);
    expect(h.source.audits[0]).toMatchObject({ action: 'stop-strategy', params: { strategyId: 'quoter', reason: 'misbehaving' } });
  });

  it('flattens an instrument when confirm repeats its id', async () => {
    h.source.result = { ok: true, message: 'flattening', orders: ['r7-control-1'] };
    const res = await h.post('/api/v1/flatten', { instrumentId: 'BTC-USD@transact', confirm: 'BTC-USD@transact' });
    expect(res.status).toBe(200);
    expect(h.source.actions).toEqual([{ method: 'flatten', instrumentId: 'BTC-USD@transact' }]);
    expect(h.source.audits[0]).toMatchObject({ action: 'flatten', params: { instrumentId: 'BTC-USD@transact' }, ok: true });
  });

  it('answers 409 with the same body when the engine refuses the action, and audits the refusal', async () => {
    h.source.result = { ok: false, message: 'no open order r7-quoter-9' };
    const res = await h.post('/api/v1/orders/r7-quoter-9/cancel', {});
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ schema: 'engine.action/1', ok: false, message: 'no open order r7-quoter-9' });
    expect(h.source.audits).toEqual([
      { ts: AUDIT_TS, actor: ACTOR, action: 'cancel-order', params: { clientOrderId: 'r7-quoter-9' }, ok: false, message: 'no open order r7-quoter-9' },
    ]);
  });

  it('answers 500 and audits a failure when the source throws', async () => {
    h.source.stopStrategy = () => {
      throw new Error('broken');
    };
    const res = await h.post('/api/v1/strategies/quoter/stop', {});
    expect(res.status).toBe(500);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
    expect(h.source.audits[0]).toMatchObject({ action: 'stop-strategy', ok: false });
  });

  it('refuses every action 403 on a read-only source, changing and auditing nothing', async () => {
    h.source.readOnly = true;
    for (const path of ['/api/v1/trading-state', '/api/v1/cancel-all', '/api/v1/orders/x/cancel', '/api/v1/strategies/s/stop', '/api/v1/flatten']) {
      const res = await h.post(path, { state: 'HALTED' });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toMatch(/read-only/);
    }
    expect(h.source.actions).toEqual([]);
    expect(h.source.audits).toEqual([]);
  });
});

describe('control server: malformed actions are refused with 400 and change nothing', () => {
  afterEach(() => {
    expect(h.source.actions).toEqual([]);
    expect(h.source.audits).toEqual([]);
  });

  it('refuses malformed JSON', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', '{"state": "HALTED"'), 'the body is not valid JSON');
  });

  it('refuses a body that is not a JSON object', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', '["HALTED"]'), 'the body must be a JSON object');
    await expectBadRequest(await h.post('/api/v1/trading-state', 'null'), 'the body must be a JSON object');
  });

  it('refuses a body sent with another content type', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', '{"state":"HALTED"}', undefined, { 'content-type': 'text/plain' }), 'the body must be sent with content-type: application/json');
  });

  it('refuses a body larger than 64 KiB with 413', async () => {
    const res = await h.post('/api/v1/trading-state', { state: 'HALTED', reason: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('the body is larger than 65536 bytes');
  });

  it('stops reading a body sent without a length once it passes 64 KiB, and answers 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.url}/api/v1/trading-state`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(8192));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('refuses an unknown field, naming it and the allowed ones', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', { state: 'HALTED', force: true }), 'unknown field "force" (allowed: state, reason)');
    await expectBadRequest(await h.post('/api/v1/orders/r7-quoter-1/cancel', { now: 'yes' }), 'unknown field "now" (this action takes no fields)');
    await expectBadRequest(await h.post('/api/v1/cancel-all', { symbol: 'BTC' }), 'unknown field "symbol" (allowed: venue, instrumentId, strategyId)');
  });

  it('refuses a missing required field, naming it', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', {}), 'field "state" is required');
    await expectBadRequest(await h.post('/api/v1/flatten', { instrumentId: 'BTC-USD@transact' }), 'field "confirm" is required');
  });

  it('refuses a field of the wrong type, naming it', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', { state: 'HALTED', reason: 42 }), 'field "reason" must be a string');
    await expectBadRequest(await h.post('/api/v1/cancel-all', { venue: ['transact'] }), 'field "venue" must be a string');
    await expectBadRequest(await h.post('/api/v1/strategies/quoter/stop', { reason: null }), 'field "reason" must be a string');
  });

  it('refuses a trading state that is not ACTIVE, REDUCING or HALTED', async () => {
    await expectBadRequest(await h.post('/api/v1/trading-state', { state: 'halted' }), 'field "state" must be one of ACTIVE, REDUCING, HALTED');
  });

  it('refuses an empty id', async () => {
    await expectBadRequest(await h.post('/api/v1/cancel-all', { instrumentId: ' ' }), 'field "instrumentId" must not be empty');
  });

  it('refuses a flatten whose confirm does not repeat the instrument id', async () => {
    await expectBadRequest(await h.post('/api/v1/flatten', { instrumentId: 'BTC-USD@transact', confirm: 'yes' }), 'confirm must repeat the instrument id');
  });

  it('answers a path without an order id 404', async () => {
    expect((await h.post('/api/v1/orders//cancel', {})).status).toBe(404);
  });
});
