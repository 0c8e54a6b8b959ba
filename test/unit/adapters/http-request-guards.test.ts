import { expect } from 'chai';
import { Router } from 'express';
import { createHttpApp } from '../../../src/adapters/http/create-http-app.js';
import {
  createHttpServer,
  listen,
  type ListeningServer,
} from '../../../src/adapters/http/http-server.js';
import {
  OriginPolicy,
  type OriginPolicyOptions,
} from '../../../src/adapters/http/origin-policy.js';
import { rawRequest, type RawAnswer } from '../../support/raw-http.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const json = { 'content-type': 'application/json' };

/** Routes that count what reached them. */
function countingRoutes(reached: string[]): Router {
  const router = Router();
  router.get('/api/v1/things', (_request, response) => {
    reached.push('GET');
    response.json({ things: [] });
  });
  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    router[method]('/api/v1/things', (request, response) => {
      reached.push(request.method);
      response.json({ received: request.body as unknown });
    });
  }
  return router;
}

function errorOf(answer: RawAnswer): { code: string; message: string } {
  return (answer.json as { error: { code: string; message: string } }).error;
}

describe('HTTP request guards', () => {
  let server: ListeningServer | undefined;
  let reached: string[];
  let port: string;

  async function serve(options: Partial<OriginPolicyOptions> = {}): Promise<void> {
    reached = [];
    const app = createHttpApp({
      openRoutes: [],
      apiRoutes: [countingRoutes(reached)],
      originPolicy: new OriginPolicy({
        allowedOrigins: options.allowedOrigins ?? [],
        loopbackHostsOnly: options.loopbackHostsOnly ?? true,
      }),
      tokens: [],
      logger: new RecordingLogger(),
    });
    server = await listen(createHttpServer(app), '127.0.0.1', 0);
    port = new URL(server.url).port;
  }

  const send = (
    method: string,
    headers: Record<string, string>,
    body: string | undefined = method === 'GET' ? undefined : '{"a":1}',
  ) => rawRequest(`${server?.url ?? ''}/api/v1/things`, { method, headers, body });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('Origin on a state-changing request', () => {
    it('should let a request without Origin through (curl, scripts)', async () => {
      await serve();
      const answer = await send('POST', json);
      expect(answer.status).to.equal(200);
      expect(answer.json).to.deep.equal({ received: { a: 1 } });
    });

    it('should let its own origin through (the dashboard)', async () => {
      await serve();
      for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const host = new URL(origin).host;
        const answer = await send('POST', { ...json, origin, host });
        expect(answer.status, origin).to.equal(200);
      }
      expect(reached).to.deep.equal(['POST', 'POST']);
    });

    it('should refuse another origin with 403 QW_FORBIDDEN_ORIGIN before the route', async () => {
      await serve();
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await send(method, { ...json, origin: 'https://evil.example' });
        expect(answer.status, method).to.equal(403);
        expect(errorOf(answer).code).to.equal('QW_FORBIDDEN_ORIGIN');
        expect(errorOf(answer).message).to.contain('"https://evil.example"');
        expect(errorOf(answer).message).to.contain('QUEUEWATCH_ALLOWED_ORIGINS');
      }
      expect(reached).to.deep.equal([]);
    });

    it('should refuse the same host on another port, and an opaque "null" origin', async () => {
      await serve();
      for (const origin of ['http://127.0.0.1:1', 'null', 'chrome-extension://abc']) {
        const answer = await send('POST', { ...json, origin });
        expect(answer.status, origin).to.equal(403);
        expect(errorOf(answer).code, origin).to.equal('QW_FORBIDDEN_ORIGIN');
      }
      expect(reached).to.deep.equal([]);
    });

    it('should take its own host under https (a TLS proxy in front keeps the Host)', async () => {
      await serve({ loopbackHostsOnly: false });
      const answer = await send('POST', {
        ...json,
        origin: 'https://queuewatch.example.com',
        host: 'queuewatch.example.com',
      });
      expect(answer.status).to.equal(200);
    });

    it('should let an origin of QUEUEWATCH_ALLOWED_ORIGINS through', async () => {
      await serve({ allowedOrigins: ['https://ops.example.com', 'http://localhost:5173'] });
      for (const origin of ['https://ops.example.com', 'http://localhost:5173']) {
        const answer = await send('POST', { ...json, origin });
        expect(answer.status, origin).to.equal(200);
      }
      const other = await send('POST', { ...json, origin: 'https://ops.example.com:8443' });
      expect(other.status).to.equal(403);
      expect(reached).to.deep.equal(['POST', 'POST']);
    });

    it('should leave reads alone (CORS keeps their answers from other pages)', async () => {
      await serve();
      const answer = await send('GET', { origin: 'https://evil.example' });
      expect(answer.status).to.equal(200);
      expect(answer.headers['access-control-allow-origin']).to.equal(undefined);
    });
  });

  describe('Host, while listening on loopback', () => {
    it('should answer loopback names on any port', async () => {
      await serve();
      for (const host of ['localhost', `localhost:${port}`, '127.0.0.1:9', '[::1]:80', '127.1']) {
        const answer = await send('GET', { host });
        expect(answer.status, host).to.equal(200);
      }
    });

    it('should refuse any other name with 403 QW_FORBIDDEN_HOST, reads included', async () => {
      await serve();
      for (const host of [`rebound.evil.example:${port}`, 'localhost.evil.example', '10.0.0.8']) {
        const answer = await send('GET', { host });
        expect(answer.status, host).to.equal(403);
        expect(errorOf(answer).code, host).to.equal('QW_FORBIDDEN_HOST');
        expect(errorOf(answer).message).to.contain('DNS rebinding');
      }
      const post = await send('POST', { ...json, host: `rebound.evil.example:${port}` });
      expect(post.status).to.equal(403);
      expect(reached).to.deep.equal([]);
    });

    it("should answer an allowed origin's host name (a proxy in front of Queuewatch)", async () => {
      await serve({ allowedOrigins: ['https://ops.example.com'] });
      const answer = await send('POST', {
        ...json,
        host: 'ops.example.com',
        origin: 'https://ops.example.com',
      });
      expect(answer.status).to.equal(200);
    });

    it('should not check Host when Queuewatch listens beyond loopback', async () => {
      await serve({ loopbackHostsOnly: false });
      const answer = await send('GET', { host: 'queuewatch.internal:3000' });
      expect(answer.status).to.equal(200);
    });
  });

  describe('Content-Type on a state-changing request', () => {
    it('should answer 415 QW_UNSUPPORTED_MEDIA_TYPE to anything but JSON', async () => {
      await serve();
      const cases: [string, Record<string, string>, string | undefined][] = [
        ['POST', {}, undefined],
        ['POST', { 'content-type': 'text/plain;charset=UTF-8' }, '{"a":1}'],
        ['POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'],
        ['POST', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
        ['PUT', {}, undefined],
        ['DELETE', { 'content-type': 'text/plain' }, undefined],
      ];
      for (const [method, headers, body] of cases) {
        const answer = await send(method, headers, body);
        const label = `${method} ${JSON.stringify(headers)}`;
        expect(answer.status, label).to.equal(415);
        expect(errorOf(answer).code, label).to.equal('QW_UNSUPPORTED_MEDIA_TYPE');
        expect(errorOf(answer).message, label).to.contain('Content-Type: application/json');
      }
      expect(reached).to.deep.equal([]);
    });

    it('should take JSON with parameters, and JSON with no body', async () => {
      await serve();
      const withCharset = await send('POST', {
        'content-type': 'Application/JSON; charset=utf-8',
      });
      expect(withCharset.status).to.equal(200);
      const empty = await send('DELETE', json, undefined);
      expect(empty.status).to.equal(200);
      expect(reached).to.deep.equal(['POST', 'DELETE']);
    });

    it('should answer 415 to a JSON charset it cannot decode', async () => {
      await serve();
      const answer = await send('POST', { 'content-type': 'application/json; charset=koi8-r' });
      expect(answer.status).to.equal(415);
      expect(errorOf(answer).code).to.equal('QW_UNSUPPORTED_MEDIA_TYPE');
    });
  });
});
