import { describe, expect, it } from 'vitest';
import { defineStrategy } from '../../engine/strategy/define-strategy.js';
import { BTC, capturingLogger, createNode, ETH, START } from './node-fixture.js';

const WARN = 40;

describe('strategy context: orders of other strategies', () => {
  it('ignores ctx.cancel and ctx.modify of another strategy\'s order with a warning, and sends nothing', () => {
    const { log, lines } = capturingLogger();
    let owned = '';
    const a = defineStrategy({ name: 'a', onStart: (ctx) => void (owned = ctx.buy(BTC.id, 1, { price: 90 })) });
    const b = defineStrategy({
      name: 'b',
      onTick(ctx) {
        ctx.cancel(owned);
        ctx.modify(owned, { price: 91 });
        ctx.cancelAll();
      },
    });
    const f = createNode({ definitions: { a, b }, log });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.clock.advanceTo(START + 2_000);

    expect(f.kinds(owned)).toEqual(['OrderSubmitted', 'OrderAccepted']);
    expect(f.node.exec.order(owned)).toMatchObject({ status: 'ACCEPTED', price: 90 });
    const warned = lines.filter((l) => l.level === WARN && l.strategy === 'b').map((l) => [l.msg, l.clientOrderId]);
    expect(warned).toEqual([
      ['cancel of an order this strategy does not own; ignored', owned],
      ['modify of an order this strategy does not own; ignored', owned],
    ]);
  });

  it('ignores with a warning a cancel of an id no order has', () => {
    const { log, lines } = capturingLogger();
    const s = defineStrategy({ name: 's', onStart: (ctx) => ctx.cancel('s-1-99') });
    const f = createNode({ definitions: { s }, log });
    f.node.start();
    expect(f.events()).toEqual([]);
    expect(lines.some((l) => l.level === WARN && l.clientOrderId === 's-1-99')).toBe(true);
  });
});

describe('strategy context: reads and cancelAll', () => {
  it('shows a strategy only its own open orders, and cancelAll(instrument) cancels only those on that instrument', () => {
    const ids: Record<string, string> = {};
    const seen: string[][] = [];
    const a = defineStrategy({
      name: 'a',
      onStart(ctx) {
        ids.btc = ctx.buy(BTC.id, 1, { price: 90 });
        ids.eth = ctx.buy(ETH.id, 1, { price: 10 });
      },
      onTick(ctx, tick) {
        seen.push(ctx.openOrders().map((o) => o.clientOrderId));
        if (tick.tsEvent === START + 1_000) ctx.cancelAll(BTC.id);
      },
    });
    const b = defineStrategy({ name: 'b', onStart: (ctx) => void (ids.other = ctx.buy(BTC.id, 1, { price: 80 })) });
    const f = createNode({ definitions: { a, b }, entries: [{ use: 'a', instruments: [BTC.id] }, { use: 'b' }] });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.quote(START + 2_000, 99.9, 100.1);

    expect(seen).toEqual([[ids.btc, ids.eth], [ids.eth]]);
    expect(f.node.exec.order(ids.btc!)?.status).toBe('CANCELED');
    expect(f.node.exec.order(ids.eth!)?.status).toBe('ACCEPTED');
    expect(f.node.exec.order(ids.other!)?.status).toBe('ACCEPTED');
  });

  it('gives the last quote, the instrument and the position as the engine sees them', () => {
    const got: unknown[] = [];
    const s = defineStrategy({
      name: 'reader',
      onTick(ctx) {
        got.push([ctx.lastQuote(BTC.id)?.bid, ctx.instrument(BTC.id)?.tickSize, ctx.position(BTC.id).quantity, ctx.now()]);
        if (got.length === 1) ctx.buy(BTC.id, 0.25);
      },
    });
    const f = createNode({ definitions: { s } });
    f.node.start();
    f.quote(START + 1_000, 99.9, 100.1);
    f.quote(START + 2_000, 99.8, 100);
    expect(got).toEqual([
      [99.9, 0.1, 0, START + 1_000],
      [99.8, 0.1, 0.25, START + 2_000],
    ]);
  });
});
