import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../../src/domain/alerting/alert.js';

/** A firing alert, with any field replaced. */
export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-emails-failures',
    status: 'firing',
    severity: 'critical',
    title: 'Failures on emails',
    message: '12 jobs failed in the last 5 minutes (threshold 10).',
    rule: 'failure-rate',
    labels: { rule: 'failure-rate', severity: 'critical', queue: 'emails' },
    values: { failures: 12, threshold: 10, windowMs: 300_000 },
    link: '/queues/emails',
    context: {
      queueName: 'emails',
      failureCount: 12,
      threshold: 10,
      windowMs: 300_000,
      recentJobId: '4711',
      error: 'SMTP 421 <mx.example.com> too many connections',
    },
    startsAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** One request a LocalEndpoint received, its body as sent (for signature checks). */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How the endpoint answers; leaving `response` open makes a server that never answers. */
export type Responder = (response: ServerResponse, request: ReceivedRequest) => void;

/** A real HTTP server on 127.0.0.1 and a free port, answering as the test says. */
export class LocalEndpoint {
  readonly requests: ReceivedRequest[] = [];
  respond: Responder = (response) => response.end('ok');

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly origin: string,
  ) {}

  static async start(): Promise<LocalEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const endpoint = new LocalEndpoint(server, `http://127.0.0.1:${String(port)}`);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        endpoint.requests.push(received);
        endpoint.respond(response, received);
      });
    });
    return endpoint;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}
