import type { Page } from 'playwright-core';

/** Press Tab until the element with this test id has the focus; fails after `maxTabs`. */
export async function tabTo(page: Page, testId: string, maxTabs = 40): Promise<void> {
  for (let tabs = 0; tabs < maxTabs; tabs += 1) {
    await page.keyboard.press('Tab');
    if ((await focusedTestId(page)) === testId) return;
  }
  throw new Error(`${testId} was not reached in ${String(maxTabs)} presses of Tab`);
}

/** The focused element draws a visible outline (read in the page, where the DOM is). */
export async function focusOutline(page: Page): Promise<string> {
  const style = await page.evaluate(
    'getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth',
  );
  return String(style);
}

/** The test id of the focused element (`null` when it has none or the page has the focus). */
export async function focusedTestId(page: Page): Promise<string | null> {
  // A string expression: the DOM's types are the page's, not this Node program's.
  const id: unknown = await page.evaluate(
    "document.activeElement && document.activeElement.getAttribute('data-testid')",
  );
  return typeof id === 'string' ? id : null;
}
