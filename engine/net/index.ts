export * from './backoff.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './retry-after.js';
export * from './reconnecting-socket-api.js';
export * from './reconnecting-socket.js';
export * from './http-client.js';
export * from './correlation.js';
