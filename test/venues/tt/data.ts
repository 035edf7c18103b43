/**
 * The simulator's seeded demo data: CME-style futures with their real tick sizes and point values, an account with
 * well over 1,000 fills over five trading days (so every paging path is crossed in the middle of a day), the positions
 * and start-of-day records those fills give, and the account's risk limits. Same seed, same data.
 */
import { Decimal } from 'decimal.js';
import { createPrng } from '../prng.js';

export interface SimMarket {
  readonly id: number;
  readonly name: string;
}

export interface SimProduct {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly marketId: number;
  readonly productTypeId: number;
  readonly currency: string;
  readonly tickSize: number;
  readonly pointValue: number;
  /** Month codes of the listed expiries, e.g. 'HMUZ'. */
  readonly cycle: string;
  readonly basePrice: number;
  readonly feePerContract: string;
}

export interface SimInstrument {
  readonly id: string;
  readonly name: string;
  readonly alias: string;
  readonly productId: string;
  readonly productSymbol: string;
  readonly marketId: number;
  readonly productTypeId: number;
  readonly currency: string;
  readonly tickSize: number;
  readonly tickValue: number;
  readonly pointValue: number;
  readonly contractSize: number;
  readonly minQty: number;
  readonly expirationDate: string;
  readonly isTradable: boolean;
}

export interface SimFill {
  readonly recordId: string;
  readonly execId: string;
  readonly orderId: string;
  readonly accountId: number;
  readonly instrumentId: string;
  readonly productId: string;
  readonly side: 1 | 2;
  readonly lastQty: string;
  readonly lastPx: number;
  readonly transactTime: bigint;
  readonly currency: string;
  readonly fee: string;
  readonly aggressor: boolean;
  readonly manualFill: boolean;
}

export interface SimAccount {
  readonly id: number;
  readonly name: string;
  readonly currency: string;
}

export interface SimProductLimit {
  readonly productId: string;
  readonly tradingAllowed: boolean;
  readonly maxOrderQty: number;
  readonly maxPosition: number;
}

export interface SimData {
  readonly markets: readonly SimMarket[];
  readonly products: readonly SimProduct[];
  readonly instruments: readonly SimInstrument[];
  readonly accounts: readonly SimAccount[];
  /** By account id, oldest first (ties: the order they were made in). */
  readonly fills: ReadonlyMap<number, SimFill[]>;
  readonly limits: ReadonlyMap<number, { readonly tradingAllowed: boolean; readonly limits: readonly SimProductLimit[] }>;
  /** UTC dates (YYYY-MM-DD) of the trading days, oldest first; the last one is "today" for ttmonitor. */
  readonly days: readonly string[];
}

export const MONTH_CODES = 'FGHJKMNQUVXZ';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The demo account with the fills, and a second one without. */
export const DEMO_ACCOUNT = 90001;
export const EMPTY_ACCOUNT = 90002;

const MARKETS: readonly SimMarket[] = [
  { id: 7, name: 'CME' },
  { id: 8, name: 'CBOT' },
  { id: 9, name: 'NYMEX' },
  { id: 10, name: 'COMEX' },
];

const p = (id: string, name: string, description: string, marketId: number, tickSize: number, pointValue: number, cycle: string, basePrice: number, fee: string): SimProduct =>
  ({ id, name, description, marketId, productTypeId: 34, currency: 'USD', tickSize, pointValue, cycle, basePrice, feePerContract: fee });

/** Real CME contract grids: tick size and point value (tick value = tick size × point value). */
const PRODUCTS: readonly SimProduct[] = [
  p('1070611938517431617', 'ES', 'E-mini S&P 500', 7, 0.25, 50, 'HMUZ', 6850, '1.18'),
  p('1070611938517431944', 'NQ', 'E-mini Nasdaq-100', 7, 0.25, 20, 'HMUZ', 25_400, '1.18'),
  p('1070611938517432276', '6E', 'Euro FX', 7, 0.00005, 125_000, 'HMUZ', 1.165, '1.60'),
  p('1228394457311027093', 'ZN', '10-Year T-Note', 8, 0.015625, 1000, 'HMUZ', 112.5, '0.80'),
  p('1396522039140355177', 'CL', 'Crude Oil', 9, 0.01, 1000, 'FGHJKM', 58.5, '1.50'),
  p('1583906628211097731', 'GC', 'Gold', 10, 0.1, 100, 'GJMQ', 4200, '1.55'),
];

/** Traded in the demo account (the front expiry), with relative weights; 6E only has limits (trading not allowed). */
const TRADED: readonly (readonly [string, number])[] = [['ES', 5], ['NQ', 3], ['ZN', 2], ['CL', 3], ['GC', 2]];

/** The five trading days of the data: Monday 30 November to Friday 4 December 2026. */
const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'];

