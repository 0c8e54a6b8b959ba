import { expect } from 'chai';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { labQueue } from './support/e2e-stack.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

const token = 'e2e-token-0123456789abcdef';

describe('the dashboard behind an API token (real browser, real server)', () => {
  const e2e = useE2e();

  it('should ask for the token once, then use it for the API and the socket', async () => {
    const url = await e2e.stack().startWithToken(token);
    const watched = e2e.page();
    const { page } = watched;
    const badgeState = () =>
      page.locator('header [data-testid="ws-status"]').getAttribute('data-state');
    watched.tokenMissing = true;
    await page.goto(`${url}/`);
    const form = page.getByTestId('token-form');
    await form.waitFor();
    // Whichever was refused first, the API (401) or the socket (connect_error), asks for it.
    expect(await form.textContent()).to.match(/missing bearer token|unauthorized/);
    expect(await badgeState(), 'the socket is refused too').to.equal('polling');
    await screenshot(page, 'token-form');
    await page.getByTestId('token-input').fill(token);
    await page.keyboard.press('Enter');
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    expect(await form.count()).to.equal(0);
    await waitFor('the socket to be live with the token', badgeState, (state) => state === 'live');
    watched.tokenMissing = false;
    expect(await page.evaluate("sessionStorage.getItem('queuewatch.apiToken')")).to.equal(token);

    // The token is kept for the tab: a reload asks for nothing.
    const unauthorized: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) unauthorized.push(response.url());
    });
    await page.reload();
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    expect(unauthorized).to.deep.equal([]);
    expect(await form.count()).to.equal(0);
    expectCleanConsole(watched);
  });
});
