/** listSymbolInfo (+ getCommissionRate per symbol) → engine Instruments `<SYMBOL>.<venueId>`. */
import type { Logger } from 'pino';
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import { instrumentIdOf } from '../../engine/model/ids.js';
import type { RestSession } from './client.js';
import type { ApifinyConfig } from './config.js';
import { REST_PATHS } from './constants.js';
import { parseCommission, parseSymbolList } from './wire.js';

export async function loadInstruments(rest: RestSession, config: ApifinyConfig, log: Logger): Promise<Instrument[]> {
  const answer = await rest.get(REST_PATHS.listSymbolInfo, {}, { signed: false });
  if (answer.kind !== 'ok') {
    throw new Error(`apifiny: listSymbolInfo failed: ${answer.kind === 'unknown' ? answer.reason : `${answer.error.code} ${answer.error.message}`}`);
  }
  const symbols = parseSymbolList(answer.result);
  if (!symbols.ok) throw new Error(`apifiny: listSymbolInfo answer unreadable: ${symbols.reason}`);
  const out: Instrument[] = [];
  for (const s of symbols.value) {
    if (s.status !== 'enabled') continue;
    let fees: { makeFee: number; takeFee: number } | undefined;
    const c = await rest.get(REST_PATHS.getCommissionRate, { accountId: config.credentials.accountId, venue: config.venue, symbol: s.symbol });
    const parsed = c.kind === 'ok' ? parseCommission(c.result) : undefined;
    if (parsed?.ok) fees = parsed.value;
    else log.warn({ symbol: s.symbol }, 'apifiny: no commission rate for the symbol; fees taken as 0');
    try {
      out.push(
        defineInstrument({
          id: instrumentIdOf(s.symbol, config.venueId), venue: config.venueId, venueSymbol: s.symbol, base: s.baseAsset, quote: s.quoteAsset,
          tickSize: s.tickSize, stepSize: s.stepSize, minPrice: s.minPrice, maxPrice: s.maxPrice, minQty: s.minQuantity, maxQty: s.maxQuantity,
          minNotional: s.minNotional, maxNotional: s.maxNotional,
          ...(fees ? { makerFee: fees.makeFee, takerFee: fees.takeFee } : {}),
        }),
      );
    } catch (e) {
      log.error({ symbol: s.symbol, error: (e as Error).message }, 'apifiny: symbol skipped');
    }
  }
  return out;
}
