import { expect } from 'chai';
import { inMemoryCommands } from '../../support/in-memory-audit-trail.js';
import type { Submission } from '../../../src/application/queues/job-submit-service.js';
import { createHttpApp } from '../../../src/adapters/http/create-http-app.js';
import { OriginPolicy } from '../../../src/adapters/http/origin-policy.js';
import {
  createHttpServer,
  listen,
  type ListeningServer,
} from '../../../src/adapters/http/http-server.js';
import { nestsDeeperThan } from '../../../src/adapters/http/request-body.js';
import { submitRoutes } from '../../../src/adapters/http/routes/submit-routes.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** A job submitter that records what reached it. */
class RecordingSubmissions {
  readonly submitted: { queue: string; name: string; data: unknown }[] = [];

  submit(queue: string, name: string, data: unknown): Promise<Submission> {
    this.submitted.push({ queue, name, data });
    return Promise.resolve({ submitted: true, body: { jobId: '1', queueName: queue } });
  }
}

interface ErrorAnswer {
  readonly status: number;
  readonly error: { readonly code: string; readonly message: string };
}

describe('HTTP request bodies', () => {
  let server: ListeningServer | undefined;
  let submissions: RecordingSubmissions;
  let logger: RecordingLogger;
  beforeEach(async () => {
    submissions = new RecordingSubmissions();
    logger = new RecordingLogger();
    const app = createHttpApp({
      openRoutes: [],
      apiRoutes: [submitRoutes(submissions, inMemoryCommands())],
      originPolicy: new OriginPolicy({ allowedOrigins: [], loopbackHostsOnly: true }),
      tokens: [],
      logger,
    });
    server = await listen(createHttpServer(app), '127.0.0.1', 0);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const postJob = async (body: string): Promise<ErrorAnswer> => {
    const response = await fetch(`${server?.url ?? ''}/api/v1/queues/lab/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const json = (await response.json()) as { error: ErrorAnswer['error'] };
    return { status: response.status, error: json.error };
  };

  describe('having JSON nested deeper than the limit', () => {
    it('should answer 400 QW_BAD_REQUEST naming the limit, and stay up', async () => {
      const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
      const answer = await postJob(`{"name":"deep","data":${deep}}`);
      expect(answer.status).to.equal(400);
      expect(answer.error.code).to.equal('QW_BAD_REQUEST');
      expect(answer.error.message).to.match(/nested more than 32 levels deep/);
      expect(submissions.submitted).to.deep.equal([]);
      expect(logger.lines.filter((line) => line.level === 'error')).to.deep.equal([]);
      expect((await postJob('{"name":"after"}')).status).to.equal(201);
    });

    it('should refuse deep objects as well as deep arrays', async () => {
      const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
      const answer = await postJob(`{"name":"deep","data":${deep}}`);
      expect(answer.status).to.equal(400);
      expect(answer.error.code).to.equal('QW_BAD_REQUEST');
    });

    it('should take a body nested exactly to the limit', async () => {
      // The body itself is level 1 and `data` level 2, so 30 more arrays make 32.
      const data = `${'['.repeat(30)}${']'.repeat(30)}`;
      const answer = await postJob(`{"name":"at-the-limit","data":${data}}`);
      expect(answer.status).to.equal(201);
      expect(submissions.submitted).to.have.length(1);
    });
  });

  describe('having a body over 100 kB', () => {
    it('should answer 413 QW_PAYLOAD_TOO_LARGE naming the limit', async () => {
      const answer = await postJob(JSON.stringify({ name: 'big', data: 'x'.repeat(120_000) }));
      expect(answer.status).to.equal(413);
      expect(answer.error.code).to.equal('QW_PAYLOAD_TOO_LARGE');
      expect(answer.error.message).to.match(/100 kB/);
      expect(submissions.submitted).to.deep.equal([]);
    });
  });
});

describe('nestsDeeperThan', () => {
  it('should judge a value nested 100,000 deep without recursion', () => {
    let value: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) value = [value];
    expect(nestsDeeperThan(value, 32)).to.equal(true);
  });

  it('should count an object or array as level 1 and a scalar as no level', () => {
    expect(nestsDeeperThan('text', 0)).to.equal(false);
    expect(nestsDeeperThan({}, 1)).to.equal(false);
    expect(nestsDeeperThan({}, 0)).to.equal(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).to.equal(false);
    expect(nestsDeeperThan({ a: [1, { b: [] }] }, 3)).to.equal(true);
  });
});
