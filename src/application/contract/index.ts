export type * from './health.js';
export type * from './queues.js';
export type * from './jobs.js';
export type * from './errors.js';
export type * from './socket-events.js';
export type * from './failed-jobs.js';
export type * from './alerts.js';
export type * from './console.js';
