// The engine's live dashboard: plain browser JavaScript, no build step, no framework.
//
// Reads the control API (engine/control/API.md) with the token as `Authorization: Bearer`, follows the WebSocket stream
// (`engine.stream.v1` + `bearer.<token>` subprotocols) and posts the control actions. The token is asked for once and
// kept in this tab's sessionStorage only: never in a URL, a cookie or localStorage.
//
// Every string from the engine reaches the page through textContent / text nodes (the `h` helper below): no innerHTML.

const TOKEN_KEY = 'engine.control.token';
const TOKEN_SHAPE = /^[A-Za-z0-9._~+-]+$/;
const STATUS_MIN_INTERVAL_MS = 1_000;
const STATUS_POLL_MS = 5_000;
const EQUITY_POLL_MS = 10_000;
const REPLAY_EQUITY_MS = 2_000;
let replayEquityAt = 0;
const MAX_LOGS = 200;
const MAX_DENIALS = 50;
const MAX_FILLS = 50;

class AuthError extends Error {}

const $ = (id) => document.getElementById(id);

/** Builds an element; strings become text nodes (never parsed as HTML). */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'onclick') el.addEventListener('click', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// ---- formatting ----------------------------------------------------------------------------------------------------

const pad = (n, w = 2) => String(n).padStart(w, '0');
function fmtDateTime(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
function fmtTime(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}
function fmtDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  if (d > 0) return `${d}d ${pad(hh)}h ${pad(mm)}m`;
  if (hh > 0) return `${hh}h ${pad(mm)}m ${pad(ss)}s`;
  if (mm > 0) return `${mm}m ${pad(ss)}s`;
  return `${ss}s`;
}
function fmtAge(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return fmtDuration(ms);
}
function fmtNum(n, maxDigits = 8) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: maxDigits });
}
/** An average price: nine significant digits at most (a quotient runs to many more; the exact value is in the API). */
function fmtPrice(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { maximumSignificantDigits: 9 });
}
function fmtMoney(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
const signClass = (n) => (typeof n !== 'number' || n === 0 ? '' : n > 0 ? 'pos' : 'neg');
const money = (n) => h('span', { class: signClass(n) }, fmtMoney(n));
/** Strategy params as `key=value` chunks that wrap between params, never inside one. */
function fmtParams(params) {
  const entries = Object.entries(params ?? {});
  if (entries.length === 0) return '—';
  return entries.map(([k, v]) => h('span', { class: 'param' }, `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`));
}

/** A table, or "(none)" when there are no rows. `cols`: [label, class?]. */
function table(cols, rows, empty = '(none)', cls) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', { class: cls },
    h('thead', {}, h('tr', {}, cols.map(([label, cls]) => h('th', { class: cls }, label)))),
    h('tbody', {}, rows));
}
const td = (content, cls) => h('td', { class: cls }, content);
const num = (content) => td(content, 'num');
const tag = (text, cls) => h('span', { class: `tag ${cls ?? ''}` }, text);

function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// ---- state ---------------------------------------------------------------------------------------------------------

let token = null;
/** Bumped on every (re)start and logout: callbacks of an older connection see a stale generation and stop. */
let generation = 0;
let status = null;
let statusAt = 0;
let fills = [];
let denials = [];
let logs = [];
let ws = null;
let streamLive = false;
let reconnectAttempt = 0;
let reconnectTimer = null;
let countdownTimer = null;
let timers = [];
let plot = null;
const refresh = { timer: null, running: false, wanted: false, last: 0 };

// ---- API -----------------------------------------------------------------------------------------------------------

