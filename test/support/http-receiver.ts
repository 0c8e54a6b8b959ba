import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when it arrived. */
  readonly at: number;
}

/** How the receiver answers one request. */
export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * A real local HTTP server standing in for Slack or a webhook receiver: it records every request
 * and answers with the scripted replies in order, then with `fallback`. It can be stopped and
 * started again on the same port, to play a receiver that is down for a while.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly replies: Reply[] = [];
  fallback: Reply = { status: 200, body: 'ok' };
  /** While set, every answer waits for it: a receiver that takes its time. */
  gate: Promise<void> | undefined;
  private server: Server | undefined;
  private port = 0;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  static async start(): Promise<HttpReceiver> {
    const receiver = new HttpReceiver();
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${String(this.port)}`;
  }

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          at: performance.now(),
        });
        const reply = this.replies.shift() ?? this.fallback;
        const answer = (): void => {
          response.writeHead(reply.status, reply.headers).end(reply.body ?? '');
        };
        if (this.gate) void this.gate.then(answer);
        else answer();
        for (const waiter of [...this.waiters]) {
          if (this.requests.length >= waiter.count) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stop answering (connections are refused) until `listen()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Wait until `count` requests have arrived. */
  received(count: number, timeoutMs = 20_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `the receiver got ${String(this.requests.length)} of ${String(count)} requests within ${String(timeoutMs)} ms`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}
