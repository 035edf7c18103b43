import type { DenialCode, OrderEvent } from '../model/events.js';

/** Counters of one run, fed by every published event. */
export interface RunStats {
  ticks: number;
  readonly orders: number;
  readonly fills: number;
  readonly denied: number;
  readonly deniedByCode: Readonly<Partial<Record<DenialCode, number>>>;
  readonly rejected: number;
  onEvent(event: OrderEvent): void;
}

export function createRunStats(): RunStats {
  const deniedByCode: Partial<Record<DenialCode, number>> = {};
  const s = {
    ticks: 0,
    orders: 0,
    fills: 0,
    denied: 0,
    rejected: 0,
    deniedByCode,
    onEvent(event: OrderEvent) {
      switch (event.kind) {
        case 'OrderSubmitted':
          s.orders++;
          break;
        case 'OrderFilled':
          s.fills++;
          break;
        case 'OrderDenied':
          s.denied++;
          deniedByCode[event.code] = (deniedByCode[event.code] ?? 0) + 1;
          break;
        case 'OrderRejected':
          s.rejected++;
          break;
        default:
          break;
      }
    },
  };
  return s;
}
