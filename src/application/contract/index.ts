export type * from './health.js';
export type * from './queues.js';
export type * from './errors.js';
