export * from './rooms.js';
export * from './subscription-set.js';
export * from './coalescing-outbox.js';
export * from './audience-groups.js';
export * from './batch-pacer.js';
