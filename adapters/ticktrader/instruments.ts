/** Symbols → engine Instruments `<SYMBOL>.<venueId>` (see parse.ts for the field mapping). */
import type { Logger } from 'pino';
import type { Instrument } from '../../engine/model/instrument.js';
import type { TickTraderSession } from './client.js';
import type { TickTraderConfig } from './config.js';
import { symbolsRequest } from './format.js';
import { feesOf, toInstrument } from './parse.js';
import { parseSymbols } from './wire.js';

export async function loadInstruments(session: TickTraderSession, config: TickTraderConfig, log: Logger): Promise<Instrument[]> {
  const answer = await session.request(symbolsRequest(config.symbols)).catch((e: unknown) => {
    throw new Error(`ticktrader: Symbols request failed: ${(e as Error).message}`);
  });
  const parsed = parseSymbols(answer.result);
  if (!parsed.ok) throw new Error(`ticktrader: Symbols answer unreadable: ${parsed.error}`);
  for (const s of parsed.value.skipped) log.error({ symbol: s }, 'ticktrader: symbol skipped (missing fields)');
  const out: Instrument[] = [];
  const feeless: string[] = [];
  for (const s of parsed.value.symbols) {
    if (!feesOf(s)) feeless.push(s.Symbol);
    try {
      out.push(toInstrument(s, config.venueId));
    } catch (e) {
      log.error({ symbol: s.Symbol, error: (e as Error).message }, 'ticktrader: symbol skipped');
    }
  }
  if (feeless.length) log.warn({ symbols: feeless }, 'ticktrader: commission is not a percentage of notional for these symbols; fees taken as 0');
  return out;
}
