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
import { slackMessage } from './slack-message.js';

/** Options of a `slack` destination (an incoming webhook). */
const slackOptions = z
  .object({
    url: endpointUrl,
    timeoutMs,
    channel: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
  })
  .strict();

/** Type `slack`: an incoming webhook, sent a Block Kit message with a plain-text fallback. */
export const createSlackDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(slackOptions, name, options);
  return new SlackDestination(name, parsed, deps);
};

class SlackDestination implements AlertPort {
  readonly type = 'slack';
  private readonly secrets: readonly string[];

  constructor(
    readonly name: string,
    private readonly options: z.output<typeof slackOptions>,
    private readonly deps: DestinationDependencies,
  ) {
    // The webhook's path is its credential: anyone holding it can post to the channel.
    this.secrets = urlSecrets(options.url);
  }

  async send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const outcome = await postJson(this.deps.fetch, {
      url: this.options.url,
      body: JSON.stringify(slackMessage(alert, this.options)),
      headers: {},
      timeoutMs: this.options.timeoutMs,
      secrets: this.secrets,
      now: () => this.deps.clock.now(),
    });
    logOutcome(this.deps.logger, this, alert, attempt, outcome);
    return outcome.result;
  }
}
