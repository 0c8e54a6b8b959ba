import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  AlertPort,
  DeliveryAttempt,
  DeliveryResult,
} from '../../../application/ports/alert.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import type { DestinationDependencies, DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { logOutcome } from '../http/log-outcome.js';
import { postJson } from '../http/post-json.js';
import { urlSecrets } from '../http/redact.js';
import { parseOptions } from '../parse-options.js';
import { secretPrefix, signatureHeaders, signingKey } from './standard-webhooks-signature.js';

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the destination sets itself; a configured value would break the signature or body. */
const reservedHeaders = /^(webhook-.*|content-type|content-length|host|transfer-encoding)$/i;

const headers = z.record(z.string(), z.string()).superRefine((map, context) => {
  for (const [name, value] of Object.entries(map)) {
    if (!headerName.test(name))
      context.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
    else if (reservedHeaders.test(name))
      context.addIssue({ code: 'custom', path: [name], message: 'is set by Queuewatch' });
    else if (!headerValue.test(value))
      context.addIssue({ code: 'custom', path: [name], message: 'must not contain line breaks' });
  }
});

/** Options of a `webhook` destination. */
const webhookOptions = z
  .object({
    url: endpointUrl,
    secret: z.string().transform((secret, context) => {
      const key = signingKey(secret);
      if (typeof key === 'string') {
        context.addIssue({ code: 'custom', message: key });
        return z.NEVER;
      }
      return { secret, key };
    }),
    timeoutMs,
    headers: headers.optional(),
  })
  .strict();

type WebhookOptions = z.output<typeof webhookOptions>;

/** The JSON body: Standard Webhooks' `type`, `timestamp` (of the event) and `data`. */
export interface WebhookPayload {
  readonly type: 'alert.firing' | 'alert.resolved';
  readonly timestamp: string;
  readonly data: Alert;
}

/**
 * Type `webhook`: a JSON POST signed per Standard Webhooks (https://www.standardwebhooks.com).
 * `webhook-id` is the DeliveryAttempt id, the same on every retry so the receiver can deduplicate;
 * `webhook-timestamp` is the time of this attempt, so a replayed request grows stale.
 */
export const createWebhookDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(webhookOptions, name, options);
  return new WebhookDestination(name, parsed, deps);
};

class WebhookDestination implements AlertPort {
  readonly type = 'webhook';
  private readonly secrets: readonly string[];

  constructor(
    readonly name: string,
    private readonly options: WebhookOptions,
    private readonly deps: DestinationDependencies,
  ) {
    const { secret } = options.secret;
    this.secrets = [
      secret,
      secret.slice(secretPrefix.length),
      ...urlSecrets(options.url),
      ...Object.values(options.headers ?? {}),
    ];
  }

  async send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const payload: WebhookPayload = {
      type: alert.status === 'firing' ? 'alert.firing' : 'alert.resolved',
      timestamp: alert.endsAt ?? alert.startsAt,
      data: alert,
    };
    const body = JSON.stringify(payload);
    const signed = signatureHeaders(
      this.options.secret.key,
      webhookId(attempt.id),
      Math.floor(this.deps.clock.now() / 1000),
      body,
    );
    const outcome = await postJson(this.deps.fetch, {
      url: this.options.url,
      body,
      headers: { ...this.options.headers, ...signed },
      timeoutMs: this.options.timeoutMs,
      secrets: this.secrets,
      now: () => this.deps.clock.now(),
    });
    logOutcome(this.deps.logger, this, alert, attempt, outcome);
    return outcome.result;
  }
}

/**
 * The DeliveryAttempt id as the webhook-id. Standard Webhooks forbids a "." in it (it delimits the
 * signed content), and a header cannot carry every character; such an id is replaced by a digest
 * of it, which is just as stable across retries.
 */
export function webhookId(id: string): string {
  if (/^[\x21-\x2d\x2f-\x7e]{1,256}$/.test(id)) return id;
  return `msg_${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
}
