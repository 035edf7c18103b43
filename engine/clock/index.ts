export * from './clock.js';
export * from './simulated-clock.js';
export * from './live-clock.js';
export * from './clock-scheduler.js';
