import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { HttpReceiver } from '../support/http-receiver.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';
import { AnotherOriginSite, foreignJobName } from './support/another-origin-page.js';
import { chromiumPath, launchChromium, openPage } from './support/browser.js';
import { buildDashboard } from './support/dashboard-build.js';
import { labQueue, startE2eStack, type E2eStack } from './support/e2e-stack.js';
import { submitFromLab, watchUntil } from './support/lab.js';
import { expectCleanConsole } from './support/use-e2e.js';

/** What the page of another origin saw on each of its sockets. */
interface SocketReport {
  readonly connects: number;
  readonly connectErrors: number;
  readonly subscribed: number;
  readonly events: number;
}
type PageReport = Record<'polling' | 'websocket', SocketReport>;

const secret = `whsec_${Buffer.from('queuewatch-e2e-cross-origin-key').toString('base64')}`;

/** A name the browser resolves to 127.0.0.1 without DNS, as a rebound name would. */
const reboundName = 'rebound.queuewatch.test';

async function reportOf(page: Page): Promise<PageReport> {
  return page.evaluate<PageReport>('window.report.sockets');
}

describe('a page of another origin against Queuewatch on loopback (real Chromium)', () => {
  let stack: E2eStack | undefined;
  let browser: Browser | undefined;
  let site: AnotherOriginSite | undefined;
  let receiver: HttpReceiver;
  let configDir: string;
  /** A Queuewatch on loopback with no token, alerting to `receiver`. */
  let guarded: string;

  before(async function () {
    this.timeout(90_000);
    await access(chromiumPath).catch(() => {
      throw new Error(`${chromiumPath} is missing: apt-get update && apt-get install -y chromium`);
    });
    await buildDashboard();
    stack = await startE2eStack();
    receiver = await HttpReceiver.start();
    receiver.fallback = { status: 204 };
    configDir = await mkdtemp(join(tmpdir(), 'qw-e2e-origin-'));
    const configPath = join(configDir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        alerts: {
          destinations: [{ name: 'receiver', type: 'webhook', url: `${receiver.url}/a`, secret }],
        },
      }),
    );
    guarded = await stack.startAnother({ QUEUEWATCH_CONFIG: configPath });
    site = await AnotherOriginSite.start();
    browser = await launchChromium([`--host-resolver-rules=MAP ${reboundName} 127.0.0.1`]);
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await stack?.stop();
    await receiver.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} did not start`);
    return value;
  };

  it('should keep its sockets out and refuse its writes, while the dashboard works', async () => {
    const chromium = need(browser, 'Chromium');
    const other = need(site, 'the other site');
    const { page, context } = await openPage(chromium, other.origin);
    // Every answer Queuewatch sent, read from the network layer: the page itself may not read
    // them (no CORS, Cross-Origin-Resource-Policy), but they prove what the server decided.
    // Chromium does not promise the order of a request's events (its answer's extra info may come
    // before the request itself), so the two are joined when read, in the order answered.
    const statuses = new Map<string, number>();
    const urls = new Map<string, string>();
    const network = await context.newCDPSession(page);
    network.on('Network.requestWillBeSent', (event) => {
      urls.set(event.requestId, event.request.url);
    });
    network.on('Network.responseReceivedExtraInfo', (event) => {
      statuses.set(event.requestId, event.statusCode);
    });
    const answers = (): { url: string; status: number }[] =>
      [...statuses].flatMap(([requestId, status]) => {
        const url = urls.get(requestId);
        return url?.startsWith(guarded) ? [{ url, status }] : [];
      });
    await network.send('Network.enable');
    const watcher = await RecordingClient.connect(guarded);
    const queue = new Queue(labQueue, { connection: { url: need(stack, 'the stack').redisUrl } });
    try {
      expect((await watcher.request('subscribe-to-queue', { queueName: '*' })).ok).to.equal(true);
      await page.goto(other.pageFor(guarded));
      // Each socket has tried, been refused, and tried again.
      await waitFor(
        'both sockets to be refused twice',
        () => reportOf(page),
        (report) => Object.values(report).every((socket) => socket.connectErrors >= 2),
      );

      // Jobs run; a client of Queuewatch's own (no Origin) sees them, the page sees nothing.
      const jobId = await need(stack, 'the stack').addJob(labQueue, { steps: 3, stepMs: 50 });
      await watcher.next(eventOf('job-completed', jobId), 15_000);
      const afterJob = await reportOf(page);
      for (const [transport, socket] of Object.entries(afterJob)) {
        expect(socket, transport).to.deep.include({ connects: 0, subscribed: 0, events: 0 });
      }
      const handshakes = answers().filter((answer) => answer.url.includes('/socket.io/'));
      expect(handshakes.length).to.be.at.least(2);
      expect(new Set(handshakes.map((answer) => answer.status))).to.deep.equal(new Set([403]));

      // The writes: a no-cors fetch, a no-cors job submission and an HTML form.
      const writes = () =>
        answers().filter((answer) =>
          /\/api\/v1\/(alerts\/test|queues\/.*\/jobs)$/.test(answer.url),
        );
      await page.evaluate('window.attack()');
      await waitFor('Queuewatch to answer the three writes', writes, (seen) => seen.length === 3);
      expect(writes().map((answer) => answer.status)).to.deep.equal([403, 403, 403]);
      // Each write was answered, so a test alert it had sent would be here already.
      expect(receiver.requests).to.have.length(0);
      const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      expect(jobs.map((job) => job.name)).to.not.include(foreignJobName);
    } finally {
      watcher.close();
      await queue.close();
      await context.close();
    }

    // The dashboard, same origin, still sends test alerts and follows jobs live.
    const dashboard = await openPage(chromium, guarded);
    try {
      await dashboard.page.goto('/alerts');
      await dashboard.page.getByTestId('send-test-alert').click();
      const result = dashboard.page.getByTestId('test-alert-result').first();
      await result.waitFor();
      expect(await result.textContent()).to.contain('delivered');
      expect(receiver.requests).to.have.length(1);
      await dashboard.page.goto('/lab');
      const { card } = await submitFromLab(dashboard.page, labQueue, { steps: 3, stepMs: 100 });
      await watchUntil(card, 'completed');
      expectCleanConsole(dashboard);
    } finally {
      await dashboard.context.close();
    }
  });

  it("should let the page's sockets in once its origin is allowed", async () => {
    const chromium = need(browser, 'Chromium');
    const other = need(site, 'the other site');
    const allowing = await need(stack, 'the stack').startAnother({
      QUEUEWATCH_ALLOWED_ORIGINS: other.origin,
    });
    const { page, context } = await openPage(chromium, other.origin);
    try {
      await page.goto(other.pageFor(allowing));
      await waitFor(
        'both sockets to connect and subscribe',
        () => reportOf(page),
        (report) =>
          Object.values(report).every((socket) => socket.connects >= 1 && socket.subscribed >= 1),
      );
      await need(stack, 'the stack').addJob(labQueue, { steps: 2, stepMs: 50 });
      await waitFor(
        'both sockets to get the job events',
        () => reportOf(page),
        (report) => Object.values(report).every((socket) => socket.events > 0),
        15_000,
      );
    } finally {
      await context.close();
    }
  });

  it('should not answer a page whose name was rebound to 127.0.0.1 (DNS rebinding)', async () => {
    const chromium = need(browser, 'Chromium');
    const port = new URL(guarded).port;
    const { page, context } = await openPage(chromium, guarded);
    try {
      const rebound = await page.goto(`http://${reboundName}:${port}/api/v1/queues`);
      expect(rebound?.status()).to.equal(403);
      expect(((await rebound?.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_FORBIDDEN_HOST',
      );
      const local = await page.goto(`http://localhost:${port}/api/v1/queues`);
      expect(local?.status()).to.equal(200);
    } finally {
      await context.close();
    }
  });
});
