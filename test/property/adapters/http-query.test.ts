import { expect } from 'chai';
import fc from 'fast-check';
import { statusOf, type ApiErrorCode } from '../../../src/adapters/http/api-error.js';
import { serveEveryRoute, type EveryRouteApp } from '../support/every-route-app.js';
import {
  consoleProbes,
  fixedProbes,
  jobProbes,
  listProbes,
  rawProbes,
  unknownProbes,
  type Probe,
} from '../support/http-probes.js';

const codes = Object.keys(statusOf) as ApiErrorCode[];

/** Send a probe; check the envelope every answer must have, then what the rule says of it. */
async function check(app: EveryRouteApp, probe: Probe): Promise<void> {
  app.reset();
  const response = await fetch(`${app.server.url}${probe.target}`, {
    method: probe.method,
    ...(probe.method === 'POST'
      ? { headers: { 'content-type': 'application/json' }, body: '{"name":"property"}' }
      : {}),
  });
  const text = await response.text();
  const where = `${probe.method} ${probe.target.slice(0, 300)} → ${String(response.status)} ${text.slice(0, 300)}`;
  expect(response.status, where).to.satisfy(
    (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500),
  );
  expect(app.logger.lines, `${where}: an unexpected error was logged`).to.deep.equal([]);
  const isText = probe.target.startsWith('/metrics') && response.status === 200;
  if (!isText) {
    expect(response.headers.get('content-type'), where).to.match(/^application\/json/);
    const body = JSON.parse(text) as unknown;
    if (response.status >= 400) {
      expect(body, where).to.have.all.keys('error');
      const { error } = body as { error: Record<string, unknown> };
      expect(error, where).to.have.all.keys('code', 'message');
      expect(codes, where).to.include(error.code);
      expect(statusOf[error.code as ApiErrorCode], where).to.equal(response.status);
      expect(error.message, where).to.be.a('string').and.not.equal('');
    }
  }
  const { expected } = probe;
  switch (expected?.kind) {
    case undefined:
      return;
    case 'status':
      expect(response.status, where).to.equal(expected.status);
      return;
    case 'limit':
      expect(response.status, where).to.equal(200);
      expect(
        expected.of === 'failed' ? app.calls.failedLimit : app.calls.alertsLimit,
        where,
      ).to.equal(expected.limit);
      return;
    case 'job':
      if (expected.id === null) {
        expect(response.status, where).to.equal(201);
        expect(app.calls.submit, where).to.deep.equal({ queue: expected.queue, name: 'property' });
      } else {
        expect(response.status, where).to.equal(200);
        expect(JSON.parse(text), where).to.include({ queueName: expected.queue, id: expected.id });
      }
      return;
    case 'text':
      expect(response.status, where).to.equal(200);
      expect(response.headers.get('content-type'), where).to.match(/^text\/plain/);
      return;
  }
}

describe('HTTP API', () => {
  let app: EveryRouteApp;
  before(async () => {
    app = await serveEveryRoute();
  });
  after(async () => {
    await app.server.close();
  });

  describe('query strings and path parameters', () => {
    describe('having well-encoded requests to every route, with valid and invalid values', () => {
      it('should answer as the documented rules say, always 2xx or a 4xx JSON error', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              { arbitrary: listProbes, weight: 4 },
              { arbitrary: jobProbes, weight: 4 },
              { arbitrary: fixedProbes, weight: 1 },
              { arbitrary: consoleProbes, weight: 3 },
              { arbitrary: unknownProbes, weight: 1 },
            ),
            (probe) => check(app, probe),
          ),
          { numRuns: 1_000 },
        );
      });
    });

    describe('having raw requests no encoder would produce', () => {
      it('should answer 2xx or a 4xx JSON error, never a 5xx or a crash', async () => {
        await fc.assert(
          fc.asyncProperty(rawProbes, (probe) => check(app, probe)),
          { numRuns: 1_000 },
        );
        // Still up and answering after all of them.
        expect((await fetch(`${app.server.url}/livez`)).status).to.equal(200);
      });
    });
  });
});
