/**
 * The shared venue-adapter conformance suite: `runAdapterConformance(name, harness)` declares the tests every adapter
 * must pass. A venue plugs in through a `VenueHarness` (its simulator, adapter factory and fault switches); tests that
 * need a capability the venue lacks are skipped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueAdapter, ConnectionState } from '../../engine/execution/venue-adapter.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { VenueOrderEvent } from '../../engine/model/events.js';
import type { InstrumentSpec } from '../../engine/model/instrument.js';
import type { Tick } from '../../engine/model/tick.js';
import { sleep, startEngine, waitFor, type EngineUnderTest } from './session-kit.js';

export interface VenueCapabilities {
  /** The adapter has `marketData`. */
  readonly marketData: boolean;
  /** The adapter has `execution` (order entry). */
  readonly orderEntry: boolean;
  /** The harness can provoke a definitive venue rejection (`rejectedSubmit`). */
  readonly rejections: boolean;
  /** The harness can drop the venue's connections (`dropConnections`). */
  readonly dropConnections: boolean;
  /** The harness can stop and restart the venue keeping its state (`stopVenue` / `restartVenue`). */
  readonly restart: boolean;
  /** The execution client has openOrders / fills / orderStatus, so the engine can reconcile with it. */
  readonly reconciliation: boolean;
}

/** One venue (usually its loopback simulator) as the conformance suite drives it. Fresh per test; `close` ends all. */
export interface VenueHarness {
  readonly capabilities: VenueCapabilities;
  /** The instrument the tests trade (also the configured instrument of the live session). */
  readonly instrument: InstrumentSpec;
  /** A limit buy that rests (the market is above it) until `crossRestingBuy()`. */
  readonly restingBuy: { readonly price: number; readonly quantity: number };
  /** A limit buy that fills at once. */
  readonly marketableBuy: { readonly price: number; readonly quantity: number };
  /** A new adapter (closed by `close`); `bad` credentials are refused by the venue. */
  createAdapter(credentials?: 'good' | 'bad'): VenueAdapter;
  /** Text that must never appear in an error message (e.g. the secret of the bad credentials). */
  readonly secrets: readonly string[];
  /** Moves the market a little (new ticks) without reaching `restingBuy.price`. */
  nudgeMarket(): void | Promise<void>;
  /** Moves the market through `restingBuy.price`: a resting buy fills. */
  crossRestingBuy(): void | Promise<void>;
  /** A submit the venue itself refuses (off-grid price, unknown symbol …), built from `base`, and its reason. */
  rejectedSubmit(base: SubmitOrder): { readonly command: SubmitOrder; readonly reason: RegExp };
  /** Abruptly terminates every streaming connection. */
  dropConnections(): void;
  /** Requests the venue has received so far (REST calls; connection attempts count too where they are requests). */
  requestsSeen(): number;
  /** New-order requests the venue has received for this client order id. */
  submitsSeen(clientOrderId: string): number;
  /** Closes the venue's listeners and connections; it keeps its state (orders, fills, market). */
  stopVenue(): Promise<void>;
  /** Listens again where it did. */
  restartVenue(): Promise<void>;
  close(): Promise<void>;
}

type Kind = VenueOrderEvent['kind'];
const is = <K extends Kind>(kind: K, cid: string) => (e: VenueOrderEvent): e is Extract<VenueOrderEvent, { kind: K }> =>
  e.kind === kind && e.clientOrderId === cid;

let counter = 0;

