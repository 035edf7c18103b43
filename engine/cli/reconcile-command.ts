/**
 * `engine reconcile --venue <name> [--portfolio P] [--import-fills]`: the venue's own record of the account (its
 * fills, paged to the end, and its positions) against the portfolio's stored fills and positions; every difference is
 * printed. With --import-fills the fills the portfolio lacks (traded by hand or by another system) are applied to it,
 * each once: a second run applies nothing more.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLiveClock } from '../clock/live-clock.js';
import { ConfigError } from '../config/config.js';
import type { InstrumentId } from '../model/ids.js';
import type { FillReport } from '../model/reports.js';
import { loadAdapters } from '../kernel/adapter-loader.js';
import { openDatabase } from '../persistence/database.js';
import { importFills } from '../persistence/import-fills.js';
import { loadFills, loadPositions } from '../persistence/repositories.js';
import { loadVenueConfig, parseOptionArgs, random } from './instruments-command.js';
import { parseTime } from './cli-options.js';
import { createCliLogger, DEFAULT_LOG_LEVEL } from './log-level.js';

export interface ReconcileArgs {
  venue: string;
  config?: string;
  option?: string[];
  portfolio?: string;
  db?: string;
  importFills?: boolean;
  /** Only fills from then on (both sides): an ISO date or epoch ms; default: all the venue keeps. */
  since?: string;
}

const key = (f: { venueOrderId: string; tradeId: string }): string => `${f.venueOrderId}\u0000${f.tradeId}`;
const fillLine = (f: FillReport): string =>
  `  ${new Date(f.tsEvent).toISOString()} ${f.instrumentId} ${f.side} ${f.lastQty} @ ${f.lastPrice}  order ${f.venueOrderId}  trade ${f.tradeId}`;
const SHOWN = 20;

export async function reconcileCommand(args: ReconcileArgs, out: (s: string) => void): Promise<number> {
  const { config, entry } = await loadVenueConfig(args.venue, args.config);
  const options = Object.assign({}, entry.options, parseOptionArgs(args.option ?? []));
  const portfolioId = args.portfolio ?? config?.portfolio ?? 'default';
  const since = args.since === undefined ? undefined : parseTime(args.since);
  const path = args.db ?? config?.storage.path ?? 'data/engine.db';
  const log = createCliLogger({ configLevel: config?.log.level, verbDefault: DEFAULT_LOG_LEVEL.backtest });
  const clock = createLiveClock();
  const [adapter] = await loadAdapters({ venues: { [args.venue]: { adapter: entry.adapter, options } } }, { log, clock, env: process.env, random });
  try {
    const account = adapter!.account;
    if (account === undefined) throw new ConfigError([`venue ${args.venue}: its adapter keeps no record of the account to reconcile with`]);
    await adapter!.connect();
    const venue = adapter!.venue;
    const instruments = await adapter!.instruments();
    const sizes = new Map(instruments.map((i) => [i.id, i.contractSize]));
    const contractSizeOf = (id: InstrumentId): number => sizes.get(id) ?? 1;
    const [venueFills, venuePositions] = [await account.fills(since), await account.positions()];
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = openDatabase(path);
    try {
      const stored = loadFills(db, portfolioId).filter((f) => f.venue === venue && (since === undefined || f.tsEvent >= since));
      const storedKeys = new Set(stored.map(key));
      const venueKeys = new Set(venueFills.map(key));
      const missing = venueFills.filter((f) => !storedKeys.has(key(f)));
      const onlyHere = stored.filter((f) => !venueKeys.has(key(f)));
      const from = since === undefined ? '' : ` since ${new Date(since).toISOString()}`;
      out(`reconcile ${args.venue} (${venue}) with portfolio ${portfolioId}${from}: ${venueFills.length} fills at the venue, ${stored.length} stored; ` +
        `${missing.length} missing here, ${onlyHere.length} stored here only`);
      if (missing.length > 0) {
        out(`missing here (${missing.length}):`);
        for (const f of missing.slice(0, SHOWN)) out(fillLine(f));
        if (missing.length > SHOWN) out(`  … and ${missing.length - SHOWN} more`);
      }
      if (onlyHere.length > 0) {
        out(`stored here only (${onlyHere.length}):`);
        for (const f of onlyHere.slice(0, SHOWN)) out(`  ${new Date(f.tsEvent).toISOString()} ${f.instrumentId} ${f.side} ${f.lastQty} @ ${f.lastPrice}  order ${f.venueOrderId}  trade ${f.tradeId}`);
      }
      const positions = (): number => {
        const mine = new Map([...loadPositions(db, portfolioId)].filter(([id]) => id.endsWith(`.${venue}`)).map(([id, p]) => [id, p.quantity.toNumber()]));
        const theirs = new Map(venuePositions.map((p) => [p.instrumentId, p.quantity]));
        const ids = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
        const differ = ids.filter((id) => (mine.get(id) ?? 0) !== (theirs.get(id) ?? 0));
        if (differ.length === 0) out(`positions: ${ids.length} instruments agree`);
        else {
          out(`positions differ (${differ.length} of ${ids.length}):`);
          for (const id of differ) out(`  ${id}  venue ${theirs.get(id) ?? 0}  portfolio ${mine.get(id) ?? 0}`);
        }
        return differ.length;
      };
      let differences = positions();
      if (missing.length > 0 && args.importFills) {
        const r = importFills(db, { portfolioId, fills: missing, contractSizeOf, now: clock.now(), source: { venue: args.venue, command: 'reconcile --import-fills' } });
        out(`imported ${r.applied} fill${r.applied === 1 ? '' : 's'} into portfolio ${portfolioId}${r.alreadyStored > 0 ? ` (${r.alreadyStored} already stored)` : ''}`);
        differences = positions();
      } else if (missing.length > 0) out(`run with --import-fills to apply the ${missing.length} missing fill(s) to portfolio ${portfolioId}`);
      return differences === 0 && onlyHere.length === 0 && (missing.length === 0 || args.importFills === true) ? 0 : 3;
    } finally {
      db.close();
    }
  } finally {
    await adapter!.close();
  }
}
