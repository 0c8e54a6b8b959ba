import type { AlertPort } from '../../application/ports/alert.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';

/** What every destination factory is given besides its own options. */
export interface DestinationDependencies {
  readonly logger: Logger;
  /** The global `fetch` in production; a test may pass its own. */
  readonly fetch: typeof fetch;
  /** Signing timestamps and Retry-After dates are read against it. */
  readonly clock: Clock;
}

/**
 * Builds one configured destination. `options` is the destination's part of the config file, not
 * yet validated: the factory validates it and throws a DestinationConfigError when it is wrong.
 */
export type DestinationFactory = (
  name: string,
  options: unknown,
  deps: DestinationDependencies,
) => AlertPort | Promise<AlertPort>;

/** The dependencies of production: the given logger, the global `fetch` and the machine's clock. */
export function destinationDependencies(
  logger: Logger,
  fetchImplementation: typeof fetch = (input, init) => fetch(input, init),
  clock: Clock = { now: () => Date.now() },
): DestinationDependencies {
  return { logger, fetch: fetchImplementation, clock };
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
