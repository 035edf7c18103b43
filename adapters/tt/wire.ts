/**
 * TT REST answers as they arrive (CONTRACT.md), read from `unknown` once at the edge. TT's integers can pass 2^53
 * (nanosecond timestamps, 19-digit ids): `parseTtJson` reads the raw text with every such integer kept as its digits,
 * so nothing is rounded before a reader sees it.
 */
import { arr, attempt, bad, isObj, num, obj, str, type Obj, type WireResult } from '../../engine/net/wire-fields.js';

export interface TtTokenWire {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly secondsUntilExpiry: number;
}

/** One page of a listing: `lastPage` ("true"/"false" or a boolean) and the key of the next page. */
export interface TtPageWire {
  readonly items: readonly unknown[];
  readonly lastPage: boolean;
  readonly nextPageKey: string | undefined;
}

export interface TtMarketWire {
  readonly id: string;
  readonly name: string;
}

export interface TtProductWire {
  readonly id: string;
  readonly name: string;
  readonly marketId: string;
  readonly productTypeId: number;
  readonly currency: string;
}

export interface TtInstrumentWire {
  readonly id: string;
  readonly alias: string;
  readonly productId: string;
  readonly productSymbol: string;
  readonly productTypeId: number;
  readonly currency: string;
  readonly tickSize: number;
  readonly tickValue: number;
  readonly pointValue: number;
  readonly minQty: number | undefined;
  readonly expirationDate: string | undefined;
  readonly isTradable: boolean;
}

export interface TtFillWire {
  readonly recordId: string;
  readonly execId: string;
  readonly orderId: string;
  readonly clOrdId: string | undefined;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  /** Decimal text, exact. */
  readonly lastQty: string;
  readonly lastPx: number;
  /** Nanoseconds since the epoch, exact. */
  readonly transactTime: bigint;
  readonly currency: string;
  readonly fee: string;
  readonly aggressor: boolean;
}

export interface TtOrderWire {
  readonly orderId: string;
  readonly clOrdId: string | undefined;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly price: number | undefined;
  readonly orderQty: string;
  readonly cumQty: string;
  readonly avgPx: number | undefined;
  /** FIX OrdStatus code as sent (0 new, 1 partly filled, 2 filled, 4 canceled, 8 rejected, C expired). */
  readonly ordStatus: string;
  readonly transactTime: bigint;
}

export interface TtPositionWire {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly netPosition: string;
  readonly sodNetPosition: string;
}

export interface TtSodWire {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly netPosition: string;
  readonly avgPrice: number;
  readonly sodDate: string;
}

export interface TtAccountWire {
  readonly id: string;
  readonly name: string;
}

export interface TtProductLimitWire {
  readonly productId: string;
  readonly tradingAllowed: boolean;
  readonly maxOrderQty: number | undefined;
  readonly maxPosition: number | undefined;
}

export interface TtLimitsWire {
  readonly accountId: string;
  readonly tradingAllowed: boolean;
  readonly limits: readonly TtProductLimitWire[];
}

/**
 * JSON.parse of a TT answer with every integer literal of 16 or more digits turned into a string of its digits
 * before parsing (inside strings nothing is touched), so ids and nanosecond timestamps stay exact.
 */
