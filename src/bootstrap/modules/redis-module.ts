import { ContainerModule } from 'inversify';
import { serverOf } from '../../adapters/bullmq/redis-topology.js';
import type { RedisClient } from '../../adapters/redis/redis-connection.js';
import { openRedisConnection, type ConnectionRole } from '../../adapters/redis/redis-connection.js';
import { RedisAuditTrail } from '../../adapters/redis/redis-audit-trail.js';
import { RedisPubSub } from '../../adapters/redis/redis-pub-sub.js';
import { RedisInfoProbe } from '../../adapters/redis/redis-info-probe.js';
import { provide } from '../provide.js';
import { redisEndpointOf } from '../config/redis-connection-config.js';
import { TOKENS, type Token } from '../tokens.js';

/** Three connections whatever the number of queues: commands, the event reader, pub/sub. */
const connections: [Token<RedisClient>, string, ConnectionRole][] = [
  [TOKENS.RedisConnection, 'queuewatch', 'commands'],
  [TOKENS.EventReaderConnection, 'queuewatch:events', 'blocking'],
  [TOKENS.SubscriberConnection, 'queuewatch:pubsub', 'subscriber'],
];

/**
 * The Redis connections, the probe that measures Redis, pub/sub between processes, and the audit
 * trail.
 */
export const redisModule = new ContainerModule(({ bind }) => {
  for (const [token, name, role] of connections) {
    provide(bind, token, [TOKENS.Config, TOKENS.Logger], (config, logger) =>
      openRedisConnection(
        {
          endpoint: redisEndpointOf(config),
          name,
          role,
          commandTimeoutMs: config.redisCommandTimeoutMs,
        },
        logger,
      ),
    );
  }
  provide(
    bind,
    TOKENS.RedisProbe,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) =>
      new RedisInfoProbe(connection, () => serverOf(connection, `${config.prefix}:`)),
  );
  provide(
    bind,
    TOKENS.PubSub,
    [TOKENS.SubscriberConnection, TOKENS.RedisConnection],
    (subscriber, publisher) => new RedisPubSub(subscriber, publisher),
  );
  provide(
    bind,
    TOKENS.AuditTrail,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) =>
      new RedisAuditTrail(connection, config.auditMaxEntries, `${config.keyRoot}:audit`),
  );
});
