import { z } from 'zod';
import type { DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { JsonDestination } from '../http/json-destination.js';
import { urlSecrets } from '../http/redact.js';
import { parseOptions } from '../parse-options.js';
import { teamsMessage } from './teams-card.js';

/** Options of a `teams` destination (a Workflows or incoming-webhook URL). */
const teamsOptions = z.object({ url: endpointUrl, timeoutMs }).strict();

/**
 * Type `teams`: Microsoft Teams through a Workflows "post to a channel when a webhook request is
 * received" flow (or a legacy incoming webhook), sent an Adaptive Card.
 */
export const createTeamsDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(teamsOptions, name, options);
  return new JsonDestination(
    {
      type: 'teams',
      name,
      timeoutMs: parsed.timeoutMs,
      headers: {},
      // A Workflows URL carries its signature (`sig=`) in the query.
      secrets: urlSecrets(parsed.url),
      request: (alert) => ({ url: parsed.url, body: teamsMessage(alert) }),
    },
    deps,
  );
};
