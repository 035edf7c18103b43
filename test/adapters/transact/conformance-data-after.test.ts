// The whole conformance suite again against a venue that sends every command's data messages after its status (the
// document allows either order; conformance.test.ts runs the simulator's default, before).
import { runAdapterConformance } from '../conformance.js';
import { startTransactVenue } from './harness.js';

runAdapterConformance('transact (data after the status)', () => startTransactVenue({ dataOrder: 'after' }));
