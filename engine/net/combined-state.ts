/**
 * A venue's connection state from the states of its links (websockets, a FIX session …): the common state when they
 * agree, else the worst of them — closed, then connecting, then reconnecting — so the venue counts as connected only
 * while every link is.
 */
import { combineLatest, distinctUntilChanged, map, type Observable } from 'rxjs';
import type { ConnectionState } from '../execution/venue-adapter.js';

export function combinedState(states: readonly ConnectionState[]): ConnectionState {
  const first = states[0]!;
  if (states.every((s) => s === first)) return first;
  if (states.includes('closed')) return 'closed';
  if (states.includes('connecting')) return 'connecting';
  return 'reconnecting';
}

export function combineConnectionStates(links: readonly Observable<ConnectionState>[]): Observable<ConnectionState> {
  return combineLatest(links).pipe(map(combinedState), distinctUntilChanged());
}
