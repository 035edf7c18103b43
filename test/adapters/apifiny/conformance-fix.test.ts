/** The conformance suite with orders entered over the FIX 4.2 API (issue 16): the same checks as over REST. */
import { runAdapterConformance } from '../conformance.js';
import { startApifinyVenue } from './harness.js';

runAdapterConformance('apifiny (FIX order entry)', () => startApifinyVenue({ orderEntry: 'fix' }));
