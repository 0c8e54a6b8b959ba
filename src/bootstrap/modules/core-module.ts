import { ContainerModule } from 'inversify';
import type { Logger } from '../../application/ports/logger.port.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { systemTimer } from '../../adapters/clock/system-timer.js';
import { PinoLogger } from '../../adapters/logging/pino-logger.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** Configuration, the logger, the clock and the timer. */
export function coreModule(config: QueuewatchConfig, logger?: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Logger).toConstantValue(logger ?? new PinoLogger(config.logLevel));
    bind(TOKENS.Clock).toConstantValue(systemClock);
    bind(TOKENS.Timer).toConstantValue(systemTimer);
  });
}
