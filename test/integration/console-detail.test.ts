import { FlowProducer, Queue } from 'bullmq';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { JobDetailBody, JobLogsBody } from '../../src/application/contract/console.js';
import { expectError, getJson } from '../support/console-http.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('job detail and logs (real Redis, real workers, real HTTP)', () => {
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

  function idleQueue(): Queue {
    const idle = new Queue('idle', { connection: { url: redis().url } });
    harness.closers.push(() => idle.close());
    return idle;
  }

  /** `orders`: each job logs three lines; `bad` jobs fail, the others return their data. */
  function orders(): Queue {
    return harness.queue('orders', async (job) => {
      for (const step of ['one', 'two', 'three']) await job.log(`${String(job.id)}: ${step}`);
      await job.updateProgress({ step: 3 });
      if (job.name === 'bad') throw new Error(`attempt ${String(job.attemptsMade + 1)} failed`);
      return { echoed: job.data as unknown };
    });
  }

  it('should show a failed job in full: every stack trace, its logs, its dead-letter records', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const queue = orders();
    await queue.add('bad', { customer: { id: 42 } }, { jobId: 'b1', attempts: 2 });
    await waitFor(
      'b1 to fail twice and both attempts to be kept as dead letters',
      () => getJson<JobDetailBody>(app.url, '/api/v1/queues/orders/jobs/b1/details'),
      (answer) => answer.body.state === 'failed' && answer.body.deadLetters.length === 2,
    );
    const { status, body } = await getJson<JobDetailBody>(
      app.url,
      '/api/v1/queues/orders/jobs/b1/details',
    );
    expect(status).to.equal(200);
    expect(body).to.include({
      id: 'b1',
      queueName: 'orders',
      name: 'bad',
      state: 'failed',
      attemptsMade: 2,
      attemptsAllowed: 2,
      failedReason: 'attempt 2 failed',
      logCount: 6,
      delay: 0,
      priority: 0,
      parent: null,
      returnValue: null,
    });
    expect(body.progress).to.deep.equal({ step: 3 });
    expect(body.stacktraces).to.have.length(2);
    expect(body.stacktraces[0]).to.include('attempt 1 failed');
    expect(body.stacktraces[1]).to.include('attempt 2 failed');
    expect(JSON.parse(body.data.text)).to.deep.equal({ customer: { id: 42 } });
    expect(body.data).to.include({ truncated: false, bytes: body.data.text.length });
    expect(JSON.parse(body.options.text)).to.include({ attempts: 2 });
    expect(body.deadLetters.map((record) => [record.jobId, record.attemptsMade])).to.deep.equal([
      ['b1', 1],
      ['b1', 2],
    ]);
    expect(body.processingTime).to.be.a('number');
    expect(body.children).to.deep.equal([]);
  });

  it('should show what a completed job returned', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const queue = orders();
    await queue.add('good', { n: 7 }, { jobId: 'g1' });
    const { body } = await waitFor(
      'g1 to complete',
      () => getJson<JobDetailBody>(app.url, '/api/v1/queues/orders/jobs/g1/details'),
      (answer) => answer.body.state === 'completed',
    );
    expect(JSON.parse(body.returnValue?.text ?? 'null')).to.deep.equal({ echoed: { n: 7 } });
    expect(body.stacktraces).to.deep.equal([]);
    expect(body.waitTime).to.be.a('number');
  });

  it('should cut 10 MB of data to 64 KB, and show data that is not JSON as it is', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    await idle.add('huge', { blob: 'é'.repeat(5 * 1024 * 1024) }, { jobId: 'huge' });
    const huge = await getJson<JobDetailBody>(app.url, '/api/v1/queues/idle/jobs/huge/details');
    expect(huge.status).to.equal(200);
    expect(huge.body.data.truncated).to.equal(true);
    expect(huge.body.data.bytes).to.equal(
      Buffer.byteLength(JSON.stringify({ blob: 'é'.repeat(5 * 1024 * 1024) })),
    );
    expect(Buffer.byteLength(huge.body.data.text)).to.be.at.most(64 * 1024);
    expect(huge.body.data.text.startsWith('{"blob":"éé')).to.equal(true);
    expect(huge.body.data.text).not.to.include('\uFFFD');

    await idle.add('raw', {}, { jobId: 'raw' });
    await admin.hset('bull:idle:raw', 'data', '<script>alert(1)</script> not json');
    const raw = await getJson<JobDetailBody>(app.url, '/api/v1/queues/idle/jobs/raw/details');
    expect(raw.body.data).to.deep.equal({
      text: '<script>alert(1)</script> not json',
      bytes: 34,
      truncated: false,
    });
  });

  it('should show a flow: the parent with its children, a child with its parent, each in its state', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const flows = new FlowProducer({ connection: { url: redis().url } });
    harness.closers.push(() => flows.close());
    await flows.add({
      name: 'ship',
      queueName: 'idle',
      opts: { jobId: 'parent' },
      children: [
        { name: 'pick', queueName: 'idle', opts: { jobId: 'pick' } },
        { name: 'pack', queueName: 'idle', opts: { jobId: 'pack', delay: 3_600_000 } },
      ],
    });
    const parent = await getJson<JobDetailBody>(app.url, '/api/v1/queues/idle/jobs/parent/details');
    expect(parent.body.state).to.equal('waiting-children');
    expect([...parent.body.children].sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([
      { queueName: 'idle', id: 'pack', name: 'pack', state: 'delayed', children: [] },
      { queueName: 'idle', id: 'pick', name: 'pick', state: 'waiting', children: [] },
    ]);
    const child = await getJson<JobDetailBody>(app.url, '/api/v1/queues/idle/jobs/pick/details');
    expect(child.body.parent).to.deep.equal({
      queueName: 'idle',
      id: 'parent',
      name: 'ship',
      state: 'waiting-children',
      children: [],
    });
  });

  it('should page through the log lines', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const queue = orders();
    await queue.add('good', {}, { jobId: 'logged' });
    await waitFor(
      'the job to complete',
      async () => queue.getJobState('logged'),
      (state) => state === 'completed',
    );
    const all = await getJson<JobLogsBody>(app.url, '/api/v1/queues/orders/jobs/logged/logs');
    expect(all.body).to.deep.equal({
      lines: ['logged: one', 'logged: two', 'logged: three'],
      offset: 0,
      total: 3,
    });
    const page = await getJson<JobLogsBody>(
      app.url,
      '/api/v1/queues/orders/jobs/logged/logs?offset=1&limit=1',
    );
    expect(page.body).to.deep.equal({ lines: ['logged: two'], offset: 1, total: 3 });
    const after = await getJson<JobLogsBody>(
      app.url,
      '/api/v1/queues/orders/jobs/logged/logs?offset=9',
    );
    expect(after.body).to.deep.equal({ lines: [], offset: 9, total: 3 });
  });

  it('should answer 404 for a job or queue it does not know, 400 for a bad offset or limit', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = idleQueue();
    await idle.add('x', {}, { jobId: 'x' });
    await expectError(app.url, '/api/v1/queues/idle/jobs/nothing/details', 404, 'QW_NOT_FOUND');
    await expectError(app.url, '/api/v1/queues/elsewhere/jobs/x/details', 404, 'QW_NOT_FOUND');
    await expectError(app.url, '/api/v1/queues/idle/jobs/nothing/logs', 404, 'QW_NOT_FOUND');
    await expectError(app.url, '/api/v1/queues/elsewhere/jobs/x/logs', 404, 'QW_NOT_FOUND');
    await expectError(app.url, '/api/v1/queues/id:le/jobs/x/details', 400, 'QW_BAD_REQUEST');
    for (const query of [
      'offset=-1',
      'offset=abc',
      'offset=1e12',
      'limit=0',
      'limit=1001',
      'limit=2.5',
    ]) {
      await expectError(app.url, `/api/v1/queues/idle/jobs/x/logs?${query}`, 400, 'QW_BAD_REQUEST');
    }
  });
});