async function api(path, init = {}) {
  // an empty token: a session started without one (reads from this machine only, every action refused)
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

/** A read: throws AuthError on 401 (the token is wrong), Error on anything else that is not 200. */
async function read(path) {
  const { status: code, body } = await api(path);
  if (code === 401) throw new AuthError(body?.error ?? 'the control token was refused');
  if (code !== 200) throw new Error(body?.error ?? `GET ${path} answered HTTP ${code}`);
  return body;
}

// ---- login ---------------------------------------------------------------------------------------------------------

function showLogin(message) {
  $('app').hidden = true;
  $('login').hidden = false;
  const err = $('token-error');
  err.hidden = !message;
  err.textContent = message ?? '';
  const input = $('token-input');
  input.value = '';
  input.focus();
}

function logout(message) {
  generation++;
  sessionStorage.removeItem(TOKEN_KEY);
  token = null;
  stopConnection();
  showLogin(message);
}

function stopConnection() {
  for (const t of timers) clearInterval(t);
  timers = [];
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  clearInterval(countdownTimer);
  countdownTimer = null;
  clearTimeout(refresh.timer);
  refresh.timer = null;
  refresh.wanted = false;
  if (ws) {
    const old = ws;
    ws = null;
    old.close(1000, 'dashboard closed the stream');
  }
  streamLive = false;
}

async function onTokenSubmit(event) {
  event.preventDefault();
  const value = $('token-input').value.trim();
  const err = $('token-error');
  if (value !== '' && !TOKEN_SHAPE.test(value)) {
    err.hidden = false;
    err.textContent = 'A control token holds only letters, digits and . _ ~ + - (no spaces).';
    return;
  }
  token = value;
  const submit = document.querySelector('[data-testid="token-submit"]');
  submit.disabled = true;
  try {
    const first = await read('/api/v1/status');
    sessionStorage.setItem(TOKEN_KEY, value);
    start(first);
  } catch (e) {
    token = null;
    const refused = value === '' ? `This session needs its control token: ${e.message}` : `Token refused: ${e.message}`;
    showLogin(e instanceof AuthError ? refused : `Cannot reach the engine: ${e.message}`);
  } finally {
    submit.disabled = false;
  }
}

// ---- connection ----------------------------------------------------------------------------------------------------

function setConn(text, cls) {
  const el = $('conn');
  el.textContent = text;
  el.className = `conn ${cls}`;
}

/** Starts (or restarts) the page's connection; `first` is a status already read. */
async function start(first) {
  stopConnection();
  const gen = ++generation;
  $('login').hidden = true;
  $('app').hidden = false;
  setConn('connecting…', 'warn');
  try {
    applyStatus(first ?? (await read('/api/v1/status')));
  } catch (e) {
    if (gen !== generation) return;
    if (e instanceof AuthError) return logout(`Token refused: ${e.message}`);
    setConn(`cannot reach the engine (${e.message})`, 'bad');
    return scheduleReconnect(gen);
  }
  if (gen !== generation) return;
  loadLogs(gen);
  loadEquity(gen);
  openStream(gen);
  timers.push(setInterval(renderClock, 1_000));
  timers.push(setInterval(() => loadEquity(gen), EQUITY_POLL_MS));
  timers.push(setInterval(() => scheduleStatusRefresh(), STATUS_POLL_MS));
}

function openStream(gen) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const protocols = token ? ['engine.stream.v1', `bearer.${token}`] : ['engine.stream.v1'];
  const socket = new WebSocket(`${scheme}//${location.host}/api/v1/stream?orders=changes`, protocols);
  ws = socket;
  socket.addEventListener('message', (e) => {
    if (gen !== generation) return;
    let msg;
    try {
      msg = JSON.parse(e.data);
    } catch {
      return;
    }
    onStreamMessage(msg, gen);
  });
  socket.addEventListener('close', (e) => {
    if (gen !== generation || ws !== socket) return;
    ws = null;
    streamLive = false;
    const why = e.code === 1001 ? 'the session stopped' : e.code === 1013 ? 'too slow for the stream' : 'stream closed';
    scheduleReconnect(gen, why);
  });
}

function scheduleReconnect(gen, why) {
  if (gen !== generation) return;
  const delay = Math.min(30_000, 1_000 * 2 ** reconnectAttempt);
  reconnectAttempt++;
  const until = Date.now() + delay;
  const show = () => setConn(`reconnecting in ${Math.max(0, Math.ceil((until - Date.now()) / 1000))} s${why ? ` (${why})` : ''}`, 'warn');
  show();
  clearInterval(countdownTimer);
  countdownTimer = setInterval(show, 1_000);
  clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(async () => {
    clearInterval(countdownTimer);
    countdownTimer = null;
    if (gen !== generation) return;
    setConn('reconnecting…', 'warn');
    try {
      applyStatus(await read('/api/v1/status'));
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof AuthError) return logout(`Token refused: ${e.message}`);
      return scheduleReconnect(gen, `cannot reach the engine`);
    }
    if (gen !== generation) return;
    loadLogs(gen);
    loadEquity(gen);
    openStream(gen);
  }, delay);
}

