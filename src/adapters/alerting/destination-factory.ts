import type { AlertDestination } from '../../application/ports/alert-destination.port.js';
import type { Logger } from '../../application/ports/logger.port.js';

/** What every destination factory is given besides its own options. */
export interface DestinationDependencies {
  readonly logger: Logger;
  /** The global `fetch` in production; a test may pass its own. */
  readonly fetch: typeof fetch;
}

/**
 * Builds one configured destination. `options` is the destination's part of the config file, not
 * yet validated: the factory validates it and throws a DestinationConfigError when it is wrong.
 */
export type DestinationFactory = (
  name: string,
  options: unknown,
  deps: DestinationDependencies,
) => AlertDestination | Promise<AlertDestination>;

/** The dependencies of production: the given logger and the global `fetch`. */
export function destinationDependencies(
  logger: Logger,
  fetchImplementation: typeof fetch = (input, init) => fetch(input, init),
): DestinationDependencies {
  return { logger, fetch: fetchImplementation };
}

/**
 * A destination Queuewatch cannot start with: its message names the destination and the problem,
 * e.g. `alerts.destinations "ops-webhook": secret must start with whsec_`. It never quotes a secret.
 */
export class DestinationConfigError extends Error {
  readonly code = 'QW_CONFIG_INVALID';

  constructor(
    readonly destination: string,
    problem: string,
  ) {
    super(`alerts.destinations ${JSON.stringify(destination)}: ${problem}`);
    this.name = 'DestinationConfigError';
  }
}

/** Type guard for DestinationConfigError. */
export function isDestinationConfigError(value: unknown): value is DestinationConfigError {
  return value instanceof DestinationConfigError;
}
