import { expect } from 'chai';
import { socketClientsOf } from '../support/socket-metrics.js';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { failingQueue, failureReason, labQueue } from './support/e2e-stack.js';
import { submitFromLab, watchUntil } from './support/lab.js';
import { SocketCut } from './support/socket-cut.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

describe('live progress in the Lab (real browser, real server, real workers)', () => {
  const e2e = useE2e();

  const badge = () => e2e.page().page.locator('header [data-testid="ws-status"]');
  const badgeState = () => badge().getAttribute('data-state');

  it('should fill the bar of a submitted job live and show its processing time', async () => {
    const { page } = e2e.page();
    await page.goto('/lab');
    await waitFor('the socket to be live', badgeState, (state) => state === 'live');
    // The dashboard takes its events in batches: the server counts its socket as batched.
    expect(await socketClientsOf(e2e.stack().url, 'batched')).to.equal(1);
    expect(await socketClientsOf(e2e.stack().url, 'per-event')).to.equal(0);
    const { card } = await submitFromLab(page, labQueue, { steps: 5, stepMs: 400 });
    const seen = await watchUntil(card, 'completed');
    expect(
      seen.some((value) => value > 0 && value < 100),
      `seen: ${seen.join(', ')}`,
    ).to.equal(true);
    expect(await card.getByTestId('lab-progress').getAttribute('aria-valuenow')).to.equal('100');
    expect(await card.getByTestId('lab-processing-time').textContent()).to.match(
      /completed in (\d\.\d s|\d+ ms)/,
    );
    await screenshot(page, 'lab');
    expectCleanConsole(e2e.page());
  });

  it('should show the reason of a failing job', async () => {
    const { page } = e2e.page();
    await page.goto('/lab');
    const { card } = await submitFromLab(page, failingQueue, {});
    await watchUntil(card, 'failed');
    expect(await card.getByTestId('lab-failure-reason').textContent()).to.equal(
      `Failed: ${failureReason} (attempts: 1)`,
    );
    expectCleanConsole(e2e.page());
  });

  it('should poll while the socket is cut (orange badge), then go live again (green)', async () => {
    const watched = e2e.page();
    const { page } = watched;
    const cut = new SocketCut(page);
    await cut.install();
    const statusReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/api/v1/queues/${labQueue}/jobs/`))
        statusReads.push(request.url());
    });
    const readsOf = (jobId: string) =>
      statusReads.filter((url) => url.endsWith(`/jobs/${encodeURIComponent(jobId)}`)).length;
    await page.goto('/lab');
    await waitFor('the socket to be live', badgeState, (state) => state === 'live');
    await waitFor('the socket to use its WebSocket', () => cut.isUpgraded, Boolean);

    watched.socketCut = true;
    await cut.start();
    await waitFor('the badge to say Polling', badgeState, (state) => state === 'polling');
    expect(await badge().textContent()).to.equal('Polling');
    expect(await badge().getAttribute('class')).to.include('ws-status--polling');
    const polled = await submitFromLab(page, labQueue, { steps: 6, stepMs: 500 });
    await waitFor(
      'a polled step',
      () => polled.card.getAttribute('data-state'),
      (s) => s === 'active',
    );
    await screenshot(page, 'lab-polling');
    const seen = await watchUntil(polled.card, 'completed');
    expect(
      seen.some((value) => value > 0 && value < 100),
      `seen: ${seen.join(', ')}`,
    ).to.equal(true);
    expect(readsOf(polled.jobId), 'reads of the job while polling').to.be.at.least(2);
    expect(await badgeState(), 'the socket stayed cut throughout').to.equal('polling');

    await cut.end();
    await waitFor('the badge to say Live', badgeState, (state) => state === 'live', 20_000);
    watched.socketCut = false;
    expect(await badge().textContent()).to.equal('Live');
    const pushed = await submitFromLab(page, labQueue, { steps: 5, stepMs: 400 });
    const pushedSeen = await watchUntil(pushed.card, 'completed');
    expect(pushedSeen.some((value) => value > 0 && value < 100)).to.equal(true);
    // One read catches up after subscribing; polling every second would have made two or more.
    expect(readsOf(pushed.jobId), 'reads of the job while live').to.be.at.most(1);
    expectCleanConsole(watched);
  });
});
