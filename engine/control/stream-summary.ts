/**
 * The stream as a screen needs it (`/api/v1/stream?orders=changes`, what the dashboard asks for): every fill and every
 * other message, but of an order's other events within one frame only what changes the open-orders table. A session
 * placing thousands of orders a second otherwise sends megabytes a second of events no screen can show.
 *
 * Within one frame (a `batch`, or a lone message), per order:
 * - fills are all kept, in order;
 * - denials and rejections are kept too (a screen lists them), the first MAX_REFUSALS of a frame;
 * - an order that opened and closed within the frame (submitted, then canceled, expired, rejected or denied) sends
 *   nothing else: it was never open on any screen;
 * - otherwise the event that opened it (`OrderSubmitted`, `OrderAdopted`) when it is in the frame, and its last event.
 * What is left out is counted in the frame's `omittedOrderEvents`.
 */
import type { StreamMessage } from './source.js';

const OPENS = new Set(['OrderSubmitted', 'OrderAdopted']);
const CLOSES = new Set(['OrderCanceled', 'OrderExpired', 'OrderRejected', 'OrderDenied']);
const REFUSALS = new Set(['OrderRejected', 'OrderDenied']);
/** Denials and rejections kept per frame (a strategy denied thousands of times a second would flood a screen). */
export const MAX_REFUSALS = 20;

type OrderMessage = Extract<StreamMessage, { type: 'order' }>;
export type SummaryMessage = StreamMessage | { readonly type: 'batch'; readonly messages: readonly StreamMessage[]; readonly omittedOrderEvents: number };

const idOf = (m: OrderMessage): string => String(m.event.clientOrderId);
const kindOf = (m: OrderMessage): string => String(m.event.kind);

/** The frame as `?orders=changes` sends it (the same message when nothing is left out). */
export function summariseOrders(message: StreamMessage): SummaryMessage {
  const all = message.type === 'batch' ? message.messages : [message];
  // per order (fills aside): where its first and last events are
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    if (m.type !== 'order' || kindOf(m) === 'OrderFilled') continue;
    const id = idOf(m);
    if (!first.has(id)) first.set(id, i);
    last.set(id, i);
  }
  const kept: StreamMessage[] = [];
  let omitted = 0;
  let refusals = 0;
  for (let i = 0; i < all.length; i++) {
    const m = all[i]!;
    if (m.type !== 'order' || kindOf(m) === 'OrderFilled') {
      kept.push(m);
      continue;
    }
    if (REFUSALS.has(kindOf(m))) {
      if (++refusals <= MAX_REFUSALS) kept.push(m);
      else omitted++;
      continue;
    }
    const id = idOf(m);
    const f = all[first.get(id)!] as OrderMessage;
    const l = all[last.get(id)!] as OrderMessage;
    const bornHere = OPENS.has(kindOf(f)) || kindOf(f) === 'OrderDenied';
    const closedHere = CLOSES.has(kindOf(l));
    const keep = !(bornHere && closedHere) && (i === last.get(id) || (i === first.get(id) && OPENS.has(kindOf(f))));
    if (keep) kept.push(m);
    else omitted++;
  }
  if (omitted === 0) return message;
  return { type: 'batch', messages: kept, omittedOrderEvents: omitted };
}