export function parseTtJson(text: string): WireResult<unknown> {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \ */) i++;
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + (c === 45 ? 1 : 0);
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const digits = j - i - (c === 45 ? 1 : 0);
      const next = text[j];
      if (digits >= 16 && next !== '.' && next !== 'e' && next !== 'E') {
        out += `${text.slice(from, i)}"${text.slice(i, j)}"`;
        from = j;
      }
      i = j - 1;
    }
  }
  try {
    return { ok: true, value: JSON.parse(from === 0 ? text : out + text.slice(from)) as unknown };
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message.slice(0, 80)})` };
  }
}

/** An id TT may send as a number or a string: its digits as a string. */
const id = (o: Obj, k: string): string => {
  const v = o[k];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return bad(`${k} is not an id`);
};
const optNum = (o: Obj, k: string): number | undefined => (o[k] === undefined || o[k] === null ? undefined : num(o, k));
const bool = (o: Obj, k: string): boolean => {
  const v = o[k];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return bad(`${k} is not a boolean`);
};
/** A decimal quantity as exact text (TT sends strings; a safe JSON number is accepted too). */
const qty = (o: Obj, k: string): string => {
  const v = o[k];
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  return typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s) ? s : bad(`${k} is not a decimal quantity`);
};
const nanos = (o: Obj, k: string): bigint => {
  const v = o[k];
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return bad(`${k} is not a nanosecond timestamp`);
};

export const readToken = (body: unknown): WireResult<TtTokenWire> =>
  attempt(() => {
    const o = obj(body, 'token answer');
    const seconds = num(o, 'seconds_until_expiry');
    if (!(seconds > 0)) bad('seconds_until_expiry is not positive');
    return { accessToken: str(o, 'access_token'), tokenType: str(o, 'token_type'), secondsUntilExpiry: seconds };
  });

/** `field` of an answer, with its paging fields (`keyed`: a listing paged by nextPageKey, not ttledger's timestamps). */
export const readPage = (body: unknown, field: string, keyed = true): WireResult<TtPageWire> =>
  attempt(() => {
    const o = obj(body, 'answer');
    const last = o.lastPage === undefined ? true : bool(o, 'lastPage');
    const key = o.nextPageKey === undefined || o.nextPageKey === null || o.nextPageKey === '' ? undefined : str(o, 'nextPageKey');
    if (keyed && !last && key === undefined) bad('lastPage is false without a nextPageKey');
    return { items: arr(o[field], field), lastPage: last, nextPageKey: last ? undefined : key };
  });

export const readMarket = (v: unknown): WireResult<TtMarketWire> => attempt(() => {
  const o = obj(v, 'market');
  return { id: id(o, 'id'), name: str(o, 'name') };
});

export const readProduct = (v: unknown): WireResult<TtProductWire> => attempt(() => {
  const o = obj(v, 'product');
  return { id: id(o, 'id'), name: str(o, 'name'), marketId: id(o, 'marketId'), productTypeId: num(o, 'productTypeId'), currency: str(o, 'currency') };
});

export const readInstrument = (v: unknown): WireResult<TtInstrumentWire> => attempt(() => {
  const o = obj(v, 'instrument');
  return {
    id: id(o, 'id'), alias: str(o, 'alias'), productId: id(o, 'productId'), productSymbol: str(o, 'productSymbol'),
    productTypeId: num(o, 'productTypeId'), currency: str(o, 'currency'), tickSize: num(o, 'tickSize'), tickValue: num(o, 'tickValue'),
    pointValue: num(o, 'pointValue'), minQty: optNum(o, 'minQty'),
    expirationDate: o.expirationDate === undefined || o.expirationDate === null ? undefined : str(o, 'expirationDate'),
    isTradable: o.isTradable === undefined ? true : bool(o, 'isTradable'),
  };
});

export const readFill = (v: unknown): WireResult<TtFillWire> => attempt(() => {
  const o = obj(v, 'fill');
  const side = sideOf(o);
  return {
    recordId: id(o, 'recordId'), execId: id(o, 'execId'), orderId: id(o, 'orderId'),
    clOrdId: typeof o.clOrdId === 'string' && o.clOrdId !== '' ? o.clOrdId : undefined,
    accountId: id(o, 'accountId'), instrumentId: id(o, 'instrumentId'), side, lastQty: qty(o, 'lastQty'), lastPx: num(o, 'lastPx'),
    transactTime: nanos(o, 'transactTime'), currency: str(o, 'currency'), fee: o.fee === undefined ? '0' : qty(o, 'fee'),
    aggressor: o.aggressor === undefined ? true : bool(o, 'aggressor'),
  };
});

const sideOf = (o: Obj): 'buy' | 'sell' =>
  o.side === 1 || o.side === '1' ? 'buy' : o.side === 2 || o.side === '2' ? 'sell' : bad('side is not 1 (buy) or 2 (sell)');

export const readOrder = (v: unknown): WireResult<TtOrderWire> => attempt(() => {
  const o = obj(v, 'order');
  const type = o.ordType === 1 || o.ordType === '1' ? 'market' : o.ordType === 2 || o.ordType === '2' ? 'limit' : bad('ordType is not 1 (market) or 2 (limit)');
  return {
    orderId: id(o, 'orderId'), clOrdId: typeof o.clOrdId === 'string' && o.clOrdId !== '' ? o.clOrdId : undefined, accountId: id(o, 'accountId'),
    instrumentId: id(o, 'instrumentId'), side: sideOf(o), type, price: optNum(o, 'price'), orderQty: qty(o, 'orderQty'), cumQty: qty(o, 'cumQty'),
    avgPx: optNum(o, 'avgPx'), ordStatus: str(o, 'ordStatus'), transactTime: nanos(o, 'transactTime'),
  };
});

export const readPosition = (v: unknown): WireResult<TtPositionWire> => attempt(() => {
  const o = obj(v, 'position');
  return { accountId: id(o, 'accountId'), instrumentId: id(o, 'instrumentId'), netPosition: qty(o, 'netPosition'), sodNetPosition: o.sodNetPosition === undefined ? '0' : qty(o, 'sodNetPosition') };
});

export const readSod = (v: unknown): WireResult<TtSodWire> => attempt(() => {
  const o = obj(v, 'sod record');
  return { accountId: id(o, 'accountId'), instrumentId: id(o, 'instrumentId'), netPosition: qty(o, 'netPosition'), avgPrice: num(o, 'avgPrice'), sodDate: str(o, 'sodDate') };
});

export const readAccount = (v: unknown): WireResult<TtAccountWire> => attempt(() => {
  const o = obj(v, 'account');
  return { id: id(o, 'id'), name: str(o, 'name') };
});

export const readLimits = (body: unknown): WireResult<TtLimitsWire> => attempt(() => {
  const o = obj(body, 'limits answer');
  return {
    accountId: id(o, 'accountId'),
    tradingAllowed: bool(o, 'tradingAllowed'),
    limits: arr(o.limits, 'limits').map((l) => {
      const x = obj(l, 'limit');
      return { productId: id(x, 'productId'), tradingAllowed: x.tradingAllowed === undefined ? true : bool(x, 'tradingAllowed'), maxOrderQty: optNum(x, 'maxOrderQty'), maxPosition: optNum(x, 'maxPosition') };
    }),
  };
});

/** A failure answer's `message` (TT: `{"status":"Failed","message":…}`), if it has one. */
export const messageOf = (body: unknown): string | undefined => (isObj(body) && typeof body.message === 'string' ? body.message : undefined);
