import { expect } from 'chai';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { HealthService } from '../../../src/application/health/health-service.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { QueueListService } from '../../../src/application/queues/queue-list-service.js';
import { createHttpApp } from '../../../src/adapters/http/create-http-app.js';
import { OriginPolicy } from '../../../src/adapters/http/origin-policy.js';
import {
  createHttpServer,
  listen,
  type ListeningServer,
} from '../../../src/adapters/http/http-server.js';
import { healthRoutes, probeRoutes } from '../../../src/adapters/http/routes/health-routes.js';
import { queueRoutes } from '../../../src/adapters/http/routes/queue-routes.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { FixedClock } from '../../support/fixed-clock.js';
import {
  InMemoryQueuePort,
  ScriptedDiscovery,
  StaticRedisProbe,
} from '../../support/fake-ports.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const token = 'test-token-0123456789abcdef';

async function serve(options: { apiToken: string | null; paused?: boolean; redisDown?: boolean }) {
  const port = new InMemoryQueuePort().set(
    queueSnapshot({ name: 'work', isPaused: options.paused ?? false }),
  );
  const probe = new StaticRedisProbe();
  if (options.redisDown)
    probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'ECONNREFUSED' };
  const queues = new MonitoredQueues(
    {
      configured: [
        {
          name: 'work',
          priority: 'medium',
          thresholds: defaultHealthThresholds.queue,
          failureThreshold: defaultFailureThreshold,
        },
      ],
      discover: false,
      defaults: {
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: defaultFailureThreshold,
      },
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
  const health = new HealthService(queues, port, probe, new FixedClock(Date.now()), {
    redis: defaultHealthThresholds.redis,
    samples: { activeJobs: 10, completedJobs: 10 },
    maxAgeMs: 0,
    quietRefreshMs: 0,
  });
  const logger = new RecordingLogger();
  const app = createHttpApp({
    openRoutes: [probeRoutes(health)],
    apiRoutes: [healthRoutes(health), queueRoutes(new QueueListService(queues, port))],
    originPolicy: new OriginPolicy({ allowedOrigins: [], loopbackHostsOnly: true }),
    tokens:
      options.apiToken === null ? [] : [{ name: 'admin', role: 'admin', token: options.apiToken }],
    logger,
  });
  return { server: await listen(createHttpServer(app), '127.0.0.1', 0), logger };
}

describe('HTTP app', () => {
  let server: ListeningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('GET /api/v1/health/queues', () => {
    it('should answer 200 with the report when healthy', async () => {
      ({ server } = await serve({ apiToken: null }));
      const response = await fetch(`${server.url}/api/v1/health/queues`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      const body = (await response.json()) as { status: string; queues: { queueName: string }[] };
      expect(body.status).to.equal('healthy');
      expect(body.queues.map((queue) => queue.queueName)).to.deep.equal(['work']);
    });

    it('should answer 503 with the report when a queue is paused', async () => {
      ({ server } = await serve({ apiToken: null, paused: true }));
      const response = await fetch(`${server.url}/api/v1/health/queues`);
      expect(response.status).to.equal(503);
      expect(((await response.json()) as { status: string }).status).to.equal('unhealthy');
    });

    it('should ignore unknown query parameters', async () => {
      ({ server } = await serve({ apiToken: null }));
      const response = await fetch(`${server.url}/api/v1/health/queues?verbose=1&x=`);
      expect(response.status).to.equal(200);
    });
  });

  describe('GET /api/v1/queues', () => {
    it('should list names, counts and pause state', async () => {
      ({ server } = await serve({ apiToken: null, paused: true }));
      const body = (await (await fetch(`${server.url}/api/v1/queues`)).json()) as {
        queues: { name: string; isPaused: boolean; counts: { waiting: number } }[];
      };
      expect(body.queues).to.have.length(1);
      expect(body.queues[0]).to.deep.include({ name: 'work', isPaused: true });
      expect(body.queues[0]?.counts.waiting).to.equal(0);
    });
  });

  describe('having an API token', () => {
    it('should answer 401 JSON without a bearer token', async () => {
      ({ server } = await serve({ apiToken: token }));
      const response = await fetch(`${server.url}/api/v1/health/queues`);
      expect(response.status).to.equal(401);
      expect(await response.json()).to.deep.equal({
        error: {
          code: 'QW_UNAUTHORIZED',
          message:
            'missing bearer token: send "Authorization: Bearer <token>" (QUEUEWATCH_API_TOKEN or a token of auth.tokens)',
        },
      });
    });

    it('should answer 401 for a wrong token and 200 for the right one', async () => {
      ({ server } = await serve({ apiToken: token }));
      const wrong = await fetch(`${server.url}/api/v1/queues`, {
        headers: { authorization: `Bearer ${token}x` },
      });
      expect(wrong.status).to.equal(401);
      const right = await fetch(`${server.url}/api/v1/queues`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(right.status).to.equal(200);
    });

    it('should guard unknown /api paths too, so they reveal nothing', async () => {
      ({ server } = await serve({ apiToken: token }));
      expect((await fetch(`${server.url}/api/v1/nothing`)).status).to.equal(401);
    });

    it('should leave /livez and /readyz open', async () => {
      ({ server } = await serve({ apiToken: token }));
      expect((await fetch(`${server.url}/livez`)).status).to.equal(200);
      expect(await (await fetch(`${server.url}/readyz`)).json()).to.deep.equal({
        ready: true,
        redis: 'connected',
      });
    });
  });

  describe('GET /readyz', () => {
    it('should answer 503 while Redis is away', async () => {
      ({ server } = await serve({ apiToken: null, redisDown: true }));
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).to.equal(503);
      expect(await response.json()).to.deep.equal({ ready: false, redis: 'reconnecting' });
    });
  });

  describe('bad requests', () => {
    it('should answer an unknown route with a JSON 404', async () => {
      ({ server } = await serve({ apiToken: null }));
      const response = await fetch(`${server.url}/api/v2/nope`);
      expect(response.status).to.equal(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_NOT_FOUND',
      );
    });

    it('should answer a malformed JSON body with a JSON 400 and stay up', async () => {
      let logger;
      ({ server, logger } = await serve({ apiToken: null }));
      const response = await fetch(`${server.url}/api/v1/queues`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_BAD_REQUEST',
      );
      expect(logger.lines).to.deep.equal([]);
      expect((await fetch(`${server.url}/livez`)).status).to.equal(200);
    });
  });
});

describe('listen', () => {
  it('should report a taken port as QW_PORT_IN_USE', async () => {
    const { server: taken } = await serve({ apiToken: null });
    const port = Number(new URL(taken.url).port);
    try {
      const error = await listen(
        createHttpServer(
          createHttpApp({
            openRoutes: [],
            apiRoutes: [],
            originPolicy: new OriginPolicy({ allowedOrigins: [], loopbackHostsOnly: true }),
            tokens: [],
            logger: new RecordingLogger(),
          }),
        ),
        '127.0.0.1',
        port,
      ).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).to.include({ code: 'QW_PORT_IN_USE' });
      expect((error as Error).message).to.equal(
        `port ${String(port)} on 127.0.0.1 is already in use; set PORT to a free port`,
      );
    } finally {
      await taken.close();
    }
  });
});
