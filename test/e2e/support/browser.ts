import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; playwright-core never downloads a browser. */
export const chromiumPath = '/usr/bin/chromium';

/** Where each page's screenshot goes (git-ignored). */
export const screenshotDir = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test-output',
  'screenshots',
);

/** Launch the system Chromium headless, with `extraArgs` (e.g. `--host-resolver-rules=…`). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** A page at laptop size that records console errors and uncaught exceptions. */
export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and page errors, except those expected while the socket is cut. */
  readonly errors: string[];
  /** While true, failed socket.io requests are expected (the test cut them) and not counted. */
  socketCut: boolean;
  /**
   * While true, 401 answers are expected (the test has not given the token yet), and so are
   * socket.io errors: the refused socket's transport session ends and a last poll may outlive it.
   */
  tokenMissing: boolean;
}

/** Open a fresh context and page on `baseURL`. */
export async function openPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const watched: WatchedPage = {
    context,
    page,
    errors: [],
    socketCut: false,
    tokenMissing: false,
  };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    const aboutTheSocket =
      where.includes('/socket.io/') || /socket\.io|WebSocket/.test(message.text());
    if (watched.socketCut && aboutTheSocket) return;
    if (watched.tokenMissing && (aboutTheSocket || message.text().includes('status of 401'))) {
      return;
    }
    watched.errors.push(`console: ${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => {
    watched.errors.push(`page error: ${error.message}`);
  });
  return watched;
}

/** Save a full-page screenshot as `test-output/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({
    path: join(screenshotDir, `${name}.png`),
    fullPage: true,
    // Ends CSS transitions, so a progress bar is drawn at the value it shows.
    animations: 'disabled',
  });
}
