import { z } from 'zod';
import type { DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { JsonDestination } from '../http/json-destination.js';
import { urlSecrets } from '../http/redact.js';
import { parseOptions } from '../parse-options.js';
import { discordMessage } from './discord-message.js';

/** Options of a `discord` destination (a channel's webhook URL). */
const discordOptions = z
  .object({
    url: endpointUrl,
    username: z.string().min(1).max(80).optional(),
    timeoutMs,
  })
  .strict();

/** Type `discord`: a channel webhook, sent a message with one embed (Discord answers 204). */
export const createDiscordDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(discordOptions, name, options);
  return new JsonDestination(
    {
      type: 'discord',
      name,
      timeoutMs: parsed.timeoutMs,
      headers: {},
      // The webhook's token is the last segment of its path.
      secrets: urlSecrets(parsed.url),
      request: (alert) => ({ url: parsed.url, body: discordMessage(alert, parsed.username) }),
    },
    deps,
  );
};
