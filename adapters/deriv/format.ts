/** Commands → Deriv requests: a buy is `proposal` then `buy` at a maximum price; a sell is `sell` at a minimum price. */
import { Decimal } from '../../engine/model/decimal.js';
import type { SubmitOrder } from '../../engine/model/commands.js';
import type { DerivConfig } from './config.js';
import type { DerivContractType } from './constants.js';

export interface ContractTerms {
  readonly symbol: string;
  readonly contractType: DerivContractType;
  /** Payout in currency units (the order quantity). */
  readonly payout: number;
}

export function formatProposal(t: ContractTerms, config: DerivConfig, currency: string): Record<string, unknown> {
  return { proposal: 1, amount: t.payout, basis: 'payout', contract_type: t.contractType, currency, duration: config.duration, duration_unit: config.durationUnit, symbol: t.symbol };
}

/** Stake for a price per unit of payout, to the cent: a buy limit rounds down (never pay more), a sell limit up. */
export function stakeOf(pricePerUnit: number, payout: number, side: 'buy' | 'sell'): number {
  const v = new Decimal(pricePerUnit).times(payout);
  return v.toDecimalPlaces(2, side === 'buy' ? Decimal.ROUND_DOWN : Decimal.ROUND_UP).toNumber();
}

/** `buy` at the order's limit (max stake), or at the proposal's ask for a market order. */
export function formatBuy(cmd: SubmitOrder, proposalId: string, askPrice: number): Record<string, unknown> {
  const price = cmd.type === 'limit' && cmd.price !== undefined ? stakeOf(cmd.price, cmd.quantity, 'buy') : askPrice;
  return { buy: proposalId, price };
}

/** `sell` at the order's limit (minimum accepted), or 0 (at the market) for a market order. */
export function formatSell(cmd: SubmitOrder, contractId: number): Record<string, unknown> {
  const price = cmd.type === 'limit' && cmd.price !== undefined ? stakeOf(cmd.price, cmd.quantity, 'sell') : 0;
  return { sell: contractId, price };
}

/** Contract type, symbol and payout prefix of a shortcode (`CALL_R_100_10.00_<epoch>_5T_S0P_0`), to recognise a buy. */
export const shortcodePrefix = (t: ContractTerms): string => `${t.contractType}_${t.symbol}_${new Decimal(t.payout).toFixed(2)}_`;