function onStreamMessage(msg, gen) {
  switch (msg.type) {
    case 'batch':
      for (const m of msg.messages ?? []) onStreamMessage(m, gen);
      // order events left out of the frame (?orders=changes): the counts and tables come with the next refresh
      if (msg.omittedOrderEvents > 0) scheduleStatusRefresh();
      break;
    case 'hello':
      streamLive = true;
      reconnectAttempt = 0;
      setConn('live', 'good');
      applyStatus(msg.status);
      loadEquity(gen);
      break;
    case 'order':
      applyOrderEvent(msg.event ?? {});
      scheduleStatusRefresh();
      break;
    case 'state':
      if (status) status.session.tradingState = msg.tradingState;
      renderHeader();
      break;
    case 'venue':
      if (status && msg.venue) {
        const i = status.venues.findIndex((v) => v.venue === msg.venue.venue);
        if (i >= 0) status.venues[i] = msg.venue;
        else status.venues.push(msg.venue);
        renderVenues();
      }
      break;
    case 'log':
      logs.unshift(msg);
      logs.length = Math.min(logs.length, MAX_LOGS);
      renderLogs();
      break;
    case 'progress':
      if (status && msg.session) {
        status.session = msg.session;
        renderHeader();
      }
      scheduleStatusRefresh();
      // a replay moves fast: its equity curve is read again every few seconds, not every EQUITY_POLL_MS
      if (Date.now() - replayEquityAt >= REPLAY_EQUITY_MS) {
        replayEquityAt = Date.now();
        loadEquity(gen);
      }
      break;
    case 'audit':
      logs.unshift({ type: 'audit', level: 'action', time: msg.entry.ts, msg: `${msg.entry.action}: ${msg.entry.message}`, fields: { by: msg.entry.actor, ok: msg.entry.ok, ...msg.entry.params } });
      logs.length = Math.min(logs.length, MAX_LOGS);
      renderLogs();
      break;
    default:
      break;
  }
}

/** Refreshes /api/v1/status soon, at most once a second (positions, stats and order details stay right). */
function scheduleStatusRefresh() {
  refresh.wanted = true;
  if (refresh.running || refresh.timer !== null || token === null) return;
  const wait = Math.max(0, refresh.last + STATUS_MIN_INTERVAL_MS - Date.now());
  refresh.timer = setTimeout(runStatusRefresh, wait);
}

async function runStatusRefresh() {
  refresh.timer = null;
  refresh.wanted = false;
  refresh.running = true;
  refresh.last = Date.now();
  const gen = generation;
  try {
    const s = await read('/api/v1/status');
    if (gen === generation) applyStatus(s);
  } catch (e) {
    if (gen === generation && e instanceof AuthError) logout(`Token refused: ${e.message}`);
  } finally {
    refresh.running = false;
    if (refresh.wanted && gen === generation) scheduleStatusRefresh();
  }
}

async function loadLogs(gen) {
  try {
    const body = await read('/api/v1/logs?limit=100');
    if (gen !== generation) return;
    const audits = logs.filter((l) => l.type === 'audit');
    logs = [...body.logs].reverse().concat(audits).sort((a, b) => b.time - a.time).slice(0, MAX_LOGS);
    renderLogs();
  } catch {
    /* the stream still brings new lines */
  }
}

async function loadEquity(gen) {
  try {
    const body = await read('/api/v1/equity');
    if (gen === generation) renderEquity(body.equity ?? []);
  } catch {
    /* next round */
  }
}

// ---- applying what arrives -----------------------------------------------------------------------------------------

function applyStatus(s) {
  status = s;
  statusAt = Date.now();
  fills = [...(s.fills ?? [])].reverse().slice(0, MAX_FILLS);
  renderAll();
}

