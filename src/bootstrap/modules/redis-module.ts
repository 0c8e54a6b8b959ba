import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import type { Logger } from '../../application/ports/logger.port.js';
import { openRedisConnection } from '../../adapters/redis/redis-connection.js';
import { RedisInfoProbe } from '../../adapters/redis/redis-info-probe.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** The Redis connection for short commands and the probe that measures Redis. */
export const redisModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.RedisConnection)
    .toResolvedValue(
      (config: QueuewatchConfig, logger: Logger) =>
        openRedisConnection(
          {
            url: config.redisUrl,
            name: 'queuewatch',
            commandTimeoutMs: config.redisCommandTimeoutMs,
          },
          logger,
        ),
      [TOKENS.Config, TOKENS.Logger],
    )
    .inSingletonScope();
  bind(TOKENS.RedisProbe)
    .toResolvedValue(
      (connection: Redis) => new RedisInfoProbe(connection),
      [TOKENS.RedisConnection],
    )
    .inSingletonScope();
});
