import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { PrometheusServer, promtoolCheckMetrics } from '../support/prometheus-server.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

async function scrape(instance: QueuewatchProcess): Promise<string> {
  const response = await fetch(`${instance.url}/metrics`);
  expect(response.status).to.equal(200);
  return response.text();
}

/** The value of one series in a scrape, or `null` when it is not there. */
function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('/metrics (real Queuewatch, real Redis, real workers, promtool and a real Prometheus)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let queuewatch: QueuewatchProcess;

  before(async () => {
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
    queuewatch = await startQueuewatchProcess({
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'orders,emails',
      QUEUEWATCH_INSTANCE_ID: 'metrics',
    });
    closers.push(() => queuewatch.stop());
    const connection = { url: redis().url };
    // `emails`: 5 jobs run by a real worker, 2 of them failing for good.
    const emails = new Queue('emails', { connection });
    const worker = new Worker(
      'emails',
      (job: Job<{ fail: boolean }>) =>
        job.data.fail ? Promise.reject(new Error('bounced')) : Promise.resolve('sent'),
      { connection },
    );
    closers.push(
      () => emails.close(),
      () => worker.close(true),
    );
    await emails.addBulk(
      [false, true, false, true, false].map((fail, index) => ({
        name: 'email',
        data: { fail },
        opts: { jobId: `e${String(index)}` },
      })),
    );
    // `orders`: 7 jobs that nobody takes.
    const orders = new Queue('orders', { connection });
    closers.push(() => orders.close());
    await orders.addBulk(Array.from({ length: 7 }, () => ({ name: 'order', data: {} })));
  });
  after(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("should count each queue's jobs by state, and what its workers did", async () => {
    const text = await waitFor(
      'the history to count the emails',
      () => scrape(queuewatch),
      (seen) =>
        valueOf(seen, 'queuewatch_queue_jobs_completed_total{queue="emails"}') === 3 &&
        valueOf(seen, 'queuewatch_queue_jobs_failed_total{queue="emails"}') === 2,
    );
    expect(valueOf(text, 'queuewatch_queue_jobs{queue="orders",state="waiting"}')).to.equal(7);
    expect(valueOf(text, 'queuewatch_queue_jobs{queue="emails",state="completed"}')).to.equal(3);
    expect(valueOf(text, 'queuewatch_queue_jobs{queue="emails",state="failed"}')).to.equal(2);
    expect(valueOf(text, 'queuewatch_queue_jobs_added_total{queue="emails"}')).to.equal(5);
    expect(valueOf(text, 'queuewatch_queue_processing_seconds_count{queue="emails"}')).to.equal(3);
    expect(
      valueOf(text, 'queuewatch_queue_processing_seconds_bucket{queue="emails",le="+Inf"}'),
    ).to.equal(3);
    expect(valueOf(text, 'queuewatch_queue_workers{queue="emails"}')).to.equal(1);
    expect(valueOf(text, 'queuewatch_queue_workers{queue="orders"}')).to.equal(0);
    expect(valueOf(text, 'queuewatch_queue_backlog_jobs{queue="orders"}')).to.equal(7);
    // Nobody serves orders: a backlog with no worker does not drain.
    expect(valueOf(text, 'queuewatch_queue_drain_seconds{queue="orders"}')).to.equal(null);
    expect(
      valueOf(text, 'queuewatch_queue_oldest_waiting_age_seconds{queue="orders"}'),
    ).to.be.above(0);
    expect(text).to.not.match(/jobId|job_id/);
  });

  it('should count the events it read and their lag, its socket clients and what it sent them', async () => {
    const socket = io(`${queuewatch.url}/job-progress`, { transports: ['websocket'] });
    closers.push(() => socket.close());
    const completed: string[] = [];
    socket.on('job-completed', (payload: { jobId: string }) => completed.push(payload.jobId));
    await socket.timeout(5_000).emitWithAck('subscribe-to-queue', { queueName: 'emails' });
    const emails = new Queue('emails', { connection: { url: redis().url } });
    closers.push(() => emails.close());
    await emails.add('email', { fail: false }, { jobId: 'watched' });
    await waitFor(
      'the completion over the socket',
      () => Promise.resolve(completed),
      (seen) => seen.includes('watched'),
    );
    const text = await scrape(queuewatch);
    expect(valueOf(text, 'queuewatch_socket_clients{protocol="per-event"}')).to.equal(1);
    expect(valueOf(text, 'queuewatch_socket_clients{protocol="batched"}')).to.equal(0);
    expect(
      valueOf(text, 'queuewatch_socket_deliveries_total{protocol="per-event"}'),
    ).to.be.at.least(completed.length);
    expect(valueOf(text, 'queuewatch_socket_slow_clients')).to.equal(0);
    // Every event read is counted once, with its lag: the two agree.
    const read = ['emails', 'orders'].reduce(
      (sum, queue) => sum + (valueOf(text, `queuewatch_events_read_total{queue="${queue}"}`) ?? 0),
      0,
    );
    // 6 emails: each started (active) and completed or failed at least.
    expect(read).to.be.at.least(12);
    expect(valueOf(text, 'queuewatch_event_reader_lag_seconds_count')).to.equal(read);
    expect(valueOf(text, 'queuewatch_event_reader_lag_seconds_bucket{le="+Inf"}')).to.equal(read);
  });

  it('should pass promtool check metrics', async () => {
    const { status, output } = promtoolCheckMetrics(await scrape(queuewatch));
    expect(output).to.equal('');
    expect(status).to.equal(0);
  });

  it('should serve every metric the Grafana dashboard in docs/grafana/ uses', async () => {
    const dashboard = await readFile('docs/grafana/queuewatch.json', 'utf8');
    const used = new Set(
      [...dashboard.matchAll(/queuewatch_[a-z_]+/g)].map(([name]) =>
        name.replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect(used.size).to.be.at.least(10);
    const served = new Set(
      [...(await scrape(queuewatch)).matchAll(/^# TYPE (\S+)/gm)].map(([, name]) => name),
    );
    expect([...used].filter((name) => !served.has(name))).to.deep.equal([]);
  });

  it("should let a real Prometheus scrape it and answer a queue's waiting jobs", async function () {
    this.timeout(60_000);
    const prometheus = await PrometheusServer.start(new URL(queuewatch.url).host);
    closers.push(() => prometheus.stop());
    const result = await waitFor(
      'Prometheus to have scraped the waiting orders',
      () => prometheus.query('queuewatch_queue_jobs{queue="orders",state="waiting"}'),
      (series) => series.length === 1,
      30_000,
    );
    expect(result[0]?.value).to.equal(7);
    expect(result[0]?.metric).to.include({ job: 'queuewatch', queue: 'orders', state: 'waiting' });
  });
});
