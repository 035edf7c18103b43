/** `instruments` on the prices connection → engine Instruments `<SYMBOL>.<venueId>` (contract size, fees included). */
import type { Logger } from 'pino';
import type { Instrument } from '../../engine/model/instrument.js';
import { describeAnswer } from './client.js';
import type { SessionChannel } from './auth.js';
import { toInstrument } from './parse.js';
import { parseInstruments } from './wire.js';

export async function loadInstruments(prices: SessionChannel, venueId: string, log: Logger): Promise<Instrument[]> {
  const a = await prices.request('instruments');
  if (a.kind !== 'ok') throw new Error(`transact: instruments failed: ${describeAnswer(a)}`);
  const body = a.data.find((d) => d.data === 'instruments');
  const parsed = body ? parseInstruments(body.body) : { ok: false as const, reason: 'no instruments data with the status' };
  if (!parsed.ok) throw new Error(`transact: instruments answer unreadable: ${parsed.reason}`);
  const out: Instrument[] = [];
  for (const i of parsed.value) {
    if (i.status !== 'open') continue;
    try {
      out.push(toInstrument(i, venueId));
    } catch (e) {
      log.error({ symbol: i.symbol, error: (e as Error).message }, 'transact: instrument skipped');
    }
  }
  return out;
}
