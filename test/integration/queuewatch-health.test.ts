import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { rawRequest } from '../support/raw-http.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

async function health(app: RunningQueuewatch): Promise<{ status: number; body: HealthReportBody }> {
  const response = await fetch(`${app.url}/api/v1/health/queues`);
  return { status: response.status, body: (await response.json()) as HealthReportBody };
}

describe('Queuewatch health (real Redis, real BullMQ, real HTTP)', () => {
  const redis = useRedisServer();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(
    env: Record<string, string>,
    logger = new RecordingLogger(),
  ): Promise<RunningQueuewatch> {
    // Reports are read anew and in full on every request here (some tests change Redis behind
    // BullMQ's back), so each assertion sees the latest state.
    const app = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis().url,
        PORT: '0',
        QUEUEWATCH_HEALTH_CACHE_MS: '0',
        QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '0',
        ...env,
      }),
      { logger },
    );
    closers.push(() => app.stop());
    return app;
  }

  function queueWithWorker(name: string): Queue {
    const queue = new Queue(name, { connection: { url: redis().url } });
    const worker = new Worker(name, () => Promise.resolve('done'), {
      connection: { url: redis().url },
    });
    // Forced: a graceful close hangs while BullMQ is still reconnecting after a Redis restart.
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    return queue;
  }

  it('should discover queues, report them healthy, and turn 503 while one is paused', async () => {
    const queue = queueWithWorker('discovered');
    await queue.add('job', {});
    const app = await start({ QUEUEWATCH_DISCOVERY_INTERVAL_MS: '100' });

    const healthy = await waitFor(
      'the queue to be discovered and healthy',
      () => health(app),
      (reply) =>
        reply.body.queues.some(
          (entry) => entry.queueName === 'discovered' && entry.status === 'healthy',
        ),
    );
    expect(healthy.status).to.equal(200);
    expect(healthy.body.redis).to.include({ status: 'healthy', connectionStatus: 'connected' });

    await queue.pause();
    const paused = await health(app);
    expect(paused.status).to.equal(503);
    expect(paused.body.status).to.equal('unhealthy');
    expect(paused.body.issues.map((issue) => `${issue.source}:${issue.code}`)).to.include(
      'discovered:QUEUE_PAUSED',
    );

    await queue.resume();
    expect((await health(app)).status).to.equal(200);
  });

  it('should pick up a queue created after start without a restart', async () => {
    const app = await start({ QUEUEWATCH_DISCOVERY_INTERVAL_MS: '100' });
    await queueWithWorker('late').add('job', {});
    const reply = await waitFor(
      'the late queue to appear',
      () => health(app),
      (seen) => seen.body.queues.some((entry) => entry.queueName === 'late'),
    );
    expect(reply.body.summary.totalQueues).to.be.at.least(1);
  });

  it('should tag a report by its bytes: the same report keeps its ETag and answers 304 to it, a new one gets another', async () => {
    // A report is served again for a minute here, so both reads get the same one.
    const app = await start({ QUEUEWATCH_HEALTH_CACHE_MS: '60000', QUEUEWATCH_QUEUES: 'tagged' });
    const first = await fetch(`${app.url}/api/v1/health/report`);
    const firstText = await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).to.match(/^W\/"[0-9a-f]+-[\w-]+"$/);
    expect(Number.parseInt(etag.slice(3), 16)).to.equal(Buffer.byteLength(firstText));
    expect(first.headers.get('content-type')).to.match(/^application\/json/);
    expect((JSON.parse(firstText) as HealthReportBody).queues[0]?.queueName).to.equal('tagged');

    const again = await fetch(`${app.url}/api/v1/health/queues`);
    expect(again.headers.get('etag')).to.equal(etag);
    expect(await again.text()).to.equal(firstText);
    const unchanged = await fetch(`${app.url}/api/v1/health/report`, {
      // fetch would add `Cache-Control: no-cache` (forcing a full answer) unless one is given.
      headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' },
    });
    expect(unchanged.status).to.equal(304);
    expect(await unchanged.text()).to.equal('');

    // A report read anew (another timestamp) is another body, with another tag.
    const fresh = await start({ QUEUEWATCH_QUEUES: 'tagged' });
    const other = await fetch(`${fresh.url}/api/v1/health/report`);
    const otherText = await other.text();
    expect(otherText).to.not.equal(firstText);
    expect(other.headers.get('etag')).to.not.equal(etag);
  });

  it('should gzip a report for a client that accepts it: the same bytes unzipped, one ETag, 304 to it; others get it as is', async () => {
    const app = await start({
      QUEUEWATCH_HEALTH_CACHE_MS: '60000',
      QUEUEWATCH_QUEUES: Array.from({ length: 20 }, (_, index) => `zipped-${String(index)}`).join(
        ',',
      ),
    });
    const url = `${app.url}/api/v1/health/report`;
    const plain = await rawRequest(url);
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.headers.vary).to.match(/Accept-Encoding/i);
    expect((plain.json as HealthReportBody).queues).to.have.length(20);
    const etag = plain.headers.etag ?? '';

    for (const accept of ['gzip', 'br, gzip;q=0.8, deflate', '*']) {
      const zipped = await rawRequest(url, { headers: { 'Accept-Encoding': accept } });
      expect(zipped.status, accept).to.equal(200);
      expect(zipped.headers['content-encoding'], accept).to.equal('gzip');
      expect(zipped.headers.vary, accept).to.match(/Accept-Encoding/i);
      expect(zipped.headers.etag, accept).to.equal(etag);
      expect(Number(zipped.headers['content-length']), accept).to.equal(zipped.bytes.length);
      expect(zipped.bytes.length, accept).to.be.below(plain.bytes.length);
      expect(gunzipSync(zipped.bytes).equals(plain.bytes), accept).to.equal(true);
    }
    for (const accept of ['identity', 'gzip;q=0, identity', 'br']) {
      const asIs = await rawRequest(url, { headers: { 'Accept-Encoding': accept } });
      expect(asIs.headers['content-encoding'], accept).to.equal(undefined);
      expect(asIs.bytes.equals(plain.bytes), accept).to.equal(true);
    }
    const unchanged = await rawRequest(url, {
      headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag },
    });
    expect(unchanged.status).to.equal(304);
    expect(unchanged.bytes.length).to.equal(0);
    // The other route serves the same report the same way.
    const queues = await rawRequest(`${app.url}/api/v1/health/queues`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(queues.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(queues.bytes).equals(plain.bytes)).to.equal(true);
  });

  it('should report Redis going away as unhealthy, stay up, and recover on its own', async function () {
    this.timeout(60_000);
    queueWithWorker('outage');
    const logger = new RecordingLogger();
    const app = await start({ QUEUEWATCH_QUEUES: 'outage' }, logger);
    expect((await health(app)).status).to.equal(200);

    await redis().stop();
    const down = await waitFor(
      'Redis to be reported unreachable',
      () => health(app),
      (reply) => reply.status === 503,
    );
    expect(down.body.redis.connectionStatus).to.not.equal('connected');
    expect(down.body.redis.issues[0]?.code).to.equal('REDIS_UNREACHABLE');
    expect(down.body.queues[0]).to.include({
      queueName: 'outage',
      status: 'unhealthy',
      stats: null,
    });
    expect((await fetch(`${app.url}/livez`)).status).to.equal(200);
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(503);

    await redis().start();
    const back = await waitFor(
      'health to recover',
      () => health(app),
      (reply) => reply.status === 200,
      30_000,
    );
    expect(back.body.redis.connectionStatus).to.equal('connected');
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
    expect(logger.lines.map((line) => line.message)).to.include.members([
      'Redis connection lost; reconnecting',
      'Redis connection restored',
    ]);
  });

  it('should guard the API with the token and keep the probes open', async () => {
    const token = 'integration-token-0123456789';
    const app = await start({ QUEUEWATCH_API_TOKEN: token, QUEUEWATCH_QUEUES: 'x' });
    expect((await fetch(`${app.url}/api/v1/queues`)).status).to.equal(401);
    const listed = await fetch(`${app.url}/api/v1/queues`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(listed.status).to.equal(200);
    expect(await listed.json()).to.have.nested.property('queues[0].name', 'x');
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
  });

  it('should average processing times kept from completion events after the first check', async function () {
    this.timeout(30_000);
    const queue = queueWithWorker('timed');
    const app = await start({ QUEUEWATCH_QUEUES: 'timed' });
    // The first check finds no completed job: nothing to average, and none is read again.
    expect((await health(app)).body.queues[0]?.details?.avgProcessingTime).to.equal(null);

    await queue.add('job', {});
    const reply = await waitFor(
      'the completion to reach the average through its event',
      () => health(app),
      (answer) => typeof answer.body.queues[0]?.details?.avgProcessingTime === 'number',
    );
    expect(reply.body.queues[0]?.details?.avgProcessingTime).to.be.at.least(0);
  });

  describe('cost', () => {
    /**
     * The commands Queuewatch's command connection sends for one health check, seen through
     * `redis-cli MONITOR` (the event reader's and pub/sub connections are other clients, left out),
     * and the commands its script runs inside Redis on the keys of `queueName` (`lua:<command>`).
     */
    async function commandsOfOneCheck(
      app: RunningQueuewatch,
      connection: Redis,
      queueName: string,
    ): Promise<Record<string, number>> {
      const clients = String(await connection.client('LIST')).split('\n');
      const address = /addr=(\S+)/.exec(
        clients.find((line) => line.includes(' name=queuewatch ')) ?? '',
      )?.[1];
      expect(address, 'the queuewatch connection in CLIENT LIST').to.be.a('string');
      const monitor = spawn('redis-cli', ['-p', String(redis().port), 'monitor'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const seen: Record<string, number> = {};
      const count = (name: string): void => {
        seen[name] = (seen[name] ?? 0) + 1;
      };
      const marker = `end-of-check-${String(Date.now())}`;
      let buffered = '';
      let resolveMarker: () => void = () => undefined;
      const markerSeen = new Promise<void>((resolve) => (resolveMarker = resolve));
      let resolveStarted: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (resolveStarted = resolve));
      monitor.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() === 'OK') resolveStarted();
          const match = /^[\d.]+ \[\d+ (\S+)\] "([^"]+)"(?: "([^"]*)")?/.exec(line);
          if (!match) continue;
          const [, source, command = '', first = ''] = match;
          // The event reader saves its checkpoint on the same connection as it moves on: not the
          // health check's.
          const checkpoint = first.startsWith('queuewatch:checkpoints:');
          if (source === address && !checkpoint) count(command.toLowerCase());
          if (source === 'lua' && first.startsWith(`bull:${queueName}:`)) {
            count(`lua:${command.toLowerCase()}`);
          }
          if (command.toLowerCase() === 'echo' && first === marker) resolveMarker();
        }
      });
      try {
        await started;
        expect((await health(app)).status).to.be.oneOf([200, 503]);
        await connection.echo(marker);
        await markerSeen;
      } finally {
        monitor.kill();
      }
      return seen;
    }

    /** `count` completed jobs in BullMQ's layout, finished one second apart, 20 ms each. */
    async function addCompleted(connection: Redis, queueName: string, count: number, from = 0) {
      for (let start = from; start < from + count; start += 5_000) {
        const write = connection.pipeline();
        for (let id = start; id < Math.min(start + 5_000, from + count); id += 1) {
          const finishedOn = Date.now() - 3_600_000 + id;
          write.zadd(`bull:${queueName}:completed`, finishedOn, `c${String(id)}`);
          write.hset(
            `bull:${queueName}:c${String(id)}`,
            'processedOn',
            finishedOn - 20,
            'finishedOn',
            finishedOn,
          );
        }
        await write.exec();
      }
    }

    it('should send the same Redis commands whether a queue holds 1,000 or 50,000 jobs, and never KEYS or SCAN', async function () {
      this.timeout(60_000);
      const queue = new Queue('big', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      const connection = new Redis(redis().url);
      closers.push(() => connection.quit());
      await queue.addBulk(
        Array.from({ length: 10 }, (_, index) => ({ name: `j${String(index)}`, data: {} })),
      );
      await addCompleted(connection, 'big', 990);
      // The history's own script (each second, on the same connection) is not the health check's.
      const dir = await mkdtemp(join(tmpdir(), 'qw-health-cost-'));
      closers.push(() => rm(dir, { recursive: true, force: true }));
      const configPath = join(dir, 'queuewatch.json');
      await writeFile(configPath, JSON.stringify({ history: { enabled: false } }));
      const app = await start({ QUEUEWATCH_QUEUES: 'big', QUEUEWATCH_CONFIG: configPath });
      // The first use of the script on a connection sends it whole (EVAL); EVALSHA after.
      await health(app);

      const small = await commandsOfOneCheck(app, connection, 'big');
      for (let batch = 0; batch < 5; batch += 1) {
        await queue.addBulk(
          Array.from({ length: 998 }, (_, index) => ({ name: `k${String(index)}`, data: {} })),
        );
      }
      await addCompleted(connection, 'big', 44_010, 990);
      expect(await connection.zcard('bull:big:completed')).to.equal(45_000);
      const large = await commandsOfOneCheck(app, connection, 'big');

      expect(large).to.deep.equal(small);
      expect(small).to.include({ evalsha: 1, ping: 1, info: 1 });
      expect(small).to.include({ 'lua:zcount': 2, 'lua:hexists': 1 });
      // The processing times were read by the first check; completions keep them from then on.
      expect(small).to.not.have.property('lua:hmget');
      expect(large).to.not.have.any.keys('keys', 'scan', 'lua:keys', 'lua:scan');
    });

    it('having the default quiet refresh, should not read a quiet queue again until a job event says it changed', async function () {
      this.timeout(30_000);
      const queue = new Queue('quiet', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      const connection = new Redis(redis().url);
      closers.push(() => connection.quit());
      await queue.add('first', {});
      const app = await start({
        QUEUEWATCH_QUEUES: 'quiet',
        QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '600000',
      });
      expect((await health(app)).body.queues[0]?.stats?.waiting).to.equal(1);

      const quiet = await commandsOfOneCheck(app, connection, 'quiet');
      expect(quiet).to.not.have.any.keys('evalsha', 'eval');
      expect(quiet).to.include({ ping: 1, info: 1 });

      await queue.add('second', {});
      await waitFor(
        'the new job to be seen through its event',
        () => health(app),
        (reply) => reply.body.queues[0]?.stats?.waiting === 2,
      );
    });
  });
});
