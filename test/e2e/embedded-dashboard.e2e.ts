import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type Job } from 'bullmq';
import { expect } from 'chai';
import express from 'express';
import type { Browser } from 'playwright-core';
import { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { createQueuewatch, type Queuewatch } from '../../src/index.js';
import { waitFor } from '../support/wait-for.js';
import {
  chromiumPath,
  launchChromium,
  openPage,
  screenshot,
  type WatchedPage,
} from './support/browser.js';
import { buildDashboard } from './support/dashboard-build.js';
import { submitFromLab, watchUntil } from './support/lab.js';
import { expectCleanConsole } from './support/use-e2e.js';

const queueName = 'shop-orders';

/** Reports progress in four steps of 300 ms, then completes. */
async function stepThrough(job: Job): Promise<string> {
  for (let step = 1; step <= 4; step += 1) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await job.updateProgress(step * 25);
  }
  return 'shipped';
}

describe('the dashboard embedded under /queues in an Express app (real browser)', () => {
  const stops: (() => Promise<unknown>)[] = [];
  let browser: Browser;
  let shopUrl: string;
  let watched: WatchedPage | undefined;
  /** Every URL path the page requested from the shop's server. */
  let requested: string[] = [];

  before(async function () {
    this.timeout(90_000);
    await access(chromiumPath).catch(() => {
      throw new Error(`${chromiumPath} is missing: apt-get update && apt-get install -y chromium`);
    });
    await buildDashboard();
    const redis = await RedisServerProcess.launch();
    stops.push(() => redis.dispose());
    const connection = { url: redis.url };
    const worker = new Worker(queueName, stepThrough, { connection, concurrency: 2 });
    const queue = new Queue(queueName, { connection });
    stops.push(
      () => worker.close(true),
      () => queue.close(),
    );
    await queue.add('order', { sku: 'warm-up' });
    const qw: Queuewatch = await createQueuewatch({
      connection,
      queues: [queueName],
      logLevel: 'silent',
    });
    stops.push(() => qw.close());
    const app = express();
    app.get('/', (_request, response) => {
      response
        .type('html')
        .send(
          '<!doctype html><title>The shop</title><link rel="icon" href="data:,"><h1>The shop</h1>',
        );
    });
    app.use('/queues', qw.router);
    const server: Server = createServer(app);
    qw.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    );
    shopUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
    stops.push(() => browser.close());
  });
  after(async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  });
  beforeEach(async () => {
    watched = await openPage(browser, shopUrl);
    requested = [];
    watched.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === shopUrl) requested.push(url.pathname);
    });
  });
  afterEach(async () => {
    await watched?.context.close();
    watched = undefined;
  });

  const current = (): WatchedPage => {
    if (!watched) throw new Error('no page is open');
    return watched;
  };
  const badgeState = () =>
    current().page.locator('header [data-testid="ws-status"]').getAttribute('data-state');

  it('should show live data, follow a job live in the Lab, and call nothing outside /queues', async () => {
    const { page } = current();
    await page.goto('/queues/');
    await page.getByTestId(`queue-card-${queueName}`).waitFor();
    await waitFor('the socket to be live', badgeState, (state) => state === 'live');
    await page.getByTestId('nav-lab').click();
    await waitFor(
      'the Lab page',
      () => new URL(page.url()).pathname,
      (path) => path === '/queues/lab',
    );
    const { card } = await submitFromLab(page, queueName, { sku: 'from-the-browser' });
    const seen = await watchUntil(card, 'completed');
    expect(
      seen.some((value) => value > 0 && value < 100),
      `seen: ${seen.join(', ')}`,
    ).to.equal(true);
    await screenshot(page, 'embedded-lab');
    expect(requested.filter((path) => !path.startsWith('/queues/'))).to.deep.equal([]);
    expect(requested.some((path) => path.startsWith('/queues/api/v1/'))).to.equal(true);
    expect(requested.some((path) => path.startsWith('/queues/socket.io/'))).to.equal(true);
    expectCleanConsole(current());
  });

  it('should load a deep link, and load it again on reload', async () => {
    const { page } = current();
    for (const path of ['/queues/alerts', `/queues/queues/${queueName}`]) {
      await page.goto(path);
      const heading = path === '/queues/alerts' ? 'Alerts' : queueName;
      await waitFor(
        `the heading of ${path}`,
        () => page.locator('h1').textContent(),
        (text) => text === heading,
      );
      await page.reload();
      await waitFor(
        `the heading of ${path} after a reload`,
        () => page.locator('h1').textContent(),
        (text) => text === heading,
      );
      expect(new URL(page.url()).pathname).to.equal(path);
    }
    await page.goto('/');
    expect(await page.locator('h1').textContent()).to.equal('The shop');
    expectCleanConsole(current());
  });
});
