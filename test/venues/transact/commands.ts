/**
 * The commands of the three connections (CONTRACT.md): each `cmd` gets exactly one status, and its data messages before
 * it or after it (the document allows both; a test chooses with `faults.dataAfterStatus`).
 */
import { randomBytes } from 'node:crypto';
import { D, ZERO, type Decimal } from '../../../engine/model/decimal.js';
import { instrumentWire, STATUS, type ConnectionKind, type TransactSide, type TransactTif } from './protocol.js';
import { orderWire, type OrderRecord, type VenueCore } from './venue-core.js';

export interface SimConnection {
  readonly kind: ConnectionKind;
  send(frame: object): void;
  /** The key presented with `session` (orders, prices). */
  key?: string;
  username?: string;
  readonly topics: Set<string>;
  readonly symbols: Set<string>;
}

export interface CommandFaults {
  /** Commands to act on without answering (one each). */
  readonly swallow: Map<string, number>;
  /** Refuse every login with -1 (credentials revoked at the venue). */
  rejectLogins: boolean;
  /** Send a command's data messages after its status instead of before it. */
  dataAfterStatus: boolean;
}

export interface CommandStats {
  logins: number;
  readonly commands: string[];
  /** new_order commands received per client_id (whatever the answer, a refused session key included). */
  readonly newOrders: Map<string, number>;
}

type Answer = { readonly data?: readonly object[]; readonly status: number; readonly text?: string; readonly extra?: object };
class Refusal extends Error {
  constructor(readonly status: number, text: string) {
    super(text);
  }
}
const refuse = (status: number, text: string): never => {
  throw new Refusal(status, text);
};
const OK: Answer = { status: STATUS.OK };

const ALLOWED: Record<ConnectionKind, readonly string[]> = {
  auth: ['login', 'logout'],
  orders: ['session', 'new_order', 'cancel_order', 'query_orders', 'query_order', 'query_fills', 'subscribe', 'unsubscribe'],
  prices: ['session', 'instruments', 'subscribe', 'unsubscribe'],
};

