import type { DenialCode, OrderEvent } from '../model/events.js';

/** Counters of one run, fed by every published event. */
export interface RunStats {
  ticks: number;
  readonly orders: number;
  readonly fills: number;
  readonly denied: number;
  readonly deniedByCode: Readonly<Partial<Record<DenialCode, number>>>;
  readonly rejected: number;
  /** Round trips: fills that brought a position back to flat or flipped it. */
  readonly trades: number;
  /** `positionAfter`: for a fill, the instrument's signed position after it. */
  onEvent(event: OrderEvent, positionAfter: number): void;
}

export function createRunStats(): RunStats {
  const deniedByCode: Partial<Record<DenialCode, number>> = {};
  const positions = new Map<string, number>();
  const s = {
    ticks: 0,
    orders: 0,
    fills: 0,
    denied: 0,
    rejected: 0,
    trades: 0,
    deniedByCode,
    onEvent(event: OrderEvent, positionAfter: number) {
      switch (event.kind) {
        case 'OrderSubmitted':
          s.orders++;
          break;
        case 'OrderFilled': {
          s.fills++;
          const before = positions.get(event.instrumentId) ?? 0;
          if (before !== 0 && (positionAfter === 0 || Math.sign(positionAfter) !== Math.sign(before))) s.trades++;
          positions.set(event.instrumentId, positionAfter);
          break;
        }
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
