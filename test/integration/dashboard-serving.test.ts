import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import type { SubmitJobBody } from '../../src/application/contract/jobs.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';

describe('dashboard serving and job submission (real Redis, real HTTP)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let webRoot: string;

  beforeEach(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'qw-web-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await rm(webRoot, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}): Promise<RunningQueuewatch> {
    const app = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis().url,
        PORT: '0',
        QUEUEWATCH_QUEUES: 'lab',
        QUEUEWATCH_WEB_ROOT: webRoot,
        ...env,
      }),
      { logger: new RecordingLogger() },
    );
    closers.push(() => app.stop());
    return app;
  }

  const post = (
    app: RunningQueuewatch,
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  describe('POST /api/v1/queues/:queue/jobs', () => {
    it('should add the job to the watched queue and answer 201 with its id', async () => {
      const app = await start();
      const response = await post(
        app,
        '/api/v1/queues/lab/jobs',
        JSON.stringify({ name: 'try-me', data: { size: 3 } }),
      );
      expect(response.status).to.equal(201);
      const body = (await response.json()) as SubmitJobBody;
      expect(body.queueName).to.equal('lab');
      const queue = new Queue('lab', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      const job = await queue.getJob(body.jobId);
      expect(job?.name).to.equal('try-me');
      expect(job?.data).to.deep.equal({ size: 3 });
    });

    it('should refuse bad requests with a JSON 400 naming the problem', async () => {
      const app = await start();
      const cases: [string, Record<string, string>, RegExp][] = [
        [JSON.stringify({ data: {} }), {}, /name must be a string/],
        [JSON.stringify({ name: '' }), {}, /name must not be empty/],
        [JSON.stringify({ name: 'x', extra: 1 }), {}, /extra/],
        [
          JSON.stringify({ name: 'x', data: 'y'.repeat(20_000) }),
          {},
          /data must be at most 16384 bytes/,
        ],
        ['{"name":', {}, /JSON|Unexpected/],
      ];
      for (const [body, headers, message] of cases) {
        const response = await post(app, '/api/v1/queues/lab/jobs', body, headers);
        expect(response.status, body).to.equal(400);
        const error = ((await response.json()) as { error: { code: string; message: string } })
          .error;
        expect(error.code).to.equal('QW_BAD_REQUEST');
        expect(error.message, body).to.match(message);
      }
    });

    it('should answer a form or a body without a type 415, and add no job', async () => {
      const app = await start();
      const queue = new Queue('lab', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      const jobsBefore = await queue.count();
      for (const headers of [
        { 'content-type': 'application/x-www-form-urlencoded' },
        { 'content-type': 'text/plain' },
      ]) {
        const response = await post(app, '/api/v1/queues/lab/jobs', 'name=x', headers);
        expect(response.status, headers['content-type']).to.equal(415);
        expect(await response.json()).to.deep.equal({
          error: {
            code: 'QW_UNSUPPORTED_MEDIA_TYPE',
            message: 'POST needs "Content-Type: application/json" (with a JSON body, or none)',
          },
        });
      }
      expect(await queue.count()).to.equal(jobsBefore);
    });

    it('should answer 404 for a queue it does not watch and 401 without the token', async () => {
      const app = await start({ QUEUEWATCH_API_TOKEN: 'submit-token-0123456789abcd' });
      const anonymous = await post(app, '/api/v1/queues/lab/jobs', JSON.stringify({ name: 'x' }));
      expect(anonymous.status).to.equal(401);
      const unknown = await post(
        app,
        '/api/v1/queues/elsewhere/jobs',
        JSON.stringify({ name: 'x' }),
        {
          authorization: 'Bearer submit-token-0123456789abcd',
        },
      );
      expect(unknown.status).to.equal(404);
    });
  });

  describe('the dashboard', () => {
    it('should serve the build, deep links as index.html, and leave the API its JSON 404s', async () => {
      await mkdir(join(webRoot, 'assets'));
      await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Queuewatch</title>');
      await writeFile(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
      const app = await start();
      for (const path of ['/', '/queues/lab', '/failed', '/lab']) {
        const response = await fetch(`${app.url}${path}`);
        expect(response.status, path).to.equal(200);
        expect(await response.text(), path).to.contain('<title>Queuewatch</title>');
      }
      const asset = await fetch(`${app.url}/assets/app.js`);
      expect(asset.headers.get('content-type')).to.match(/javascript/);
      const api = await fetch(`${app.url}/api/v1/nothing`);
      expect(api.status).to.equal(404);
      expect(((await api.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_NOT_FOUND',
      );
    });

    it('should say how to build it when there is no build', async () => {
      const app = await start();
      const response = await fetch(`${app.url}/`);
      expect(response.status).to.equal(503);
      expect(await response.text()).to.contain('npm run build');
    });
  });
});
