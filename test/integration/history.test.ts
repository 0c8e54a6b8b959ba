import { expect } from 'chai';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { HistoryBody } from '../../src/application/contract/history.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** What the test's own worker saw: the truth the history must match. */
interface Truth {
  added: number;
  completed: number;
  failed: number;
  retried: number;
}

type Totals = Truth;

async function historyOf(instance: QueuewatchProcess, path: string): Promise<HistoryBody> {
  const response = await fetch(`${instance.url}${path}`);
  expect(response.status, path).to.equal(200);
  return (await response.json()) as HistoryBody;
}

async function totalsOf(instance: QueuewatchProcess): Promise<Totals> {
  const body = await historyOf(instance, '/api/v1/queues/orders/history?range=1h');
  const totals = { added: 0, completed: 0, failed: 0, retried: 0 };
  for (const point of body.points) {
    totals.added += point.added;
    totals.completed += point.completed;
    totals.failed += point.failed;
    totals.retried += point.retried;
  }
  return totals;
}

describe('queue history across Queuewatch processes (real Redis, real processes, real workers)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];

  beforeEach(async () => {
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function instance(id: string): Promise<QueuewatchProcess> {
    const started = await startQueuewatchProcess({
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'orders',
      QUEUEWATCH_INSTANCE_ID: id,
    });
    closers.push(() => started.kill());
    return started;
  }

  /** A worker that fails jobs asking for it on every attempt, and counts what really happened. */
  function ordersWorker(truth: Truth): Queue {
    const connection = { url: redis().url };
    const queue = new Queue('orders', { connection });
    const worker = new Worker(
      'orders',
      (job: Job<{ fail: boolean }>) =>
        job.data.fail ? Promise.reject(new Error('declined')) : Promise.resolve('ok'),
      { connection, concurrency: 8 },
    );
    worker.on('completed', () => {
      truth.completed += 1;
    });
    worker.on('failed', (job) => {
      if (!job) return;
      if (job.attemptsMade < (job.opts.attempts ?? 1)) truth.retried += 1;
      else truth.failed += 1;
    });
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    return queue;
  }

  async function addOrders(queue: Queue, truth: Truth, from: number, count: number): Promise<void> {
    await queue.addBulk(
      Array.from({ length: count }, (_, index) => ({
        name: 'order',
        data: { fail: (from + index) % 3 === 0 },
        opts: { jobId: `o${String(from + index)}`, attempts: 2, removeOnComplete: true },
      })),
    );
    truth.added += count;
  }

  it('should count every job once with two instances, one of them killed midway, and keep it over a restart', async function () {
    this.timeout(90_000);
    const truth: Truth = { added: 0, completed: 0, failed: 0, retried: 0 };
    const queue = ordersWorker(truth);
    const [first, second] = await Promise.all([instance('one'), instance('two')]);

    await addOrders(queue, truth, 0, 150);
    await waitFor(
      'the first orders to finish',
      () => ({ ...truth }),
      (seen) => seen.completed + seen.failed === 150,
    );
    await first.kill();
    await addOrders(queue, truth, 150, 150);
    await waitFor(
      'every order to finish',
      () => ({ ...truth }),
      (seen) => seen.completed + seen.failed === 300,
    );
    expect(truth).to.deep.equal({ added: 300, completed: 200, failed: 100, retried: 100 });

    // Once counted, the history equals what the worker did; one more job, counted, shows that
    // nothing was counted twice meanwhile.
    await waitFor(
      'the history to count every order',
      () => totalsOf(second),
      (totals) => totals.completed + totals.failed === 300,
    );
    await addOrders(queue, truth, 300, 1);
    await waitFor(
      'the last order to be counted',
      () => totalsOf(second),
      (totals) => totals.added === 301 && totals.completed + totals.failed === 301,
    );
    expect(await totalsOf(second)).to.deep.equal(truth);
    // Each job's wait counted once (at its first start), even when removed as it completed.
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).to.include(
      `queuewatch_queue_wait_seconds_count{queue="orders"} ${String(truth.added)}`,
    );
    expect(metrics).to.include(
      `queuewatch_queue_processing_seconds_count{queue="orders"} ${String(truth.completed)}`,
    );

    const points = (await historyOf(second, '/api/v1/queues/orders/history?range=1h')).points;
    const busy = points.filter((point) => point.completed > 0);
    expect(busy.length).to.be.at.least(1);
    for (const point of busy) {
      expect(point.processingP50Ms, point.at).to.be.a('number');
      expect(point.waitP95Ms, point.at).to.be.a('number');
    }
    expect(points.at(-1)?.workers).to.equal(1);

    // The history lives in Redis: a new instance serves it as it was.
    await second.stop();
    const third = await instance('three');
    expect(await totalsOf(third)).to.deep.equal(truth);
    const all = await historyOf(third, '/api/v1/history?range=24h');
    expect(all.points).to.have.length(1_440);
    expect(all.points.reduce((sum, point) => sum + point.completed, 0)).to.equal(truth.completed);
  });

  it('should answer an empty series for a quiet queue, 404 for an unknown one and 400 for a bad range', async () => {
    const only = await instance('solo');
    const quiet = await historyOf(only, '/api/v1/queues/orders/history?range=7d');
    expect(quiet).to.include({ queueName: 'orders', range: '7d', stepSeconds: 3_600 });
    expect(quiet.points).to.have.length(168);
    expect(quiet.points.every((point) => point.completed === 0 && point.failed === 0)).to.equal(
      true,
    );
    const unknown = await fetch(`${only.url}/api/v1/queues/nope/history`);
    expect(unknown.status).to.equal(404);
    const bad = await fetch(`${only.url}/api/v1/queues/orders/history?range=2w`);
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).to.contain(
      'range',
    );
  });
});
