export * from './position.js';
export * from './portfolio.js';