const TERMINAL = new Set(['OrderCanceled', 'OrderRejected', 'OrderExpired', 'OrderDenied']);

/** Updates open orders, fills and denials from one order event at once (the status refresh that follows fills in the rest). */
function applyOrderEvent(ev) {
  if (!status) return;
  const id = ev.clientOrderId;
  const orders = status.orders;
  const i = orders.findIndex((o) => o.clientOrderId === id);
  const o = i >= 0 ? orders[i] : undefined;
  switch (ev.kind) {
    case 'OrderSubmitted':
      if (!o) {
        orders.push({
          clientOrderId: id, strategyId: ev.strategyId, instrumentId: ev.instrumentId, venue: ev.venue, side: null, type: null, timeInForce: null,
          status: 'SUBMITTED', inFlight: true, flagged: false, quantity: null, filledQty: 0, price: null, venueOrderId: null, tsInit: ev.tsInit,
        });
      }
      break;
    case 'OrderAccepted':
    case 'OrderUpdated':
    case 'OrderCancelRejected':
    case 'OrderModifyRejected':
      if (o) Object.assign(o, { status: o.filledQty > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED', inFlight: false });
      break;
    case 'OrderPendingCancel':
      if (o) Object.assign(o, { status: 'PENDING_CANCEL', inFlight: true });
      break;
    case 'OrderPendingUpdate':
      if (o) Object.assign(o, { status: 'PENDING_UPDATE', inFlight: true });
      break;
    case 'OrderFilled':
      fills.unshift({
        ts: ev.tsEvent, clientOrderId: id, strategyId: ev.strategyId, instrumentId: ev.instrumentId, venue: ev.venue, side: ev.side,
        qty: ev.lastQty, price: ev.lastPrice, fee: ev.fee, feeCurrency: ev.feeCurrency, liquidity: ev.liquidity,
      });
      fills.length = Math.min(fills.length, MAX_FILLS);
      if (o) {
        o.filledQty += ev.lastQty;
        if (typeof o.quantity === 'number' && o.filledQty >= o.quantity - 1e-12) orders.splice(i, 1);
        else Object.assign(o, { status: 'PARTIALLY_FILLED', inFlight: false });
      }
      status.stats.fills++;
      renderFills();
      break;
    default:
      if (TERMINAL.has(ev.kind) && o) orders.splice(i, 1);
  }
  if (ev.kind === 'OrderDenied' || ev.kind === 'OrderRejected') {
    denials.unshift({
      ts: ev.tsEvent, kind: ev.kind, code: ev.kind === 'OrderDenied' ? ev.code : 'rejected by the venue', message: ev.message ?? ev.reason ?? '',
      clientOrderId: id, strategyId: ev.strategyId, instrumentId: ev.instrumentId,
    });
    denials.length = Math.min(denials.length, MAX_DENIALS);
    if (ev.kind === 'OrderDenied') {
      status.stats.denied++;
      status.stats.deniedByCode[ev.code] = (status.stats.deniedByCode[ev.code] ?? 0) + 1;
    } else status.stats.rejected++;
    renderDenials();
  }
  renderOrders();
  renderHeader();
}

// ---- actions -------------------------------------------------------------------------------------------------------

let messageTimer = null;
function showAction(ok, text) {
  const el = $('action-message');
  el.hidden = false;
  el.className = `action-message ${ok ? 'ok' : 'bad'}`;
  el.textContent = text;
  clearTimeout(messageTimer);
  messageTimer = setTimeout(() => {
    el.hidden = true;
  }, ok ? 10_000 : 30_000);
}

async function act(label, path, body) {
  try {
    const { status: code, body: answer } = await api(path, { method: 'POST', body: JSON.stringify(body) });
    if (answer?.schema === 'engine.action/1') showAction(answer.ok, `${label}: ${answer.message}`);
    else showAction(false, `${label} refused: ${answer?.error ?? `HTTP ${code}`}`);
  } catch (e) {
    showAction(false, `${label} failed: ${e.message}`);
  }
  scheduleStatusRefresh();
}

const STATE_VERB = { HALTED: 'HALT', REDUCING: 'REDUCE', ACTIVE: 'RESUME' };
function setTradingState(state) {
  return act(STATE_VERB[state] ?? state, '/api/v1/trading-state', { state, reason: 'set from the dashboard' });
}

function cancelOrder(id, button) {
  button.disabled = true;
  button.textContent = 'canceling…';
  return act(`cancel ${id}`, `/api/v1/orders/${encodeURIComponent(id)}/cancel`, {});
}

function cancelAll() {
  const n = status?.orders.length ?? 0;
  if (!window.confirm(`Cancel all ${n} open order(s) of every venue and strategy?`)) return;
  return act('cancel all', '/api/v1/cancel-all', {});
}

function stopStrategy(id) {
  if (!window.confirm(`Stop strategy ${id}?\n\nIt receives no more ticks and its open orders are canceled. It does not restart without restarting the session.`)) return;
  return act(`stop ${id}`, `/api/v1/strategies/${encodeURIComponent(id)}/stop`, { reason: 'stopped from the dashboard' });
}

function flatten(instrumentId) {
  const typed = window.prompt(`Flatten ${instrumentId}: market orders through the risk layer bring the position to flat.\n\nType the instrument id to confirm:`);
  if (typed === null) return;
  if (typed.trim() !== instrumentId) {
    showAction(false, `not flattened: "${typed}" is not the instrument id ${instrumentId}`);
    return;
  }
  return act(`flatten ${instrumentId}`, '/api/v1/flatten', { instrumentId, confirm: typed.trim() });
}

// ---- rendering -----------------------------------------------------------------------------------------------------

function renderAll() {
  renderHeader();
  renderVenues();
  renderOrders();
  renderPositions();
  renderStrategies();
  renderFills();
  renderDenials();
  renderLogs();
}

const STATE_CLASS = { ACTIVE: 'good', REDUCING: 'warn', HALTED: 'bad' };

function renderHeader() {
  if (!status) return;
  const s = status.session;
  $('mode').textContent = s.mode;
  $('mode').className = `tag mode-${s.mode}`;
  const badge = $('trading-state');
  badge.textContent = s.tradingState;
  badge.className = `badge ${STATE_CLASS[s.tradingState] ?? 'warn'}`;
  $('run').textContent = `#${s.runId}`;
  $('portfolio').textContent = s.portfolio;
  const readOnly = s.mode === 'backtest';
  for (const b of document.querySelectorAll('.state-buttons .btn')) {
    b.hidden = readOnly;
    b.setAttribute('aria-pressed', String(b.dataset.state === s.tradingState));
  }
  $('cancel-all').hidden = readOnly;
  $('auth-note').hidden = token !== '';
  const st = status.stats;
  const net = $('net-pnl');
  net.textContent = fmtMoney(st.netPnl);
  net.className = signClass(st.netPnl);
  $('counts').textContent = `${fmtNum(st.orders)} / ${fmtNum(st.fills)}`;
  renderClock();
}

function renderClock() {
  if (!status) return;
  const s = status.session;
  const drift = s.mode === 'backtest' ? 0 : Date.now() - statusAt;
  $('uptime').textContent = fmtDuration(s.uptimeMs + drift);
  const engineTime = s.progress ? s.progress.engineTime : s.engineTime + drift;
  const p = s.progress;
  const done = p && p.fraction !== null ? ` · ${(p.fraction * 100).toFixed(1)} %` : '';
  const left = p && p.etaMs !== null ? ` · ${fmtDuration(p.etaMs)} left` : '';
  $('engine-time').textContent = `${fmtDateTime(engineTime)} UTC${done}${left}`;
}

function renderVenues() {
  if (!status) return;
  const rows = status.venues.map((v) => {
    const connCls = v.connection === 'connected' ? 'good' : v.connection === 'closed' ? 'bad' : 'warn';
    const syncCls = v.sync === 'synced' || v.sync === 'simulated' ? 'good' : v.sync === 'stopped' ? 'bad' : 'warn';
    const rate = v.rateLimit ? `${v.rateLimit.used} / ${v.rateLimit.limit} (${v.rateLimit.spec})` : '—';
    return h('tr', { 'data-testid': 'venue-row', 'data-venue': v.venue, class: v.holdReason ? 'row-hold' : '' },
      td(h('strong', {}, v.venue)),
      td(tag(v.connection, connCls)),
      td(tag(v.sync, syncCls)),
      td(v.holdReason ? h('span', { class: 'hold' }, `HOLD: ${v.holdReason}`) : h('span', { class: 'muted' }, 'none'), v.holdReason ? 'wrap' : undefined),
      num(fmtAge(v.lastMessageAgeMs)),
      num(v.fillMark === null ? '—' : fmtTime(v.fillMark)),
      num(v.lastReconciledAt === null ? '—' : `${fmtTime(v.lastReconciledAt)} (${v.reconciliations}${v.failedReconciliations ? `, ${v.failedReconciliations} failed` : ''})`),
      td(v.flagged.length === 0 ? h('span', { class: 'muted' }, 'none') : v.flagged.map((id) => tag(`FLAGGED ${id}`, 'bad')), 'tags'),
      num(rate),
      td(v.lastError ?? '—', v.lastError ? 'err wrap' : 'muted'));
  });
  fill($('venues'), table([['venue'], ['connection'], ['sync'], ['hold'], ['last data', 'num'], ['fill mark', 'num'], ['reconciled', 'num'], ['flagged orders'], ['rate use', 'num'], ['last error']], rows));
  const held = status.venues.filter((v) => v.holdReason);
  const holds = $('holds');
  holds.hidden = held.length === 0;
  fill(holds, held.map((v) => h('div', {}, h('strong', {}, `New orders to ${v.venue} are held: `), v.holdReason)));
}

function renderOrders() {
  if (!status) return;
  const orders = [...status.orders].sort((a, b) => b.tsInit - a.tsInit);
  $('orders-count').textContent = orders.length ? `(${orders.length})` : '';
  $('cancel-all').disabled = orders.length === 0;
  const readOnly = status.session.mode === 'backtest';
  const rows = orders.map((o) => {
    const canceling = o.status === 'PENDING_CANCEL';
    const button = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'cancel-order', 'data-client-order-id': o.clientOrderId, disabled: canceling || readOnly }, canceling ? 'canceling…' : 'Cancel');
    button.addEventListener('click', () => cancelOrder(o.clientOrderId, button));
    return h('tr', { 'data-testid': 'order-row', 'data-client-order-id': o.clientOrderId, 'data-status': o.status, class: o.flagged ? 'row-flagged' : o.inFlight ? 'row-unknown' : '' },
      td(o.clientOrderId, 'mono'),
      td(o.strategyId),
      td(o.instrumentId),
      td(o.side ? h('span', { class: `side-${o.side}` }, o.side) : '…'),
      td(o.type ? `${o.type.toLowerCase()} ${o.timeInForce ?? ''}` : '…'),
      num(o.quantity === null ? '…' : o.filledQty > 0 ? `${fmtNum(o.filledQty)} / ${fmtNum(o.quantity)}` : fmtNum(o.quantity)),
      num(fmtNum(o.price)),
      td([h('span', { class: 'status' }, o.status), o.inFlight ? tag('outcome unknown', 'warn') : null, o.flagged ? tag('FLAGGED', 'bad') : null], 'tags'),
      td(button, 'act'));
  });
  fill($('orders'), table([['order'], ['strategy'], ['instrument'], ['side'], ['type'], ['qty', 'num'], ['price', 'num'], ['status'], ['']], rows, '(no open orders)'));
}

