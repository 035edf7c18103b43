import { mulExact } from '../model/decimal.js';
import type { Liquidity } from '../model/events.js';
import type { Instrument } from '../model/instrument.js';

/** Fee of one fill, in the instrument's quote currency; negative = rebate. Called only when a fill happens. */
export interface FeeModel {
  fee(instrument: Instrument, liquidity: Liquidity, price: number, qty: number): number;
}

/** rate × price × qty × contractSize with the instrument's maker/taker rate, exact, then the nearest double. */
export const instrumentFeeModel: FeeModel = {
  fee(instrument, liquidity, price, qty) {
    const rate = liquidity === 'maker' ? instrument.makerFee : instrument.takerFee;
    if (rate === 0) return 0;
    return mulExact(rate, price, qty, instrument.contractSize);
  },
};
