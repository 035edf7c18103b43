/**
 * The instruments of a recording, beside it as `<recording>.instruments.json` (written by `engine record` from the
 * venue's own specs), so that a backtest of the recording trades on the venue's tick and step sizes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Instrument, InstrumentSpec } from '../model/instrument.js';

export const sidecarOf = (recording: string): string => `${recording}.instruments.json`;

const SPEC_KEYS = [
  'id', 'venue', 'venueSymbol', 'base', 'quote', 'tickSize', 'stepSize', 'minQty', 'maxQty', 'minPrice', 'maxPrice',
  'minNotional', 'maxNotional', 'makerFee', 'takerFee', 'contractSize',
] as const;

/** The spec of an instrument: what a config's instruments (inline or a JSON file) and a sidecar list. */
export function specOf(i: Instrument): InstrumentSpec {
  return Object.fromEntries(SPEC_KEYS.filter((k) => i[k] !== undefined).map((k) => [k, i[k]])) as unknown as InstrumentSpec;
}

/** Writes (merging with what the file already lists) the specs of `instruments`. */
export function writeInstrumentSidecar(recording: string, instruments: readonly Instrument[]): void {
  const byId = new Map<string, InstrumentSpec>(readInstrumentSidecar(recording).map((s) => [s.id, s]));
  for (const i of instruments) byId.set(i.id, specOf(i));
  writeFileSync(sidecarOf(recording), `${JSON.stringify([...byId.values()], null, 2)}\n`);
}

/** The specs beside a recording; none when there is no sidecar. */
export function readInstrumentSidecar(recording: string): InstrumentSpec[] {
  const file = sidecarOf(recording);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InstrumentSpec[]) : [];
}