function renderPositions() {
  if (!status) return;
  const readOnly = status.session.mode === 'backtest';
  const cols = (first) => [[first], ['side'], ['quantity', 'num'], ['avg price', 'num'], ['realized', 'num'], ['unrealized', 'num'], ['fees', 'num'], ['net', 'num']];
  const cells = (p) => [
    td(h('span', { class: `side-${p.side}` }, p.side)),
    num(p.quantity),
    num(fmtPrice(p.avgPrice)),
    num(money(p.realizedPnl)),
    num(money(p.unrealizedPnl)),
    num(fmtMoney(p.fees)),
    num(money(p.realizedPnl + p.unrealizedPnl - p.fees)),
  ];
  const byInstrument = status.positions.filter((p) => p.strategyId === undefined).map((p) => {
    const button = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'flatten', 'data-instrument-id': p.instrumentId, disabled: p.side === 'flat' || readOnly }, 'Flatten');
    button.addEventListener('click', () => flatten(p.instrumentId));
    return h('tr', { 'data-testid': 'position-row', 'data-instrument-id': p.instrumentId }, td(p.instrumentId), cells(p), td(button, 'act'));
  });
  const byStrategy = status.positions.filter((p) => p.strategyId !== undefined).map((p) =>
    h('tr', { 'data-testid': 'strategy-position-row', 'data-instrument-id': p.instrumentId, 'data-strategy-id': p.strategyId }, td(`${p.strategyId} · ${p.instrumentId}`), cells(p)));
  fill($('positions'),
    h('h3', {}, 'per instrument'),
    table([...cols('instrument'), ['']], byInstrument, '(no positions)'),
    h('h3', {}, 'per strategy'),
    table(cols('strategy · instrument'), byStrategy, status.session.mode === 'backtest' ? '(kept by paper and live sessions; a backtest shows the portfolio\'s)' : '(no positions)'));
}

