import { z } from 'zod';
import type { DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { JsonDestination } from '../http/json-destination.js';
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
  return new JsonDestination(
    {
      type: 'slack',
      name,
      timeoutMs: parsed.timeoutMs,
      headers: {},
      // The webhook's path is its credential: anyone holding it can post to the channel.
      secrets: urlSecrets(parsed.url),
      request: (alert) => ({ url: parsed.url, body: slackMessage(alert, parsed) }),
    },
    deps,
  );
};