export function createCommandHandler(core: VenueCore, faults: CommandFaults, stats: CommandStats) {
  const str = (o: Record<string, unknown>, k: string): string => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : refuse(STATUS.BAD_ORDER, `${k} is required`));
  const decimal = (o: Record<string, unknown>, k: string): Decimal => {
    const v = o[k];
    if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v)) refuse(STATUS.BAD_ORDER, `${k} must be a decimal string`);
    return D(v as string);
  };

  const checkKey = (key: string | undefined): string => {
    const s = key === undefined ? undefined : core.sessions.get(key);
    if (!s || s.revoked) return refuse(STATUS.SESSION_INVALID, 'invalid session key');
    if (core.clock.now() >= s.expiresAt) return refuse(STATUS.SESSION_EXPIRED, 'session key expired');
    return s.username;
  };

  const login = (m: Record<string, unknown>): Answer => {
    stats.logins++;
    const user = core.users.find((u) => u.username === m.username && u.password === m.password);
    if (!user || faults.rejectLogins) refuse(STATUS.BAD_LOGIN, 'invalid username or password');
    if (user!.apiKey !== m.api_key) refuse(STATUS.BAD_API_KEY, 'invalid api_key');
    const key = randomBytes(18).toString('base64url');
    const expiresAt = core.clock.now() + core.sessionTtlMs;
    core.sessions.set(key, { key, username: user!.username, expiresAt, revoked: false });
    return { data: [{ data: 'session', session_key: key, expires: expiresAt }], status: STATUS.OK };
  };

  const newOrder = (user: string, m: Record<string, unknown>): Answer => {
    const clientId = str(m, 'client_id');
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(clientId)) refuse(STATUS.BAD_ORDER, 'client_id must be 1-64 of [A-Za-z0-9_.:-]');
    const symbol = str(m, 'symbol');
    const spec = core.market.spec(symbol) ?? refuse(STATUS.UNKNOWN_SYMBOL, `unknown symbol ${symbol}`);
    const side = m.side === 'BUY' || m.side === 'SELL' ? (m.side as TransactSide) : refuse(STATUS.BAD_ORDER, 'side must be BUY or SELL');
    const type = m.type === 'LIMIT' || m.type === 'MARKET' ? m.type : refuse(STATUS.BAD_ORDER, 'type must be LIMIT or MARKET');
    const tif = (m.tif ?? 'GTC') as TransactTif;
    if (!['GTC', 'DAY', 'IOC'].includes(tif)) refuse(STATUS.BAD_ORDER, 'tif must be GTC, DAY or IOC');
    const qty = decimal(m, 'qty');
    if (!qty.mod(spec.lotSize).isZero()) refuse(STATUS.BAD_ORDER, `qty ${qty} is not a multiple of lot size ${spec.lotSize}`);
    if (qty.lt(spec.minQty) || qty.gt(spec.maxQty)) refuse(STATUS.BAD_ORDER, `qty ${qty} outside [${spec.minQty}, ${spec.maxQty}]`);
    const postOnly = m.post_only === true;
    if (postOnly && type !== 'LIMIT') refuse(STATUS.BAD_ORDER, 'post_only needs a LIMIT order');
    let price: Decimal | null = null;
    if (type === 'LIMIT') {
      price = decimal(m, 'price');
      if (!price.mod(spec.tickSize).isZero() || price.lte(0)) refuse(STATUS.BAD_ORDER, `price ${price} is not a multiple of tick size ${spec.tickSize}`);
    }
    const mine = core.ordersOf(user);
    if (mine.has(clientId)) refuse(STATUS.DUPLICATE_CLIENT_ID, `duplicate client_id ${clientId}`);
    const o: OrderRecord = {
      username: user, orderId: core.nextOrderId(), clientId, simId: `${user}:${clientId}`, symbol, side, type, tif, qty, price,
      filled: ZERO, notional: ZERO, state: 'PENDING', time: core.clock.now(),
    };
    core.add(o);
    core.sim.submit({
      kind: 'SubmitOrder', clientOrderId: o.simId, strategyId: 'transact-sim', instrumentId: core.market.instrument(symbol)!.id,
      side: side === 'BUY' ? 'buy' : 'sell', type: type === 'LIMIT' ? 'limit' : 'market', quantity: qty.toNumber(),
      ...(price !== null ? { price: price.toNumber() } : {}), timeInForce: type === 'MARKET' ? 'IOC' : tif === 'DAY' ? 'GTC' : tif,
      postOnly, reduceOnly: false, tsInit: core.clock.now(),
    });
    return { status: STATUS.OK, extra: { order_id: o.orderId, client_id: clientId } };
  };

  const find = (user: string, m: Record<string, unknown>): OrderRecord => {
    const mine = core.ordersOf(user);
    const o = typeof m.client_id === 'string' ? mine.get(m.client_id) : [...mine.values()].find((x) => x.orderId === m.order_id);
    return o ?? refuse(STATUS.ORDER_NOT_FOUND, 'order not found');
  };

  const cancel = async (user: string, m: Record<string, unknown>): Promise<Answer> => {
    const o = find(user, m);
    if (o.state !== 'WORKING' && o.state !== 'PENDING') refuse(STATUS.ORDER_NOT_WORKING, `order is ${o.state}, not working`);
    const outcome = core.awaitCancel(o);
    core.sim.cancel({ kind: 'CancelOrder', clientOrderId: o.simId, strategyId: 'transact-sim', instrumentId: core.market.instrument(o.symbol)!.id, tsInit: core.clock.now() });
    const r = await outcome;
    return r.ok ? OK : refuse(STATUS.ORDER_NOT_WORKING, r.text);
  };

  const run = async (conn: SimConnection, cmd: string, m: Record<string, unknown>): Promise<Answer> => {
    if (!ALLOWED[conn.kind].includes(cmd)) refuse(STATUS.MALFORMED, `unknown cmd ${cmd} on the ${conn.kind} connection`);
    if (conn.kind === 'auth') {
      if (cmd === 'login') return login(m);
      const s = typeof m.session_key === 'string' ? core.sessions.get(m.session_key) : undefined;
      if (s) s.revoked = true;
      return OK;
    }
    if (cmd === 'session') {
      const key = typeof m.session_key === 'string' ? m.session_key : undefined;
      conn.username = checkKey(key);
      conn.key = key;
      return { status: STATUS.OK, extra: { expires: core.sessions.get(key!)!.expiresAt } };
    }
    if (conn.key === undefined) refuse(STATUS.NOT_AUTHENTICATED, 'not authenticated: send session first');
    const user = checkKey(conn.key);
    switch (cmd) {
      case 'instruments':
        return { data: [{ data: 'instruments', instruments: core.market.specs.map(instrumentWire) }], status: STATUS.OK };
      case 'subscribe':
      case 'unsubscribe':
        return conn.kind === 'prices' ? prices(conn, cmd, m) : topics(conn, cmd, m);
      case 'new_order':
        return newOrder(user, m);
      case 'cancel_order':
        return cancel(user, m);
      case 'query_orders': {
        const all = [...core.ordersOf(user).values()];
        const list = m.state === 'all' ? all : all.filter((o) => o.state === 'WORKING' || o.state === 'PENDING');
        return { data: [{ data: 'orders', orders: list.map(orderWire) }], status: STATUS.OK };
      }
      case 'query_order':
        return { data: [{ data: 'orders', orders: [orderWire(find(user, m))] }], status: STATUS.OK };
      case 'query_fills': {
        const since = typeof m.since === 'number' ? m.since : 0;
        return { data: [{ data: 'fills', fills: (core.fills.get(user) ?? []).filter((f) => f.time >= since) }], status: STATUS.OK };
      }
      default:
        return refuse(STATUS.MALFORMED, `unknown cmd ${cmd}`);
    }
  };

  const topics = (conn: SimConnection, cmd: string, m: Record<string, unknown>): Answer => {
    const list = Array.isArray(m.topics) ? m.topics : refuse(STATUS.MALFORMED, 'topics must be a list');
    for (const t of list) if (t !== 'orders' && t !== 'fills') refuse(STATUS.MALFORMED, `unknown topic ${String(t)}`);
    for (const t of list as string[]) cmd === 'subscribe' ? conn.topics.add(t) : conn.topics.delete(t);
    return OK;
  };

  const prices = (conn: SimConnection, cmd: string, m: Record<string, unknown>): Answer => {
    if (m.topic !== 'prices') refuse(STATUS.MALFORMED, 'topic must be prices');
    const symbols = Array.isArray(m.symbols) ? (m.symbols as unknown[]) : refuse(STATUS.MALFORMED, 'symbols must be a list');
    for (const s of symbols) if (typeof s !== 'string' || !core.market.spec(s)) refuse(STATUS.UNKNOWN_SYMBOL, `unknown symbol ${String(s)}`);
    for (const s of symbols as string[]) cmd === 'subscribe' ? conn.symbols.add(s) : conn.symbols.delete(s);
    return OK;
  };

  /** Handles one text frame of `conn`. */
  return async (conn: SimConnection, text: string): Promise<void> => {
    let m: Record<string, unknown>;
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      m = v as Record<string, unknown>;
    } catch {
      return conn.send({ status: STATUS.MALFORMED, seq: null, cmd: null, text: 'not a JSON object' });
    }
    const cmd = typeof m.cmd === 'string' ? m.cmd : '';
    const seq = typeof m.seq === 'number' && Number.isInteger(m.seq) && m.seq > 0 ? m.seq : undefined;
    if (cmd === '' || seq === undefined) return conn.send({ status: STATUS.MALFORMED, seq: m.seq ?? null, cmd: cmd || null, text: 'cmd and a positive integer seq are required' });
    stats.commands.push(cmd);
    if (cmd === 'new_order' && typeof m.client_id === 'string') stats.newOrders.set(m.client_id, (stats.newOrders.get(m.client_id) ?? 0) + 1);
    let answer: Answer;
    try {
      answer = await run(conn, cmd, m);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      answer = { status: e.status, text: e.message };
    }
    const swallowed = faults.swallow.get(cmd) ?? 0;
    if (swallowed > 0) return void faults.swallow.set(cmd, swallowed - 1);
    const sendData = (): void => {
      for (const d of answer.data ?? []) conn.send({ ...d, seq });
    };
    if (!faults.dataAfterStatus) sendData();
    if (cmd === 'subscribe' && conn.kind === 'prices' && answer.status > 0) {
      conn.send({ status: answer.status, seq, cmd });
      for (const s of m.symbols as string[]) {
        const book = core.market.book(s);
        if (book) conn.send(book);
      }
      return;
    }
    conn.send({ status: answer.status, seq, cmd, ...(answer.text !== undefined ? { text: answer.text } : {}), ...answer.extra });
    // after: in a later turn of the event loop (a real server's data can trail its status by any time), so a client
    // that takes the status as the end of the answer sees it without its data
    if (faults.dataAfterStatus) setTimeout(sendData, 5);
  };
}
