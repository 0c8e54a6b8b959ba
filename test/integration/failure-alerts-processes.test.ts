import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

async function stats(instance: QueuewatchProcess): Promise<FailedJobStatsBody> {
  return (await (
    await fetch(`${instance.url}/api/v1/jobs/failed/stats`)
  ).json()) as FailedJobStatsBody;
}

describe('alerts and dead letters across Queuewatch processes (real Redis, real processes)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-processes-'));
    receiver = await HttpReceiver.start();
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function config(): Promise<string> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        alerts: {
          failureThreshold: { count: 10, windowMs: 3_000 },
          evaluateIntervalMs: 200,
          route: { groupWaitMs: 0, groupIntervalMs: 200 },
          delivery: { baseDelayMs: 200 },
          destinations: [{ name: 'ops', type: 'slack', url: `${receiver.url}/services/x` }],
        },
      }),
    );
    return path;
  }

  async function instance(id: string): Promise<QueuewatchProcess> {
    const started = await startQueuewatchProcess({
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'payments',
      QUEUEWATCH_CONFIG: await config(),
      QUEUEWATCH_INSTANCE_ID: id,
    });
    closers.push(() => started.stop());
    return started;
  }

  const payments = (): Queue => paymentsQueue(redis().url, closers);

  it('should send one alert, not one per instance, and keep one dead-letter record per failure', async function () {
    this.timeout(60_000);
    const [first, second] = await Promise.all([instance('one'), instance('two')]);
    await payments().addBulk(
      Array.from({ length: 12 }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `b${String(index)}` },
      })),
    );
    // Both instances saw every failure and both are firing: each has had its chance to notify.
    for (const running of [first, second]) {
      await waitFor(
        'the instance to fire',
        () => stats(running),
        (body) =>
          body.monitoredQueues[0]?.alert.status === 'firing' &&
          body.monitoredQueues[0].window.failed === 12,
      );
    }
    expect((await stats(first)).deadLetterQueue.size).to.equal(12);
    // Resolution comes after the window: by then any duplicate firing notice would have arrived.
    await receiver.received(2);
    const texts = receiver.requests.map(
      (request) => (JSON.parse(request.body) as { text: string }).text,
    );
    expect(texts).to.have.length(2);
    expect(texts[0]).to.contain('High Failure Rate Detected');
    expect(texts[1]).to.match(/Back to Normal|resolved/i);
    for (const running of [first, second]) {
      await waitFor(
        'the instance to resolve too',
        () => stats(running),
        (body) => body.monitoredQueues[0]?.alert.status === 'ok',
      );
    }
    expect(receiver.requests).to.have.length(2);
  });

  it('should record in the dead-letter queue the failures that happened while it was down', async function () {
    this.timeout(60_000);
    const queue = payments();
    const first = await instance('restarting');
    await queue.addBulk(
      Array.from({ length: 5 }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `before-${String(index)}` },
      })),
    );
    await waitFor(
      '5 records',
      () => stats(first),
      (body) => body.deadLetterQueue.size === 5,
    );
    // Let the checkpoint (saved at most once a second) catch up, then crash.
    await waitFor(
      'the checkpoint to be saved',
      async () => {
        const admin = new Redis(redis().url);
        try {
          return await admin.hget('queuewatch:checkpoints:restarting', 'payments');
        } finally {
          admin.disconnect();
        }
      },
      (id) => id !== null,
    );
    await first.kill();

    await queue.addBulk(
      Array.from({ length: 5 }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `while-down-${String(index)}` },
      })),
    );
    await waitFor(
      'the worker to fail them while Queuewatch is down',
      () => queue.getJobCountByTypes('failed'),
      (count) => count === 10,
    );

    const restarted = await instance('restarting');
    const body = await waitFor(
      '10 records after the restart',
      () => stats(restarted),
      (seen) => seen.deadLetterQueue.size === 10,
    );
    expect(body.deadLetterQueue.size).to.equal(10);
  });

  describe('bad alert configuration', () => {
    async function refusal(alerts: unknown): Promise<{ code: number | null; stderr: string }> {
      const path = join(dir, 'bad.json');
      await writeFile(path, JSON.stringify({ alerts }));
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts'], {
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL: redis().url,
          PORT: '0',
          LOG_LEVEL: 'silent',
          QUEUEWATCH_CONFIG: path,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { code, stderr };
    }

    const cases: [string, unknown, RegExp][] = [
      [
        'an unknown type',
        { destinations: [{ name: 'pager', type: 'pagerdooty' }] },
        /"pager": unknown type "pagerdooty"/,
      ],
      ['a missing URL', { destinations: [{ name: 'chat', type: 'slack' }] }, /"chat": .*url/],
      [
        'a secret without whsec_',
        {
          destinations: [
            {
              name: 'hooks',
              type: 'webhook',
              url: 'https://example.com/h',
              secret: 'plain-secret-value',
            },
          ],
        },
        /"hooks": .*secret must start with whsec_/,
      ],
      [
        'a module that does not exist',
        { destinations: [{ name: 'custom', type: 'module', module: './nowhere.js' }] },
        /"custom": .*nowhere\.js/,
      ],
      [
        'a route naming an unknown destination',
        {
          destinations: [{ name: 'chat', type: 'log' }],
          route: { routes: [{ match: { queue: 'pay*' }, destinations: ['pagr'] }] },
        },
        /alerts\.route\.routes\[0\]: unknown destination "pagr"/,
      ],
      [
        'routes that form a cycle',
        {
          route: { routes: ['a'] },
          routes: { a: { routes: ['b'] }, b: { match: { rule: 'backlog' }, routes: ['a'] } },
        },
        /the routes form a cycle: a → b → a/,
      ],
      [
        'an invalid glob',
        { route: { routes: [{ match: { queue: 'pay[ments' } }] } },
        /alerts\.route\.routes\[0\]\.match\.queue: "pay\[ments" is not a valid glob/,
      ],
      [
        'a route on a rule that does not exist',
        { route: { routes: [{ match: { rule: 'cpu' } }] } },
        /"cpu" is not a rule/,
      ],
      [
        'a group interval under 100 ms',
        { route: { groupIntervalMs: 5 } },
        /groupIntervalMs.*at least 100 ms/,
      ],
      [
        'a rule with a zero window',
        { rules: { 'event-gap': { windowMs: 0 } } },
        /alerts\.rules.*event-gap.*windowMs/,
      ],
    ];
    for (const [what, alerts, message] of cases) {
      it(`should refuse to start with ${what}, naming the destination, and exit 2`, async () => {
        const result = await refusal(alerts);
        expect(result.code).to.equal(2);
        expect(result.stderr).to.match(message);
        expect(result.stderr.trim().split('\n')).to.have.length(1);
        expect(result.stderr).to.not.contain('plain-secret-value');
      });
    }
  });
});
