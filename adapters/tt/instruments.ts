/**
 * ttpds → engine instruments: markets (filtered by the `markets` option), their futures products (by `products`),
 * every tradable instrument of each, paged to the end. A TT instrument met later (a fill of a product not loaded) is
 * read by id once.
 */
import type { Logger } from 'pino';
import type { InstrumentId } from '../../engine/model/ids.js';
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import type { TtSession } from './client.js';
import { TtConfigError, type TtConfig } from './config.js';
import { FUTURE_PRODUCT_TYPE, RESOURCES } from './constants.js';
import { instrumentSpecOf } from './parse.js';
import { readInstrument, readMarket, readProduct, type TtInstrumentWire } from './wire.js';

export interface TtInstruments {
  readonly instruments: readonly Instrument[];
  /** TT instrument id → engine instrument id. */
  readonly byTtId: ReadonlyMap<string, InstrumentId>;
  /** TT product id → its engine instrument ids. */
  readonly byProduct: ReadonlyMap<string, readonly InstrumentId[]>;
}

export async function loadInstruments(session: TtSession, config: TtConfig, log: Logger, only?: { readonly products?: readonly string[] }): Promise<TtInstruments> {
  const wantProducts = only?.products ?? config.products;
  const markets = (await session.list('ttpds', RESOURCES.markets, {}, 'markets', readMarket))
    .filter((m) => config.markets.length === 0 || config.markets.includes(m.name));
  const instruments: Instrument[] = [];
  const byTtId = new Map<string, InstrumentId>();
  const byProduct = new Map<string, InstrumentId[]>();
  /** Engine id → the TT instrument that has it: two TT instruments (two exchanges' ES Mar27) must not share one. */
  const seen = new Map<InstrumentId, string>();
  for (const market of markets) {
    const products = (await session.list('ttpds', RESOURCES.products, { marketId: market.id }, 'products', readProduct, 'skip'))
      .filter((p) => p.productTypeId === FUTURE_PRODUCT_TYPE && (wantProducts.length === 0 || wantProducts.includes(p.name)));
    for (const product of products) {
      const wires = await session.list('ttpds', RESOURCES.instruments, { productId: product.id }, 'instruments', readInstrument, 'skip');
      const ids: InstrumentId[] = [];
      for (const w of wires) {
        const i = toInstrument(w, config.venueId, log);
        if (i === undefined) continue;
        if (seen.has(i.id)) {
          log.error({ ttId: w.id, other: seen.get(i.id) }, `tt: instrument ${w.alias} (${w.id}) left out: its id ${i.id} is already that of TT instrument ${seen.get(i.id)}`);
          continue;
        }
        seen.set(i.id, w.id);
        instruments.push(i);
        byTtId.set(w.id, i.id);
        ids.push(i.id);
      }
      byProduct.set(product.id, ids);
    }
  }
  if (wantProducts.length > 0) {
    const found = new Set(instruments.map((i) => i.base));
    const missing = wantProducts.filter((p) => !found.has(p));
    if (missing.length > 0) throw new TtConfigError(`tt: no futures found for product ${missing.join(', ')} (markets: ${markets.map((m) => m.name).join(', ')})`);
  }
  return { instruments, byTtId, byProduct };
}

/** One TT instrument by its id (GET /ttpds/<env>/instrument/<id>), as an engine instrument, tradable or not (expired). */
export async function instrumentById(session: TtSession, config: TtConfig, log: Logger, ttId: string): Promise<Instrument | undefined> {
  if (!/^\d+$/.test(ttId)) return undefined;
  const body = await session.get('ttpds', `instrument/${ttId}`);
  const list = typeof body === 'object' && body !== null ? (body as { instrument?: unknown }).instrument : undefined;
  const first = Array.isArray(list) ? readInstrument(list[0]) : undefined;
  if (first === undefined || !first.ok) {
    log.error({ ttId }, `tt: instrument ${ttId} not readable`);
    return undefined;
  }
  return toInstrument(first.value, config.venueId, log, true); // an expired contract still names a fill's instrument
}

function toInstrument(w: TtInstrumentWire, venueId: string, log: Logger, evenUntradable = false): Instrument | undefined {
  if (!w.isTradable && !evenUntradable) return undefined;
  const spec = instrumentSpecOf(w, venueId);
  if (!spec.ok) {
    log.error({ ttId: w.id }, `tt: instrument left out: ${spec.error}`);
    return undefined;
  }
  return defineInstrument(spec.value);
}
