export { createSimVenue, type SimVenue, type SimVenueOptions } from './sim-venue.js';
export { instrumentFeeModel, type FeeModel } from './fees.js';
