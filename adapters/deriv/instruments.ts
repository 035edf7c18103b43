/**
 * Instruments from `active_symbols`: each underlying `<SYMBOL>.<VENUE>` (quotes and trades from its ticks; not
 * tradable: maxQty 0) and one contract instrument per contract type, `<SYMBOL>-CALL.<VENUE>` / `<SYMBOL>-PUT.<VENUE>`,
 * whose quantity is payout (currency units) and price the cost per unit of payout, so price × quantity = stake.
 */
import { defineInstrument, type Instrument } from '../../engine/model/instrument.js';
import type { InstrumentId } from '../../engine/model/ids.js';
import type { DerivRequester } from './client.js';
import type { DerivConfig } from './config.js';
import { CONTRACT_STEP, CONTRACT_TICK, MAX_PAYOUT, MIN_STAKE, type DerivContractType } from './constants.js';
import { parseActiveSymbols } from './wire.js';

export type DerivInstrumentRef =
  | { readonly kind: 'underlying'; readonly symbol: string }
  | { readonly kind: 'contract'; readonly symbol: string; readonly contractType: DerivContractType };

export const underlyingId = (symbol: string, venueId: string): InstrumentId => `${symbol}.${venueId}`;
export const contractId = (symbol: string, type: DerivContractType, venueId: string): InstrumentId => `${symbol}-${type}.${venueId}`;

/** What an instrument id stands for at Deriv (undefined: not this venue's). */
export function refOf(id: InstrumentId, config: Pick<DerivConfig, 'venueId' | 'contractTypes'>): DerivInstrumentRef | undefined {
  const suffix = `.${config.venueId}`;
  if (!id.endsWith(suffix)) return undefined;
  const name = id.slice(0, -suffix.length);
  const m = /^(.+)-([A-Z]+)$/.exec(name);
  if (m && (config.contractTypes as readonly string[]).includes(m[2]!)) return { kind: 'contract', symbol: m[1]!, contractType: m[2] as DerivContractType };
  return { kind: 'underlying', symbol: name };
}

export async function loadInstruments(request: DerivRequester, config: DerivConfig, currency: string): Promise<Instrument[]> {
  const a = await request({ active_symbols: 'brief' });
  if (a.kind !== 'ok') throw new Error(`deriv active_symbols: ${a.kind === 'unknown' ? a.reason : `${a.error.code}: ${a.error.message}`}`);
  const list = parseActiveSymbols(a.frame);
  if (!list.ok) throw new Error(`deriv active_symbols: unreadable answer (${list.reason})`);
  const out: Instrument[] = [];
  for (const s of list.value) {
    out.push(defineInstrument({ id: underlyingId(s.symbol, config.venueId), venue: config.venueId, venueSymbol: s.symbol, base: s.symbol, quote: currency, tickSize: s.pip, stepSize: 1, maxQty: 0 }));
    if (s.is_trading_suspended === 1) continue;
    for (const t of config.contractTypes) {
      out.push(defineInstrument({
        id: contractId(s.symbol, t, config.venueId), venue: config.venueId, venueSymbol: `${t}_${s.symbol}`, base: `${s.symbol}-${t}`, quote: currency,
        tickSize: CONTRACT_TICK, stepSize: CONTRACT_STEP, minQty: 1, maxQty: MAX_PAYOUT, minPrice: 0.01, maxPrice: 1, minNotional: MIN_STAKE,
        makerFee: 0, takerFee: 0, contractSize: 1,
      }));
    }
  }
  return out;
}
