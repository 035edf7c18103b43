import { bufferTime, filter, map, mergeMap, type Observable } from 'rxjs';
import { defineStrategy, type OrderIntent, type Quote } from '../engine/strategy/index.js';

/**
 * RxJS style: mids bucketed by minute of engine time; after a minute that moved more than `threshold` (fraction),
 * trade `quantity` in that direction, keeping the position within ±maxPosition.
 */
export default defineStrategy({
  name: 'minute-momentum',
  params: { instrument: 'EURUSD.FXCM', threshold: 0.0002, quantity: 10_000, maxPosition: 30_000 },
  intents$(ctx): Observable<OrderIntent> {
    const { instrument, threshold, quantity, maxPosition } = ctx.params;
    return ctx.ticks$(instrument).pipe(
      filter((t): t is Quote => t.kind === 'quote'),
      map((q) => (q.bid + q.ask) / 2),
      bufferTime(60_000, ctx.scheduler), // engine time: simulated in backtests
      filter((mids) => mids.length > 1),
      map((mids) => mids[mids.length - 1]! / mids[0]! - 1),
      mergeMap((move): OrderIntent[] => {
        const position = ctx.position(instrument).quantity;
        if (move > threshold && position + quantity <= maxPosition) return [{ kind: 'submit', instrumentId: instrument, side: 'buy', quantity }];
        if (move < -threshold && position - quantity >= -maxPosition) return [{ kind: 'submit', instrumentId: instrument, side: 'sell', quantity }];
        return [];
      }),
    );
  },
});
