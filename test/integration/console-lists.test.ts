import { FlowProducer, Queue, UnrecoverableError } from 'bullmq';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { JobLocationsBody, JobPageBody } from '../../src/application/contract/console.js';
import { expectError, getJson } from '../support/console-http.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** Every page of a list, following `nextCursor`. */
async function allPages(url: string, first: string): Promise<JobPageBody[]> {
  const pages: JobPageBody[] = [];
  let path: string | null = first;
  while (path !== null) {
    const answer: { status: number; body: JobPageBody } = await getJson<JobPageBody>(url, path);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    pages.push(answer.body);
    const cursor: string | null = answer.body.nextCursor;
    path = cursor === null ? null : `${first}&cursor=${cursor}`;
  }
  return pages;
}

describe('job lists and lookup by id (real Redis, real workers, real HTTP)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'orders,idle' });
  let admin: Redis;

  beforeEach(async () => {
    admin = new Redis(redis().url);
    await admin.flushall();
    harness.closers.push(() => {
      admin.disconnect();
    });
  });

  /** 23 failed and 7 completed jobs of `orders`, all finished. */
  async function finishedOrders(): Promise<Queue> {
    const orders = harness.queue('orders', async (job) => {
      await job.updateProgress(50);
      if (job.name === 'bad') throw new UnrecoverableError(`order ${String(job.id)} declined`);
      return { ok: true };
    });
    await orders.addBulk(
      Array.from({ length: 30 }, (_, index) => ({
        name: index % 4 === 3 ? 'good' : 'bad',
        data: { index },
        opts: { jobId: `o${String(index)}`, attempts: 1 + (index % 3) },
      })),
    );
    await waitFor(
      'the 30 orders to finish',
      async () => (await orders.getJobCounts('completed', 'failed')) as Record<string, number>,
      (counts) => (counts.completed ?? 0) + (counts.failed ?? 0) === 30,
    );
    return orders;
  }

  /** A queue no worker takes jobs from, for the waiting states. */
  function idleQueue(): Queue {
    const idle = new Queue('idle', { connection: { url: redis().url } });
    harness.closers.push(() => idle.close());
    return idle;
  }

  it('should page through every failed job once, newest first, each row filled in', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await finishedOrders();
    const pages = await allPages(app.url, '/api/v1/queues/orders/jobs?state=failed&limit=10');
    expect(pages.map((page) => page.jobs.length)).to.deep.equal([10, 10, 3]);
    const rows = pages.flatMap((page) => page.jobs);
    expect(new Set(rows.map((row) => row.id)).size).to.equal(23);
    expect(pages.every((page) => page.total === 23)).to.equal(true);
    const finished = rows.map((row) => row.finishedOn ?? 0);
    expect(finished).to.deep.equal([...finished].sort((a, b) => b - a));
    const row = rows.find((each) => each.id === 'o5');
    expect(row).to.include({
      queueName: 'orders',
      name: 'bad',
      state: 'failed',
      progress: 50,
      attemptsMade: 1,
      attemptsAllowed: 3,
      failedReason: 'order o5 declined',
    });
    expect(row?.processingTime).to.be.a('number').at.least(0);
    expect(row?.waitTime).to.be.a('number').at.least(0);
    expect(row?.createdAt).to.be.a('number');
  });

  it('should read oldest first, and by page number', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await finishedOrders();
    const newest = await allPages(app.url, '/api/v1/queues/orders/jobs?state=completed&limit=3');
    const oldest = await allPages(
      app.url,
      '/api/v1/queues/orders/jobs?state=completed&limit=3&order=oldest',
    );
    const ids = (pages: JobPageBody[]) => pages.flatMap((page) => page.jobs.map((job) => job.id));
    expect(ids(newest)).to.have.length(7);
    expect(ids(oldest)).to.deep.equal([...ids(newest)].reverse());
    const second = await getJson<JobPageBody>(
      app.url,
      '/api/v1/queues/orders/jobs?state=completed&limit=3&page=2',
    );
    expect(second.body.jobs.map((job) => job.id)).to.deep.equal(ids(newest).slice(3, 6));
    const beyond = await getJson<JobPageBody>(
      app.url,
      '/api/v1/queues/orders/jobs?state=completed&limit=3&page=9',
    );
    expect(beyond.body).to.include({ total: 7, nextCursor: null });
    expect(beyond.body.jobs).to.deep.equal([]);
  });

  it('should continue after the last job shown when newer jobs arrive between pages', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    await idle.addBulk(
      Array.from({ length: 6 }, (_, i) => ({
        name: 'w',
        data: {},
        opts: { jobId: `w${String(i)}` },
      })),
    );
    const first = await getJson<JobPageBody>(
      app.url,
      '/api/v1/queues/idle/jobs?state=waiting&limit=3',
    );
    expect(first.body.jobs.map((job) => job.id)).to.deep.equal(['w5', 'w4', 'w3']);
    await idle.addBulk(
      Array.from({ length: 4 }, (_, i) => ({
        name: 'w',
        data: {},
        opts: { jobId: `late${String(i)}` },
      })),
    );
    const next = await getJson<JobPageBody>(
      app.url,
      `/api/v1/queues/idle/jobs?state=waiting&limit=3&cursor=${String(first.body.nextCursor)}`,
    );
    expect(next.body.jobs.map((job) => job.id)).to.deep.equal(['w2', 'w1', 'w0']);
    expect(next.body.total).to.equal(10);
  });

  it('should continue by score in a sorted set when the last job shown has left it', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    await idle.addBulk(
      Array.from({ length: 6 }, (_, i) => ({
        name: 'later',
        data: {},
        opts: { jobId: `d${String(i)}`, delay: 3_600_000 + i * 60_000 },
      })),
    );
    const list = '/api/v1/queues/idle/jobs?state=delayed&limit=3';
    const first = await getJson<JobPageBody>(app.url, list);
    expect(first.body.jobs.map((job) => job.id)).to.deep.equal(['d5', 'd4', 'd3']);
    await idle.remove('d3');
    await idle.add('later', {}, { jobId: 'd9', delay: 7_200_000 });
    const next = await getJson<JobPageBody>(
      app.url,
      `${list}&cursor=${String(first.body.nextCursor)}`,
    );
    expect(next.body.jobs.map((job) => job.id)).to.deep.equal(['d2', 'd1', 'd0']);
    expect(next.body.nextCursor).to.equal(null);
  });

  it('should list the waiting, prioritized and delayed jobs of a queue, each in its state', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    await idle.add('plain', { n: 1 }, { jobId: 'plain' });
    await idle.add('urgent', { n: 2 }, { jobId: 'urgent', priority: 1 });
    await idle.add('later', { n: 3 }, { jobId: 'later', delay: 3_600_000 });
    for (const [state, id] of [
      ['waiting', 'plain'],
      ['prioritized', 'urgent'],
      ['delayed', 'later'],
    ] as const) {
      const page = await getJson<JobPageBody>(app.url, `/api/v1/queues/idle/jobs?state=${state}`);
      expect(
        page.body.jobs.map((job) => [job.id, job.state]),
        state,
      ).to.deep.equal([[id, state]]);
      expect(page.body).to.include({ total: 1, nextCursor: null, state, order: 'newest' });
    }
    for (const state of ['active', 'waiting-children', 'paused', 'completed', 'failed']) {
      const page = await getJson<JobPageBody>(app.url, `/api/v1/queues/idle/jobs?state=${state}`);
      expect(page.body, state).to.include({ total: 0, nextCursor: null });
    }
  });

  it('should list the active jobs a worker holds, a flow parent waiting for its children, and the old paused list', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    harness.closers.unshift(() => {
      release();
    });
    const orders = harness.queue('orders', () => held);
    await orders.addBulk(
      ['a1', 'a2', 'a3'].map((jobId) => ({ name: 'hold', data: {}, opts: { jobId } })),
    );
    const active = await waitFor(
      'the worker to hold three jobs',
      () => getJson<JobPageBody>(app.url, '/api/v1/queues/orders/jobs?state=active'),
      (answer) => answer.body.total === 3,
    );
    expect(active.body.jobs.map((job) => job.id).sort()).to.deep.equal(['a1', 'a2', 'a3']);
    for (const job of active.body.jobs) {
      expect(job.state).to.equal('active');
      expect(job.processedOn).to.be.a('number');
      expect(job.waitTime).to.be.a('number');
      expect(job.processingTime).to.equal(null);
    }
    const flows = new FlowProducer({ connection: { url: redis().url } });
    harness.closers.push(() => flows.close());
    await flows.add({
      name: 'parent',
      queueName: 'idle',
      opts: { jobId: 'parent' },
      children: [{ name: 'child', queueName: 'idle', opts: { jobId: 'child' } }],
    });
    const parents = await getJson<JobPageBody>(
      app.url,
      '/api/v1/queues/idle/jobs?state=waiting-children',
    );
    expect(parents.body.jobs.map((job) => [job.id, job.state])).to.deep.equal([
      ['parent', 'waiting-children'],
    ]);
    // BullMQ before 5 kept a paused queue's jobs in a list of their own.
    await admin.lpush('bull:idle:paused', 'child');
    const paused = await getJson<JobPageBody>(app.url, '/api/v1/queues/idle/jobs?state=paused');
    expect(paused.body.jobs.map((job) => [job.id, job.state])).to.deep.equal([
      ['child', 'waiting'],
    ]);
  });

  it('should keep a name with HTML as text in the JSON', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    const name = '<img src=x onerror=alert(1)>';
    await idle.add(name, {}, { jobId: 'html' });
    const page = await getJson<JobPageBody>(app.url, '/api/v1/queues/idle/jobs?state=waiting');
    expect(page.contentType).to.match(/^application\/json/);
    expect(page.body.jobs[0]?.name).to.equal(name);
  });

  it('should refuse a limit, page, state or cursor out of shape with 400, an unknown queue with 404', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await finishedOrders();
    const list = '/api/v1/queues/orders/jobs?state=failed';
    const first = await getJson<JobPageBody>(app.url, `${list}&limit=5`);
    const cursor = String(first.body.nextCursor);
    const forged = Buffer.from(
      JSON.stringify({ v: 1, k: 'list', s: 'failed', o: 'newest', i: -4, a: null, c: null }),
    ).toString('base64url');
    const badScore = Buffer.from(
      JSON.stringify({ v: 1, k: 'list', s: 'failed', o: 'newest', i: 4, a: 'x', c: '1 +inf' }),
    ).toString('base64url');
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=-5',
      'limit=abc',
      'limit=1.5',
      'page=0',
      'page=-1',
      'page=1e30',
      'page=two',
      `cursor=${cursor}&page=2`,
      'cursor=not-a-cursor',
      'cursor=%7B%7D',
      `cursor=${forged}`,
      `cursor=${badScore}`,
      `cursor=${'A'.repeat(2_000)}`,
    ]) {
      const message = await expectError(app.url, `${list}&${query}`, 400, 'QW_BAD_REQUEST');
      expect(message, query).to.be.a('string').and.not.equal('');
    }
    expect(
      await expectError(
        app.url,
        `/api/v1/queues/orders/jobs?state=completed&cursor=${cursor}`,
        400,
        'QW_BAD_REQUEST',
      ),
    ).to.include('state=failed');
    await expectError(app.url, '/api/v1/queues/orders/jobs', 400, 'QW_BAD_REQUEST');
    await expectError(app.url, '/api/v1/queues/orders/jobs?state=stuck', 400, 'QW_BAD_REQUEST');
    await expectError(app.url, `${list}&order=sideways`, 400, 'QW_BAD_REQUEST');
    await expectError(app.url, '/api/v1/queues/elsewhere/jobs?state=failed', 404, 'QW_NOT_FOUND');
    // Still serving after all that.
    expect((await getJson(app.url, `${list}&cursor=${cursor}`)).status).to.equal(200);
  });

  it('should find a job by id in every watched queue that holds one, with its state', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await finishedOrders();
    const idle = idleQueue();
    await idle.add('same id', {}, { jobId: 'o3' });
    const found = await getJson<JobLocationsBody>(app.url, '/api/v1/jobs?id=o3');
    expect(found.status).to.equal(200);
    expect(found.body.jobId).to.equal('o3');
    expect(
      [...found.body.found].sort((a, b) => a.queueName.localeCompare(b.queueName)),
    ).to.deep.equal([
      { queueName: 'idle', state: 'waiting' },
      { queueName: 'orders', state: 'completed' },
    ]);
    expect(
      (await getJson<JobLocationsBody>(app.url, '/api/v1/jobs?id=o4')).body.found,
    ).to.deep.equal([{ queueName: 'orders', state: 'failed' }]);
    expect(
      (await getJson<JobLocationsBody>(app.url, '/api/v1/jobs?id=*')).body.found,
    ).to.deep.equal([]);
    await expectError(app.url, '/api/v1/jobs', 400, 'QW_BAD_REQUEST');
    await expectError(app.url, '/api/v1/jobs?id=', 400, 'QW_BAD_REQUEST');
    await expectError(app.url, `/api/v1/jobs?id=${'x'.repeat(257)}`, 400, 'QW_BAD_REQUEST');
  });
});