function renderStrategies() {
  if (!status) return;
  const readOnly = status.session.mode === 'backtest';
  const rows = status.strategies.map((s) => {
    const button = h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'stop-strategy', 'data-strategy-id': s.id, disabled: s.status !== 'running' || readOnly }, 'Stop');
    button.addEventListener('click', () => stopStrategy(s.id));
    return h('tr', { 'data-testid': 'strategy-row', 'data-strategy-id': s.id },
      td(h('strong', {}, s.id)),
      td(tag(s.status, s.status === 'running' ? 'good' : s.status === 'failed' ? 'bad' : 'muted')),
      num(fmtNum(status.orders.filter((o) => o.strategyId === s.id).length)), // the open orders panel's own count: always the same
      td(fmtParams(s.params), 'params'),
      td(s.lastError ?? '—', s.lastError ? 'err wrap' : 'muted'),
      td(button, 'act'));
  });
  fill($('strategies'), table([['strategy'], ['status'], ['open', 'num'], ['params'], ['last error'], ['']], rows, '(no strategies)'));
}

function renderFills() {
  if (!status) return;
  const rows = fills.map((f) =>
    h('tr', { 'data-testid': 'fill-row', 'data-client-order-id': f.clientOrderId },
      num(fmtTime(f.ts)),
      td(f.clientOrderId, 'mono'),
      td(f.strategyId),
      td(f.instrumentId),
      td(h('span', { class: `side-${f.side}` }, f.side)),
      num(fmtNum(f.qty)),
      num(fmtNum(f.price)),
      num(`${fmtNum(f.fee, 4)} ${f.feeCurrency}`),
      td(f.liquidity === 'maker' ? 'M' : f.liquidity === 'taker' ? 'T' : f.liquidity, 'muted')));
  fill($('fills'), table([['time (UTC)', 'num'], ['order'], ['strategy'], ['instrument'], ['side'], ['qty', 'num'], ['price', 'num'], ['fee', 'num'], ['M/T']], rows, '(no fills yet)'));
}

