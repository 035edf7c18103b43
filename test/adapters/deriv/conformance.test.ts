import { runAdapterConformance } from '../conformance.js';
import { startDerivVenue } from './harness.js';

runAdapterConformance('deriv', startDerivVenue);
