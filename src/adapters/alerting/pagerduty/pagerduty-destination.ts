import { z } from 'zod';
import type { DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { JsonDestination } from '../http/json-destination.js';
import { parseOptions } from '../parse-options.js';
import { pagerDutyEvent } from './pagerduty-event.js';

/** Options of a `pagerduty` destination (an Events API v2 integration). */
const pagerDutyOptions = z
  .object({
    /** The integration's routing key (32 characters). */
    routingKey: z.string().min(1),
    /** Where events go; EU accounts use https://events.eu.pagerduty.com/v2/enqueue. */
    url: endpointUrl.default(new URL('https://events.pagerduty.com/v2/enqueue')),
    /** `payload.source`: the system the incident is about. */
    source: z.string().min(1).max(255).default('queuewatch'),
    timeoutMs,
  })
  .strict();

/**
 * Type `pagerduty`: a trigger event when an alert fires (again on a repeat: PagerDuty folds it
 * into the open incident), a resolve event with the same `dedup_key` when it resolves.
 */
export const createPagerDutyDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(pagerDutyOptions, name, options);
  return new JsonDestination(
    {
      type: 'pagerduty',
      name,
      timeoutMs: parsed.timeoutMs,
      headers: {},
      secrets: [parsed.routingKey],
      request: (alert) => ({
        url: parsed.url,
        body: pagerDutyEvent(alert, parsed.routingKey, parsed.source),
      }),
    },
    deps,
  );
};
