import { JSDOM } from 'jsdom';

/**
 * A browser-like global scope for the dashboard's unit tests, loaded only by
 * test/web/.mocharc.json so that none of it leaks into the Node test run.
 */
const dom = new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://queuewatch.test/',
  pretendToBeVisual: true,
});
const { window } = dom;
const scope = globalThis as Record<string, unknown>;
const windowScope = window as unknown as Record<string, unknown>;

// Node's own fetch, timers and events stay; everything the DOM adds is borrowed from the window.
for (const key of Object.getOwnPropertyNames(window)) {
  if (key in scope) continue;
  scope[key] = windowScope[key];
}
scope.window = window;
scope.document = window.document;
scope.navigator = window.navigator;
// React warns about updates outside act() only when it knows it runs in a test.
scope.IS_REACT_ACT_ENVIRONMENT = true;
