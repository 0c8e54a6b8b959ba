export * from './job-event.js';
export * from './processing-clock.js';
