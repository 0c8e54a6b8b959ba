export * from './alert.js';
export * from './alert-state.js';
export * from './failure-alert.js';
export * from './failure-rule.js';
export * from './retry-policy.js';
