import { Queue, UnrecoverableError } from 'bullmq';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { JobPageBody, JobSearchBody } from '../../src/application/contract/console.js';
import { expectError, getJson } from '../support/console-http.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const search = '/api/v1/queues/idle/search?state=waiting';

describe('search by name and data: a bounded scan (real Redis, real workers, real HTTP)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'orders,idle' });
  let admin: Redis;
  let idle: Queue;

  beforeEach(async () => {
    admin = new Redis(redis().url);
    await admin.flushall();
    harness.closers.push(() => {
      admin.disconnect();
    });
    idle = new Queue('idle', { connection: { url: redis().url } });
    harness.closers.push(() => idle.close());
  });

  /** 1,200 waiting jobs: `Email-<i>` for even i, `sms-<i>` for odd, data `{ customer: { id: i } }`. */
  async function manyWaiting(): Promise<void> {
    const jobs = Array.from({ length: 1_200 }, (_, i) => ({
      name: i % 2 === 0 ? `Email-${String(i)}` : `sms-${String(i)}`,
      data: { customer: { id: i, tier: i % 100 === 0 ? 'gold' : 'plain' } },
      opts: { jobId: `j${String(i)}` },
    }));
    for (let start = 0; start < jobs.length; start += 300) {
      await idle.addBulk(jobs.slice(start, start + 300));
    }
  }

  /** Every answer of a search, following its cursor. */
  async function scanAll(url: string, first: string): Promise<JobSearchBody[]> {
    const answers: JobSearchBody[] = [];
    let path: string | null = first;
    while (path !== null) {
      const answer: { status: number; body: JobSearchBody } = await getJson<JobSearchBody>(
        url,
        path,
      );
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      answers.push(answer.body);
      const cursor: string | null = answer.body.cursor;
      path = cursor === null ? null : `${first}&cursor=${cursor}`;
    }
    return answers;
  }

  it('should stop at the scan limit, say how far it got, and continue from its cursor', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await manyWaiting();
    const answers = await scanAll(app.url, `${search}&path=customer.tier&value=gold&scanLimit=500`);
    expect(answers.map((answer) => [answer.scanned, answer.total])).to.deep.equal([
      [500, 1_200],
      [500, 1_200],
      [200, 1_200],
    ]);
    expect(answers.at(-1)?.cursor).to.equal(null);
    const found = answers.flatMap((answer) => answer.jobs.map((job) => job.id));
    expect([...found].sort()).to.deep.equal(
      Array.from({ length: 12 }, (_, k) => `j${String(k * 100)}`).sort(),
    );
  });

  it('should stop once `limit` jobs matched, and continue right after the last one', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await manyWaiting();
    const answers = await scanAll(app.url, `${search}&name=email&limit=100&scanLimit=100000`);
    expect(answers.map((answer) => answer.jobs.length)).to.deep.equal([
      100, 100, 100, 100, 100, 100,
    ]);
    const names = answers.flatMap((answer) => answer.jobs.map((job) => job.name));
    expect(new Set(names).size).to.equal(600);
    expect(names.every((name) => name.startsWith('Email-'))).to.equal(true);
    // Newest first, every other job is an email: the 100th is the 200th job.
    expect(answers[0]?.scanned).to.equal(200);
  });

  it('should match by value at a path, a number or its text, and by a piece of the data', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await manyWaiting();
    const byNumber = await getJson<JobSearchBody>(app.url, `${search}&path=customer.id&value=42`);
    expect(byNumber.body.jobs.map((job) => job.id)).to.deep.equal(['j42']);
    expect(byNumber.body).to.include({ scanned: 1_200, total: 1_200, cursor: null });
    const byText = await getJson<JobSearchBody>(
      app.url,
      `${search}&data=${encodeURIComponent('"id":1199,')}`,
    );
    expect(byText.body.jobs.map((job) => job.id)).to.deep.equal(['j1199']);
    const missing = await getJson<JobSearchBody>(
      app.url,
      `${search}&path=customer.nothing&value=1`,
    );
    expect(missing.body.jobs).to.deep.equal([]);
  });

  it('should take glob and Lua metacharacters as plain text, and search data that is not JSON', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await idle.add('plain', { note: 'nothing special' }, { jobId: 'plain' });
    await idle.add('glob', { note: 'a*b?[c]%d.e' }, { jobId: 'glob' });
    await idle.add('raw', {}, { jobId: 'raw' });
    await admin.hset('bull:idle:raw', 'data', 'raw text, not JSON: [x] * %s');
    const ids = async (query: string) =>
      (await getJson<JobSearchBody>(app.url, `${search}&${query}`)).body.jobs
        .map((job) => job.id)
        .sort();
    expect(await ids(`data=${encodeURIComponent('*')}`)).to.deep.equal(['glob', 'raw']);
    expect(await ids(`data=${encodeURIComponent('a*b?[c]%d.e')}`)).to.deep.equal(['glob']);
    expect(await ids(`data=${encodeURIComponent('.')}`)).to.deep.equal(['glob']);
    expect(await ids(`data=${encodeURIComponent('%s')}`)).to.deep.equal(['raw']);
    expect(await ids(`data=${encodeURIComponent('[x]')}`)).to.deep.equal(['raw']);
    expect(await ids(`name=${encodeURIComponent('?')}`)).to.deep.equal([]);
    expect(await ids(`path=note&value=${encodeURIComponent('a*b?[c]%d.e')}`)).to.deep.equal([
      'glob',
    ]);
    expect(await ids('path=note&value=*')).to.deep.equal([]);
  });

  it('should search failed jobs by their data as the worker failed them', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const orders = harness.queue('orders', (job) =>
      Promise.reject(new UnrecoverableError(`declined ${String(job.id)}`)),
    );
    await orders.addBulk(
      Array.from({ length: 20 }, (_, i) => ({
        name: 'pay',
        data: { card: i === 13 ? '4000-0000-0000-0002' : `4242-${String(i)}` },
        opts: { jobId: `p${String(i)}` },
      })),
    );
    await waitFor(
      'the 20 jobs to fail',
      () => orders.getFailedCount(),
      (count) => count === 20,
    );
    const answer = await getJson<JobSearchBody>(
      app.url,
      '/api/v1/queues/orders/search?state=failed&data=0000-0002',
    );
    expect(answer.body.jobs.map((job) => [job.id, job.state, job.failedReason])).to.deep.equal([
      ['p13', 'failed', 'declined p13'],
    ]);
    expect(answer.body).to.include({ scanned: 20, total: 20, cursor: null });
  });

  it('should refuse a search without criteria, limits out of range or a cursor of another read with 400', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    await manyWaiting();
    const list = await getJson<JobPageBody>(
      app.url,
      '/api/v1/queues/idle/jobs?state=waiting&limit=5',
    );
    for (const query of [
      '',
      'path=customer.id',
      'value=3',
      'name=',
      `name=${'x'.repeat(1_001)}`,
      'name=a&scanLimit=0',
      'name=a&scanLimit=100001',
      'name=a&scanLimit=lots',
      'name=a&limit=0',
      'name=a&limit=101',
      'name=a&cursor=@@@',
      `name=a&cursor=${String(list.body.nextCursor)}`,
    ]) {
      await expectError(app.url, `${search}&${query}`, 400, 'QW_BAD_REQUEST');
    }
    await expectError(app.url, '/api/v1/queues/idle/search?name=a', 400, 'QW_BAD_REQUEST');
    await expectError(
      app.url,
      '/api/v1/queues/elsewhere/search?state=waiting&name=a',
      404,
      'QW_NOT_FOUND',
    );
  });
});
