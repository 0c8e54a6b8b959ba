import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import { BullmqQueueReader } from '../../adapters/bullmq/bullmq-queue-reader.js';
import { ScanQueueDiscovery } from '../../adapters/bullmq/scan-queue-discovery.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** Reading BullMQ queues and finding them. */
export const bullmqModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.QueuePort)
    .toResolvedValue(
      (connection: Redis, config: QueuewatchConfig) =>
        new BullmqQueueReader(connection, config.prefix),
      [TOKENS.RedisConnection, TOKENS.Config],
    )
    .inSingletonScope();
  bind(TOKENS.QueueDiscovery)
    .toResolvedValue(
      (connection: Redis, config: QueuewatchConfig) =>
        new ScanQueueDiscovery(connection, config.prefix),
      [TOKENS.RedisConnection, TOKENS.Config],
    )
    .inSingletonScope();
});
