import { z } from 'zod';
import type { DestinationFactory } from '../destination-factory.js';
import { endpointUrl, timeoutMs } from '../http/http-options.js';
import { JsonDestination } from '../http/json-destination.js';
import { parseOptions } from '../parse-options.js';
import { opsgenieCall } from './opsgenie-request.js';

const responder = z
  .object({
    type: z.enum(['team', 'user', 'escalation', 'schedule']),
    name: z.string().min(1).optional(),
    id: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
  })
  .strict()
  .refine((given) => given.name ?? given.id ?? given.username, {
    error: 'needs a name, an id or a username',
  });

/** Options of an `opsgenie` destination (an API integration's key). */
const opsgenieOptions = z
  .object({
    apiKey: z.string().min(1),
    /** The API's base; EU accounts use https://api.eu.opsgenie.com. */
    url: endpointUrl.default(new URL('https://api.opsgenie.com')),
    responders: z.array(responder).max(50).default([]),
    timeoutMs,
  })
  .strict();

/** Type `opsgenie`: create an alert (alias = the incident's id) when it fires, close it when it resolves. */
export const createOpsgenieDestination: DestinationFactory = (name, options, deps) => {
  const parsed = parseOptions(opsgenieOptions, name, options);
  const base = parsed.url.href.replace(/\/+$/, '');
  return new JsonDestination(
    {
      type: 'opsgenie',
      name,
      timeoutMs: parsed.timeoutMs,
      headers: { authorization: `GenieKey ${parsed.apiKey}` },
      secrets: [parsed.apiKey],
      request: (alert) => {
        const call = opsgenieCall(alert, parsed.responders);
        return { url: new URL(`${base}${call.path}`), body: call.body };
      },
    },
    deps,
  );
};
