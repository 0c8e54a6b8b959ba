import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { paymentsQueue } from '../support/payments-queue.js';
import {
  startExpectingExit,
  startQueuewatchProcess,
  type QueuewatchProcess,
} from '../support/queuewatch-process.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates.js';
import { waitFor } from '../support/wait-for.js';

describe('Queuewatch on a TLS Redis (real redis-server serving TLS only, certificates made by openssl)', () => {
  let certificates: TestCertificates;
  let server: RedisServerProcess;
  let dir: string;
  let receiver: HttpReceiver;
  const closers: (() => unknown)[] = [];

  /** What a client of this Redis needs: the test CA, and a client certificate Redis asks for. */
  const tlsOf = (): { ca: string; cert: string; key: string } => ({
    ca: readFileSync(certificates.caFile, 'utf8'),
    cert: readFileSync(certificates.clientCertFile, 'utf8'),
    key: readFileSync(certificates.clientKeyFile, 'utf8'),
  });
  const connection = (): ConnectionOptions => ({ url: server.url, tls: tlsOf() });

  before(async function () {
    this.timeout(30_000);
    certificates = await makeTestCertificates();
    server = await RedisServerProcess.launch({
      tls: {
        certFile: certificates.serverCertFile,
        keyFile: certificates.serverKeyFile,
        caFile: certificates.caFile,
        authClients: true,
      },
    });
  });
  after(async () => {
    await server.dispose();
    await certificates.dispose();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-tls-run-'));
    receiver = await HttpReceiver.start();
    const admin = new Redis(server.url, { tls: tlsOf() });
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function configFile(): Promise<string> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        alerts: {
          failureThreshold: { count: 3, windowMs: 60_000 },
          evaluateIntervalMs: 200,
          route: { groupWaitMs: 0, groupIntervalMs: 200 },
          destinations: [{ name: 'ops', type: 'slack', url: `${receiver.url}/services/x` }],
        },
      }),
    );
    return path;
  }

  async function start(env: Record<string, string>): Promise<QueuewatchProcess> {
    const started = await startQueuewatchProcess({
      REDIS_URL: server.url,
      QUEUEWATCH_QUEUES: 'payments',
      QUEUEWATCH_CONFIG: await configFile(),
      ...env,
    });
    closers.push(() => started.stop());
    return started;
  }

  const clientCertificate = (): Record<string, string> => ({
    REDIS_TLS_CERT_FILE: certificates.clientCertFile,
    REDIS_TLS_KEY_FILE: certificates.clientKeyFile,
  });

  it('should watch a queue over TLS with a client certificate: events, health, dead letters, and an alert sent by its own workers', async function () {
    this.timeout(60_000);
    const queuewatch = await start({
      REDIS_TLS_CA_FILE: certificates.caFile,
      ...clientCertificate(),
    });
    const queue = paymentsQueue(connection(), closers);
    await queue.addBulk(
      ['a', 'b', 'c'].map((id) => ({ name: 'bad', data: {}, opts: { jobId: id } })),
    );
    // Every failure read from the event stream and kept; the alert went through the group flush
    // worker and the outbox worker, each on a TLS connection of its own.
    const stats = await waitFor(
      'three dead-letter records',
      async () =>
        (await (
          await fetch(`${queuewatch.url}/api/v1/jobs/failed/stats`)
        ).json()) as FailedJobStatsBody,
      (body) => body.deadLetterQueue.size === 3,
      20_000,
    );
    expect(stats.monitoredQueues[0]?.window.failed).to.equal(3);
    await receiver.received(1);
    expect((JSON.parse(receiver.requests[0]?.body ?? '{}') as { text?: string }).text).to.contain(
      'High Failure Rate Detected',
    );
    const response = await fetch(`${queuewatch.url}/api/v1/health/queues`);
    const report = (await response.json()) as HealthReportBody;
    expect(report.redis.connectionStatus).to.equal('connected');
    expect(report.redis.responseTime).to.be.a('number');
    expect(report.queues.map((queue) => queue.queueName)).to.deep.equal(['payments']);
  });

  it('should report Redis unhealthy with the certificate problem, not hang, when its CA does not trust the server', async function () {
    this.timeout(30_000);
    const queuewatch = await start({
      REDIS_TLS_CA_FILE: certificates.otherCaFile,
      ...clientCertificate(),
    });
    const response = await fetch(`${queuewatch.url}/api/v1/health/queues`, {
      signal: AbortSignal.timeout(10_000),
    });
    const report = (await response.json()) as HealthReportBody;
    expect(response.status).to.equal(503);
    expect(report.redis.status).to.equal('unhealthy');
    expect(JSON.stringify(report.redis.issues)).to.match(/certificate/i);
  });

  it('should report the refusal when Redis asks for a client certificate and none is given', async function () {
    this.timeout(30_000);
    const queuewatch = await start({ REDIS_TLS_CA_FILE: certificates.caFile });
    const response = await fetch(`${queuewatch.url}/api/v1/health/queues`, {
      signal: AbortSignal.timeout(10_000),
    });
    const report = (await response.json()) as HealthReportBody;
    expect(response.status).to.equal(503);
    expect(report.redis.status).to.equal('unhealthy');
    expect(report.redis.connectionStatus).to.not.equal('connected');
  });

  /** Start Queuewatch with `env`, expecting it not to: its exit code and stderr. */
  async function failedStart(
    env: Record<string, string>,
  ): Promise<{ code: number | null; stderr: string }> {
    return startExpectingExit(env);
  }

  for (const [what, env, message] of [
    [
      'a CA file that cannot be read',
      { REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' },
      'queuewatch: REDIS_TLS_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
    ],
    [
      'a certificate without its key',
      { REDIS_TLS_CERT_FILE: '/nonexistent/client.pem' },
      'queuewatch: REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE: a client certificate needs its key; set both or neither',
    ],
  ] as const) {
    it(`should exit 2 with one line naming the setting, for ${what}`, async function () {
      this.timeout(20_000);
      expect(await failedStart({ REDIS_URL: server.url, ...env })).to.deep.equal({
        code: 2,
        stderr: `${message}\n`,
      });
    });
  }

  it('should refuse TLS files for a redis:// URL, naming them', async function () {
    this.timeout(20_000);
    const { code, stderr } = await failedStart({
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_TLS_CA_FILE: certificates.caFile,
    });
    expect(code).to.equal(2);
    expect(stderr).to.match(
      /^queuewatch: REDIS_TLS_CA_FILE: set for a REDIS_URL that is not rediss:\/\//,
    );
  });
});
