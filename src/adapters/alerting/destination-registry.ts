import type { AlertPort } from '../../application/ports/alert.port.js';
import {
  DestinationConfigError,
  type DestinationDependencies,
  type DestinationFactory,
} from './destination-factory.js';
import { createDiscordDestination } from './discord/discord-destination.js';
import { createEmailDestination } from './email/email-destination.js';
import { createLogDestination } from './log/log-destination.js';
import { createModuleDestination } from './module/module-destination.js';
import { createOpsgenieDestination } from './opsgenie/opsgenie-destination.js';
import { createPagerDutyDestination } from './pagerduty/pagerduty-destination.js';
import { createSlackDestination } from './slack/slack-destination.js';
import { createTeamsDestination } from './teams/teams-destination.js';
import { createWebhookDestination } from './webhook/webhook-destination.js';

/** Every destination type Queuewatch knows, by the `type` written in the config file. */
export const destinationFactories = {
  log: createLogDestination,
  slack: createSlackDestination,
  webhook: createWebhookDestination,
  module: createModuleDestination,
  pagerduty: createPagerDutyDestination,
  opsgenie: createOpsgenieDestination,
  discord: createDiscordDestination,
  teams: createTeamsDestination,
  email: createEmailDestination,
} as const satisfies Readonly<Record<string, DestinationFactory>>;

/** A configured destination type. */
export type DestinationType = keyof typeof destinationFactories;

/** The known types, in the order they are listed in messages. */
export const destinationTypes = Object.keys(destinationFactories) as readonly DestinationType[];

/** One destination as written in the config file: its name, type and the rest as options. */
export interface DestinationEntry {
  readonly name: string;
  readonly type: string;
  readonly options: unknown;
}

/**
 * Build the configured destinations, in order. Names and types are checked for all entries before
 * any is built, so a typo is reported before a plugin is imported. `baseDir` (the config file's
 * directory) is where a `module` destination's relative path starts.
 */
export async function createDestinations(
  entries: readonly DestinationEntry[],
  deps: DestinationDependencies,
  baseDir: string,
): Promise<AlertPort[]> {
  const seen = new Set<string>();
  for (const { name, type } of entries) {
    if (seen.has(name))
      throw new DestinationConfigError(name, 'the name is used twice; each name must be unique');
    seen.add(name);
    if (!isDestinationType(type))
      throw new DestinationConfigError(
        name,
        `unknown type ${JSON.stringify(type)}; the known types are ${destinationTypes.join(', ')}`,
      );
  }
  const destinations: AlertPort[] = [];
  for (const { name, type, options } of entries) {
    const factory = destinationFactories[type as DestinationType];
    const given = type === 'module' ? withBaseDir(name, options, baseDir) : options;
    destinations.push(await factory(name, given, deps));
  }
  return destinations;
}

function isDestinationType(type: string): type is DestinationType {
  return Object.hasOwn(destinationFactories, type);
}

function withBaseDir(name: string, options: unknown, baseDir: string): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  if ('baseDir' in options)
    throw new DestinationConfigError(
      name,
      'baseDir is not an option: a relative module path starts at the config file’s directory',
    );
  return { ...options, baseDir };
}
