import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillRow, orderRow, venueRow } from './fake-source.js';
import { startHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const json = async (path: string): Promise<Record<string, unknown>> => {
  const res = await h.get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await res.json()) as Record<string, unknown>;
};

describe('control server: reads', () => {
  it('answers the session under engine.session/1', async () => {
    expect(await json('/api/v1/session')).toEqual({ schema: 'engine.session/1', session: h.source.sessionView });
  });

  it('answers venues, strategies, positions, open orders, equity and stats each under its schema', async () => {
    h.source.venueRows.push(venueRow('ticktrader'));
    h.source.orderRows.push(orderRow('r7-quoter-2', { inFlight: true, status: 'PENDING_CANCEL' }));
    expect(await json('/api/v1/venues')).toEqual({ schema: 'engine.venues/1', venues: h.source.venueRows });
    expect(await json('/api/v1/strategies')).toEqual({ schema: 'engine.strategies/1', strategies: h.source.strategyRows });
    expect(await json('/api/v1/positions')).toEqual({ schema: 'engine.positions/1', positions: h.source.positionRows });
    expect(await json('/api/v1/orders')).toEqual({ schema: 'engine.orders/1', orders: h.source.orderRows });
    expect(await json('/api/v1/equity')).toEqual({ schema: 'engine.equity/1', equity: [[1_700_000_000_000, 10_000], [1_700_000_030_000, 10_001.25]] });
    expect(await json('/api/v1/stats')).toEqual({ schema: 'engine.stats/1', stats: h.source.statsView });
  });

  it('shows a change of the engine\'s snapshot in the next answer', async () => {
    h.source.sessionView = { ...h.source.sessionView, tradingState: 'HALTED' };
    expect(((await json('/api/v1/session'))['session'] as { tradingState: string }).tradingState).toBe('HALTED');
  });

  it('answers the 50 newest fills by default, newest last', async () => {
    for (let n = 1; n <= 80; n++) h.source.fillRows.push(fillRow(n));
    const body = await json('/api/v1/fills');
    expect(body['schema']).toBe('engine.fills/1');
    const fills = body['fills'] as { clientOrderId: string }[];
    expect(fills).toHaveLength(50);
    expect(fills[0]!.clientOrderId).toBe('r1-quoter-31');
    expect(fills[49]!.clientOrderId).toBe('r1-quoter-80');
    expect(h.source.limitsAsked.fills).toEqual([50]);
  });

  it('answers as many fills as the limit asks, at most 1000', async () => {
    for (let n = 1; n <= 5; n++) h.source.fillRows.push(fillRow(n));
    expect(((await json('/api/v1/fills?limit=3'))['fills'] as unknown[]).length).toBe(3);
    await json('/api/v1/fills?limit=5000');
    expect(h.source.limitsAsked.fills).toEqual([3, 1000]);
  });

  it('refuses a limit that is not a whole number from 1, naming it', async () => {
    for (const bad of ['0', '-1', 'ten', '2.5', '']) {
      const res = await h.get(`/api/v1/fills?limit=${bad}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ schema: 'engine.error/1', error: 'limit must be a whole number from 1 to 1000' });
    }
    expect(h.source.limitsAsked.fills).toEqual([]);
  });

  it('answers the log lines at warn and above with a limit', async () => {
    h.source.logRows.push({ type: 'log', level: 'warn', time: 1, msg: 'venue slow', fields: { venue: 'transact' } });
    h.source.logRows.push({ type: 'log', level: 'error', time: 2, msg: 'order rejected', fields: {} });
    expect(await json('/api/v1/logs?limit=1')).toEqual({ schema: 'engine.logs/1', logs: [h.source.logRows[1]] });
    await json('/api/v1/logs');
    expect(h.source.limitsAsked.logs).toEqual([1, 50]);
  });

  it('answers everything a status screen shows in one engine.status/1 answer, with the 20 newest fills', async () => {
    for (let n = 1; n <= 30; n++) h.source.fillRows.push(fillRow(n));
    const body = await json('/api/v1/status');
    expect(body).toEqual({
      schema: 'engine.status/1',
      session: h.source.sessionView,
      venues: h.source.venueRows,
      strategies: h.source.strategyRows,
      positions: h.source.positionRows,
      orders: h.source.orderRows,
      fills: h.source.fillRows.slice(-20),
      stats: h.source.statsView,
    });
  });

  it('answers an unknown route 404 and a wrong method 405, both as JSON', async () => {
    const missing = await h.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ schema: 'engine.error/1', error: 'no such route: GET /api/v1/nothing-here' });
    const wrongMethod = await h.post('/api/v1/positions', {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(((await wrongMethod.json()) as { error: string }).error).toBe('/api/v1/positions answers GET only');
    const getAction = await h.get('/api/v1/trading-state');
    expect(getAction.status).toBe(405);
    expect(getAction.headers.get('allow')).toBe('POST');
    expect((await h.get('/elsewhere')).status).toBe(404);
  });

  it('tells a plain GET of the stream to connect with a WebSocket', async () => {
    const res = await h.get('/api/v1/stream');
    expect(res.status).toBe(426);
    expect(((await res.json()) as { error: string }).error).toMatch(/WebSocket/);
  });

  it('answers 500 without details when the source throws, and keeps serving', async () => {
    h.source.stats = () => {
      throw new Error('snapshot broken');
    };
    const res = await h.get('/api/v1/stats');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ schema: 'engine.error/1', error: 'internal error in the control server (see the engine log)' });
    expect((await h.get('/api/v1/session')).status).toBe(200);
  });
});
