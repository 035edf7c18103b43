import { runAdapterConformance } from '../conformance.js';
import { startTransactVenue } from './harness.js';

runAdapterConformance('transact', startTransactVenue);
