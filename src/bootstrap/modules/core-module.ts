import { ContainerModule } from 'inversify';
import type { Logger } from '../../application/ports/logger.port.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { systemTimer } from '../../adapters/clock/system-timer.js';
import { PinoLogger } from '../../adapters/logging/pino-logger.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { provideValue } from '../provide.js';
import { TOKENS, type Lifecycle } from '../tokens.js';

/** Configuration, the lifecycle, the logger, the clock and the timer. */
export function coreModule(
  config: QueuewatchConfig,
  lifecycle: Lifecycle,
  logger?: Logger,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provideValue(bind, TOKENS.Config, config);
    provideValue(bind, TOKENS.Lifecycle, lifecycle);
    provideValue(bind, TOKENS.Logger, logger ?? new PinoLogger(config.logLevel));
    provideValue(bind, TOKENS.Clock, systemClock);
    provideValue(bind, TOKENS.Timer, systemTimer);
  });
}
