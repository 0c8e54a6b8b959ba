export * from './failure-window.js';