function renderDenials() {
  if (!status) return;
  const st = status.stats;
  const codes = Object.entries(st.deniedByCode ?? {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const countRows = codes.map(([code, n]) => h('tr', { 'data-testid': 'denial-count', 'data-code': code }, td(tag(code, 'bad')), num(fmtNum(n))));
  if (st.rejected > 0) countRows.push(h('tr', { 'data-testid': 'rejected-count' }, td(tag('rejected by the venue', 'warn')), num(fmtNum(st.rejected))));
  const recent = denials.map((d) =>
    h('tr', { 'data-testid': 'denial-row', 'data-client-order-id': d.clientOrderId, 'data-code': d.code },
      num(fmtTime(d.ts)),
      td(tag(d.code, d.kind === 'OrderDenied' ? 'bad' : 'warn')),
      td(d.clientOrderId, 'mono'),
      td(d.message, 'wrap small')));
  fill($('denials'),
    h('p', { class: 'summary' }, `${fmtNum(st.denied)} denied by the risk layer, ${fmtNum(st.rejected)} rejected by a venue`),
    table([['code'], ['count', 'num']], countRows, '(none)', 'narrow'),
    h('h3', {}, 'recent (since this page opened)'),
    table([['time (UTC)', 'num'], ['code'], ['order'], ['message']], recent, '(none)'));
}

function renderLogs() {
  const rows = logs.map((l) => {
    const fields = Object.entries(l.fields ?? {}).filter(([k]) => k !== 'pid' && k !== 'hostname');
    return h('div', { class: `log-line lvl-${l.level}`, 'data-testid': 'log-row' },
      h('span', { class: 'log-time' }, fmtTime(l.time)),
      h('span', { class: `tag lvl lvl-${l.level}` }, l.level),
      h('span', { class: 'log-msg' }, l.msg),
      fields.length ? h('span', { class: 'log-fields' }, fields.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')) : null);
  });
  fill($('logs'), rows.length ? rows : h('p', { class: 'empty' }, '(no warnings or errors)'));
}

const CHART_HEIGHT = 170;
const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000];
function fmtAxisTime(ms, incrSeconds) {
  const d = new Date(ms);
  if (incrSeconds >= 86400) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (incrSeconds >= 60) return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function renderEquity(series) {
  const box = $('equity');
  const note = $('equity-note');
  if (series.length < 2 || typeof window.uPlot !== 'function') {
    if (plot) {
      plot.destroy();
      plot = null;
    }
    note.textContent = '';
    fill(box, h('p', { class: 'empty' }, typeof window.uPlot !== 'function' ? '(the chart library did not load)' : '(not enough equity samples yet)'));
    return;
  }
  const data = [series.map((p) => p[0] / 1000), series.map((p) => p[1])];
  const last = series[series.length - 1][1];
  const firstValue = series[0][1];
  note.textContent = `${fmtMoney(last)} (${last - firstValue >= 0 ? '+' : ''}${fmtMoney(last - firstValue)})`;
  note.className = `count ${signClass(last - firstValue)}`;
  if (plot) {
    plot.setData(data);
    return;
  }
  box.replaceChildren();
  const axis = { stroke: '#9fb0c6', grid: { stroke: 'rgba(159,176,198,0.12)', width: 1 }, ticks: { stroke: 'rgba(159,176,198,0.25)', width: 1 }, font: '11px system-ui, sans-serif' };
  plot = new window.uPlot({
    width: Math.max(200, box.clientWidth),
    height: CHART_HEIGHT,
    tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    series: [{}, { label: 'equity', stroke: '#4ea8ff', width: 2, fill: 'rgba(78,168,255,0.10)' }],
    axes: [
      // whole seconds at least, labelled in UTC like the rest of the page
      { ...axis, space: 70, incrs: TIME_INCRS, values: (u, splits, _i, _space, incr) => splits.map((v) => fmtAxisTime(v * 1000, incr)) },
      { ...axis, size: 72, space: 24, values: (u, vals) => vals.map((v) => fmtNum(v, 2)) },
    ],
  }, data, box);
}

window.addEventListener('resize', () => {
  if (plot) plot.setSize({ width: Math.max(200, $('equity').clientWidth), height: CHART_HEIGHT });
});

// ---- wiring --------------------------------------------------------------------------------------------------------

function init() {
  $('token-form').addEventListener('submit', onTokenSubmit);
  $('forget-token').addEventListener('click', (e) => {
    e.preventDefault();
    logout('Token forgotten: enter it again to reconnect.');
  });
  for (const b of document.querySelectorAll('.state-buttons .btn')) b.addEventListener('click', () => setTradingState(b.dataset.state));
  $('cancel-all').addEventListener('click', cancelAll);
  $('action-message').addEventListener('click', () => {
    $('action-message').hidden = true;
  });
  token = sessionStorage.getItem(TOKEN_KEY);
  if (token !== null) start();
  else showLogin();
}

init();