function thirdFriday(year: number, month: number): string {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const day = 1 + ((5 - first + 7) % 7) + 14;
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function instrumentsOf(product: SimProduct): SimInstrument[] {
  // expiries from December 2026 on, in the product's cycle, four of them (six for monthly cycles)
  const out: SimInstrument[] = [];
  const count = product.cycle.length > 4 ? 6 : 4;
  for (let m = 11, year = 2026; out.length < count; m++) {
    if (m === 12) {
      m = 0;
      year++;
    }
    const code = MONTH_CODES[m]!;
    if (!product.cycle.includes(code)) continue;
    const alias = `${product.name} ${MONTHS[m]}${String(year).slice(2)}`;
    // a 19-digit id: the tail of the product id and the expiry
    const id = `${product.id.slice(-13)}${year}${String(m + 1).padStart(2, '0')}`;
    out.push({
      id, name: alias, alias, productId: product.id, productSymbol: product.name, marketId: product.marketId, productTypeId: 34,
      currency: product.currency, tickSize: product.tickSize, tickValue: new Decimal(product.tickSize).times(product.pointValue).toNumber(),
      pointValue: product.pointValue, contractSize: 1, minQty: 1, expirationDate: thirdFriday(year, m), isTradable: true,
    });
  }
  if (product.name === 'ES') {
    // the expired September contract: listed as not tradable, still the instrument of fills made before it expired
    const alias = 'ES Sep26';
    out.push(Object.assign({}, out[0]!, { id: `${product.id.slice(-13)}202609`, name: alias, alias, expirationDate: thirdFriday(2026, 8), isTradable: false }));
  }
  return out;
}

/** `fillsPerDay` (about; default 320) fills a day in the demo account: 1,600 over the five days. */
export function createSimData(seed = 1, fillsPerDay = 320): SimData {
  const random = createPrng(seed);
  const instruments = PRODUCTS.flatMap(instrumentsOf);
  const front = new Map(PRODUCTS.map((pr) => [pr.name, instruments.find((i) => i.productId === pr.id)!]));
  const price = new Map(PRODUCTS.map((pr) => [pr.name, Math.round(pr.basePrice / pr.tickSize)])); // in ticks
  const totalWeight = TRADED.reduce((s, [, w]) => s + w, 0);
  const pick = (): SimProduct => {
    let r = random() * totalWeight;
    for (const [name, w] of TRADED) if ((r -= w) < 0) return PRODUCTS.find((x) => x.name === name)!;
    return PRODUCTS[0]!;
  };
  const fills: SimFill[] = [];
  let order = 0;
  for (const [d, day] of DAYS.entries()) {
    // the session 13:30-20:00 UTC; fills at strictly increasing nanosecond times but for the parts of an order that
    // filled at one exchange time
    const open = BigInt(Date.parse(`${day}T13:30:00Z`)) * 1_000_000n;
    const span = 6.5 * 3600 * 1e9;
    let t = open;
    const step = BigInt(Math.floor(span / fillsPerDay / 1.6));
    for (let n = 0; n < fillsPerDay; ) {
      const product = pick();
      const instrument = front.get(product.name)!;
      const ticks = price.get(product.name)! + Math.round((random() - 0.5) * 12);
      price.set(product.name, ticks);
      const side: 1 | 2 = random() < 0.5 ? 1 : 2;
      const qty = 1 + Math.floor(random() * 6);
      const parts = qty === 1 ? 1 : 1 + Math.floor(random() * Math.min(3, qty));
      const sameTime = parts > 1 && random() < 0.3;
      order++;
      const orderId = `${String(order).padStart(8, '0')}-5e1a-4c0d-9b7e-${String(d).padStart(4, '0')}${String(seed).padStart(8, '0')}`;
      let left = qty;
      t += step / 2n + BigInt(Math.floor(random() * Number(step)));
      for (let k = 0; k < parts; k++) {
        const q = k === parts - 1 ? left : 1 + Math.floor(random() * (left - (parts - k - 1)));
        left -= q;
        if (k > 0 && !sameTime) t += 1n + BigInt(Math.floor(random() * 5_000_000));
        const px = new Decimal(ticks + (k > 0 && !sameTime ? (side === 1 ? 1 : -1) : 0)).times(product.tickSize).toNumber();
        const seq = fills.length + 1;
        fills.push({
          recordId: `R${String(seq).padStart(7, '0')}`, execId: `X${d + 1}-${seq}`, orderId, accountId: DEMO_ACCOUNT,
          instrumentId: instrument.id, productId: product.id, side, lastQty: String(q), lastPx: px, transactTime: t,
          currency: product.currency, fee: new Decimal(product.feePerContract).times(q).toFixed(2), aggressor: random() < 0.6,
          manualFill: false,
        });
        n++;
      }
    }
  }
  const limits: SimProductLimit[] = [
    { productId: PRODUCTS[0]!.id, tradingAllowed: true, maxOrderQty: 25, maxPosition: 100 },
    { productId: PRODUCTS[1]!.id, tradingAllowed: true, maxOrderQty: 20, maxPosition: 60 },
    { productId: PRODUCTS[2]!.id, tradingAllowed: false, maxOrderQty: 10, maxPosition: 20 },
    { productId: PRODUCTS[3]!.id, tradingAllowed: true, maxOrderQty: 50, maxPosition: 200 },
    { productId: PRODUCTS[4]!.id, tradingAllowed: true, maxOrderQty: 10, maxPosition: 50 },
    { productId: PRODUCTS[5]!.id, tradingAllowed: true, maxOrderQty: 10, maxPosition: 40 },
  ];
  return {
    markets: MARKETS,
    products: PRODUCTS,
    instruments,
    accounts: [
      { id: DEMO_ACCOUNT, name: 'DEMO-FUT-1', currency: 'USD' },
      { id: EMPTY_ACCOUNT, name: 'DEMO-FUT-2', currency: 'USD' },
    ],
    fills: new Map([[DEMO_ACCOUNT, fills], [EMPTY_ACCOUNT, []]]),
    limits: new Map([
      [DEMO_ACCOUNT, { tradingAllowed: true, limits }],
      [EMPTY_ACCOUNT, { tradingAllowed: false, limits: [] }],
    ]),
    days: DAYS,
  };
}

/** UTC date of a nanosecond timestamp. */
export const dayOf = (ns: bigint): string => new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10);
