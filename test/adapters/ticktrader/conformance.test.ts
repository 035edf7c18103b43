import { runAdapterConformance } from '../conformance.js';
import { startTickTraderVenue } from './harness.js';

runAdapterConformance('ticktrader', startTickTraderVenue);
