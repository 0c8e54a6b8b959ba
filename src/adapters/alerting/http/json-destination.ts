import type {
  AlertPort,
  DeliveryAttempt,
  DeliveryResult,
} from '../../../application/ports/alert.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import type { DestinationDependencies } from '../destination-factory.js';
import { logOutcome } from './log-outcome.js';
import { postJson } from './post-json.js';

/** Where one alert goes and what is sent: a destination's only part of its own. */
export interface JsonRequest {
  readonly url: URL;
  readonly body: unknown;
}

/** How a destination that POSTs JSON to a service is set up. */
export interface JsonDestinationSetup {
  readonly type: string;
  readonly name: string;
  readonly timeoutMs: number;
  /** Sent with every request (an API key's header, say). */
  readonly headers: Readonly<Record<string, string>>;
  /** Texts that must never appear in a reason or a log: URL paths and queries, keys. */
  readonly secrets: readonly string[];
  /** The request for one alert, firing or resolved. */
  readonly request: (alert: Alert) => JsonRequest;
}

/**
 * A destination that POSTs one JSON document per alert to a service's endpoint, once per
 * attempt, classified by the shared rules of `postJson` (2xx delivered; 408, 429 and 5xx worth
 * retrying, Retry-After honoured; redirects and other 4xx permanent) and logged without secrets.
 */
export class JsonDestination implements AlertPort {
  readonly type: string;
  readonly name: string;

  constructor(
    private readonly setup: JsonDestinationSetup,
    private readonly deps: DestinationDependencies,
  ) {
    this.type = setup.type;
    this.name = setup.name;
  }

  async send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const { url, body } = this.setup.request(alert);
    const outcome = await postJson(this.deps.fetch, {
      url,
      body: JSON.stringify(body),
      headers: this.setup.headers,
      timeoutMs: this.setup.timeoutMs,
      secrets: this.setup.secrets,
      now: () => this.deps.clock.now(),
    });
    logOutcome(this.deps.logger, this, alert, attempt, outcome);
    return outcome.result;
  }
}
