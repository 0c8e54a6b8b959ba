import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import type { Logger } from '../../application/ports/logger.port.js';
import { openRedisConnection, type ConnectionRole } from '../../adapters/redis/redis-connection.js';
import { RedisCustomProgressSource } from '../../adapters/redis/redis-custom-progress-source.js';
import { RedisInfoProbe } from '../../adapters/redis/redis-info-probe.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** Three connections whatever the number of queues: commands, the event reader, pub/sub. */
const connections: [symbol, string, ConnectionRole][] = [
  [TOKENS.RedisConnection, 'queuewatch', 'commands'],
  [TOKENS.EventReaderConnection, 'queuewatch:events', 'blocking'],
  [TOKENS.SubscriberConnection, 'queuewatch:pubsub', 'subscriber'],
];

/** The Redis connections, the probe that measures Redis, and the custom-progress subscriber. */
export const redisModule = new ContainerModule(({ bind }) => {
  for (const [token, name, role] of connections) {
    bind(token)
      .toResolvedValue(
        (config: QueuewatchConfig, logger: Logger) =>
          openRedisConnection(
            { url: config.redisUrl, name, role, commandTimeoutMs: config.redisCommandTimeoutMs },
            logger,
          ),
        [TOKENS.Config, TOKENS.Logger],
      )
      .inSingletonScope();
  }
  bind(TOKENS.RedisProbe)
    .toResolvedValue(
      (connection: Redis) => new RedisInfoProbe(connection),
      [TOKENS.RedisConnection],
    )
    .inSingletonScope();
  bind(TOKENS.CustomProgressSource)
    .toResolvedValue(
      (subscriber: Redis, logger: Logger) => new RedisCustomProgressSource(subscriber, logger),
      [TOKENS.SubscriberConnection, TOKENS.Logger],
    )
    .inSingletonScope();
});
