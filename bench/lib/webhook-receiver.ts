import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

/** One request the receiver got, in arrival order. */
export interface ReceivedNotice {
  readonly webhookId: string;
  /** `alert.firing` or `alert.resolved`. */
  readonly type: string;
  readonly alertId: string;
  readonly status: string;
  readonly queueName: string;
  /** Whether `webhook-signature` holds the HMAC of `{id}.{timestamp}.{body}` under the secret. */
  readonly signatureValid: boolean;
  /** ms since the epoch. */
  readonly receivedAt: number;
}

/** A local HTTP endpoint standing in for a webhook consumer. */
export interface WebhookReceiver {
  readonly url: string;
  readonly secret: string;
  /** Every request received so far, duplicates included. */
  readonly notices: readonly ReceivedNotice[];
  close(): Promise<void>;
}

interface WebhookBody {
  readonly type?: string;
  readonly data?: {
    readonly id?: string;
    readonly status?: string;
    readonly context?: { readonly queueName?: string };
  };
}

/**
 * A real HTTP receiver on loopback that checks each request as a Standard Webhooks consumer
 * would (signature over id, timestamp and body with the `whsec_` secret) and answers 204 to
 * every one, so Queuewatch never has a reason to send a notice twice.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const key = randomBytes(32);
  const secret = `whsec_${key.toString('base64')}`;
  const notices: ReceivedNotice[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const header = (name: string): string => String(request.headers[name] ?? '');
      const webhookId = header('webhook-id');
      const parsed = parse(body);
      notices.push({
        webhookId,
        type: parsed.type ?? '',
        alertId: parsed.data?.id ?? '',
        status: parsed.data?.status ?? '',
        queueName: parsed.data?.context?.queueName ?? '',
        signatureValid: verify(
          key,
          webhookId,
          header('webhook-timestamp'),
          body,
          header('webhook-signature'),
        ),
        receivedAt: Date.now(),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${String(port)}/hooks/queuewatch`,
    secret,
    notices,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parse(body: string): WebhookBody {
  try {
    return JSON.parse(body) as WebhookBody;
  } catch {
    return {};
  }
}

/** Any `v1,<base64>` entry of the (space-separated) signature header matching counts. */
function verify(
  key: Buffer,
  id: string,
  timestamp: string,
  body: string,
  signatures: string,
): boolean {
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