export function runAdapterConformance(name: string, makeHarness: () => Promise<VenueHarness>): void {
  // Capabilities are needed while declaring (for skipIf); a probe harness is made once and closed at once.
  const probe = { caps: undefined as VenueCapabilities | undefined };

  describe(`${name} venue adapter conformance`, async () => {
    const first = await makeHarness();
    probe.caps = first.capabilities;
    await first.close();
    const caps = probe.caps;
    const trading = caps.orderEntry;

    let h: VenueHarness;
    let adapter: VenueAdapter;
    let engine: EngineUnderTest | undefined;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      if (engine) await engine.stop().catch(() => undefined);
      engine = undefined;
      await h.close();
    });

    const connected = async (): Promise<VenueAdapter> => {
      adapter = h.createAdapter();
      await adapter.connect();
      return adapter;
    };
    const submit = (side: 'buy' | 'sell', price: number, quantity: number): SubmitOrder => ({
      kind: 'SubmitOrder', clientOrderId: `conf-1-${++counter}`, strategyId: 'conf', instrumentId: h.instrument.id, side, type: 'limit',
      quantity, price, timeInForce: 'GTC', postOnly: false, reduceOnly: false, tsInit: Date.now(),
    });
    const events = (a: VenueAdapter): VenueOrderEvent[] => {
      const seen: VenueOrderEvent[] = [];
      a.execution!.events$.subscribe((e) => seen.push(e));
      return seen;
    };
    const find = <K extends Kind>(seen: VenueOrderEvent[], kind: K, cid: string) => seen.filter(is(kind, cid));

    it('connects and loads its instruments with tick and step sizes', async () => {
      const a = await connected();
      const list = await a.instruments();
      const mine = list.find((i) => i.id === h.instrument.id);
      expect(mine).toBeDefined();
      expect(mine!.tickSize).toBeGreaterThan(0);
      expect(mine!.stepSize).toBeGreaterThan(0);
      for (const i of list) expect(i.tickSize > 0 && i.stepSize > 0).toBe(true);
    });

    it.skipIf(!caps.marketData)('streams ticks for a subscribed instrument', async () => {
      const a = await connected();
      const ticks: Tick[] = [];
      a.marketData!.ticks$.subscribe((t) => ticks.push(t));
      a.marketData!.subscribe(h.instrument.id, ['quote', 'trade', 'book']);
      await waitFor(() => (void h.nudgeMarket(), ticks.some((t) => t.instrumentId === h.instrument.id)), 4_000, 'a tick');
      expect(ticks.every((t) => t.instrumentId === h.instrument.id)).toBe(true);
    });

    it.skipIf(!trading)('reports a submitted order accepted, then filled exactly once', async () => {
      const a = await connected();
      const seen = events(a);
      const cmd = submit('buy', h.restingBuy.price, h.restingBuy.quantity);
      a.execution!.submit(cmd);
      await waitFor(() => find(seen, 'OrderAccepted', cmd.clientOrderId).length > 0, 4_000, 'OrderAccepted');
      await h.crossRestingBuy();
      await waitFor(() => find(seen, 'OrderFilled', cmd.clientOrderId).length > 0, 4_000, 'OrderFilled');
      await sleep(300);
      const fills = find(seen, 'OrderFilled', cmd.clientOrderId);
      expect(fills).toHaveLength(1);
      expect(fills[0]).toMatchObject({ lastQty: cmd.quantity, side: 'buy' });
      expect(fills[0]!.lastPrice).toBeLessThanOrEqual(h.restingBuy.price);
      const order = seen.filter((e) => e.clientOrderId === cmd.clientOrderId).map((e) => e.kind);
      expect(order.indexOf('OrderAccepted')).toBeLessThan(order.indexOf('OrderFilled'));
    });

    it.skipIf(!trading)('cancels a resting order', async () => {
      const a = await connected();
      const seen = events(a);
      const cmd = submit('buy', h.restingBuy.price, h.restingBuy.quantity);
      a.execution!.submit(cmd);
      await waitFor(() => find(seen, 'OrderAccepted', cmd.clientOrderId).length > 0, 4_000, 'OrderAccepted');
      a.execution!.cancel({ kind: 'CancelOrder', clientOrderId: cmd.clientOrderId, strategyId: 'conf', instrumentId: h.instrument.id, tsInit: Date.now() });
      await waitFor(() => find(seen, 'OrderCanceled', cmd.clientOrderId).length > 0, 4_000, 'OrderCanceled');
      expect(find(seen, 'OrderFilled', cmd.clientOrderId)).toEqual([]);
    });

    it.skipIf(!trading)('refuses to cancel a filled order with OrderCancelRejected', async () => {
      const a = await connected();
      const seen = events(a);
      const cmd = submit('buy', h.marketableBuy.price, h.marketableBuy.quantity);
      a.execution!.submit(cmd);
      await waitFor(() => find(seen, 'OrderFilled', cmd.clientOrderId).length > 0, 4_000, 'OrderFilled');
      a.execution!.cancel({ kind: 'CancelOrder', clientOrderId: cmd.clientOrderId, strategyId: 'conf', instrumentId: h.instrument.id, tsInit: Date.now() });
      await waitFor(() => find(seen, 'OrderCancelRejected', cmd.clientOrderId).length > 0, 4_000, 'OrderCancelRejected');
      expect(find(seen, 'OrderCancelRejected', cmd.clientOrderId)[0]!.reason).not.toBe('');
      expect(find(seen, 'OrderCanceled', cmd.clientOrderId)).toEqual([]);
    });

    it.skipIf(!trading || !caps.rejections)('reports a venue rejection as OrderRejected with the venue reason', async () => {
      const a = await connected();
      const seen = events(a);
      const { command, reason } = h.rejectedSubmit(submit('buy', h.restingBuy.price, h.restingBuy.quantity));
      const sentBefore = h.submitsSeen(command.clientOrderId);
      a.execution!.submit(command);
      await waitFor(() => find(seen, 'OrderRejected', command.clientOrderId).length > 0, 4_000, 'OrderRejected');
      expect(find(seen, 'OrderRejected', command.clientOrderId)[0]!.reason).toMatch(reason);
      expect(h.submitsSeen(command.clientOrderId) - sentBefore).toBe(1); // the venue refused it, not the adapter
      expect(find(seen, 'OrderAccepted', command.clientOrderId)).toEqual([]);
    });

    it('rejects connect() with a readable error on bad credentials, without a retry storm', async () => {
      const a = h.createAdapter('bad');
      const before = h.requestsSeen();
      const err: unknown = await a.connect().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const message = (err as Error).message;
      expect(message.length).toBeGreaterThan(10);
      expect(message).toMatch(/credential|auth|signature|key|refused|denied|401|403/i);
      for (const s of h.secrets) expect(message).not.toContain(s);
      await sleep(2_500);
      expect(h.requestsSeen() - before).toBeGreaterThanOrEqual(1);
      expect(h.requestsSeen() - before).toBeLessThanOrEqual(2);
    });

    it.skipIf(!caps.marketData || !caps.dropConnections)('reconnects after dropped connections and restores its subscriptions', async () => {
      const a = await connected();
      const ticks: Tick[] = [];
      const states: ConnectionState[] = [];
      a.marketData!.ticks$.subscribe((t) => ticks.push(t));
      a.state$.subscribe((s) => states.push(s));
      a.marketData!.subscribe(h.instrument.id, ['quote', 'trade', 'book']);
      await waitFor(() => (void h.nudgeMarket(), ticks.length > 0), 4_000, 'a first tick');
      h.dropConnections();
      await waitFor(() => states.includes('reconnecting'), 4_000, 'state reconnecting');
      await waitFor(() => states.lastIndexOf('connected') > states.indexOf('reconnecting'), 6_000, 'state connected again');
      ticks.length = 0;
      await waitFor(() => (void h.nudgeMarket(), ticks.some((t) => t.instrumentId === h.instrument.id)), 4_000, 'a tick after the reconnect');
    });

    it.skipIf(!trading || !caps.restart || !caps.reconciliation)(
      'recovers a fill made while disconnected exactly once, through the live session reconciliation',
      async () => {
        const a = h.createAdapter();
        engine = await startEngine(a, h.instrument, h.restingBuy);
        engine.buyer.arm();
        await waitFor(() => engine!.order()?.status === 'ACCEPTED', 6_000, 'the resting order accepted');
        const cid = engine.buyer.clientOrderId!;
        await h.stopVenue();
        await h.crossRestingBuy(); // fills while the engine cannot hear it
        await sleep(200);
        expect(engine.position()).toBe(0);
        await h.restartVenue();
        await waitFor(() => engine!.order()?.status === 'FILLED', 8_000, 'the order FILLED after reconciliation');
        await sleep(300);
        expect(engine.position()).toBe(h.restingBuy.quantity);
        expect(engine.buyer.events.filter((e) => e.kind === 'OrderFilled')).toHaveLength(1);
        expect(h.submitsSeen(cid)).toBe(1);
      },
      20_000,
    );
  });
}
