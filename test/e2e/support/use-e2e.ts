import { access } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium, openPage, type WatchedPage } from './browser.js';
import { buildDashboard } from './dashboard-build.js';
import { startE2eStack, type E2eStack } from './e2e-stack.js';

/**
 * For the enclosing `describe`: the dashboard built, the stack started, Chromium launched; and a
 * fresh page per test that records its console errors (see `expectCleanConsole`).
 */
export function useE2e(): { stack: () => E2eStack; page: () => WatchedPage } {
  let stack: E2eStack | undefined;
  let browser: Browser | undefined;
  let current: WatchedPage | undefined;
  before(async function () {
    this.timeout(90_000);
    await access(chromiumPath).catch(() => {
      throw new Error(`${chromiumPath} is missing: apt-get update && apt-get install -y chromium`);
    });
    await buildDashboard();
    stack = await startE2eStack();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    if (!browser || !stack) throw new Error('the e2e stack did not start');
    current = await openPage(browser, stack.url);
  });
  afterEach(async () => {
    await current?.context.close();
    current = undefined;
  });
  return {
    stack: () => {
      if (!stack) throw new Error('the e2e stack is not running');
      return stack;
    },
    page: () => {
      if (!current) throw new Error('no page is open');
      return current;
    },
  };
}

/** Fail when the page logged an error or threw (those expected during a socket cut excepted). */
export function expectCleanConsole(watched: WatchedPage): void {
  if (watched.errors.length > 0) {
    throw new Error(`the page logged errors:\n${watched.errors.join('\n')}`);
  }
}
