import { runAdapterConformance } from '../conformance.js';
import { startApifinyVenue } from './harness.js';

runAdapterConformance('apifiny', startApifinyVenue);
