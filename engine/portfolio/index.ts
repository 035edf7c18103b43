export * from './position.js';
export * from './portfolio.js';
export * from './equity.js';
export * from './metrics.js';
