import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import { BullmqJobSubmitter } from '../../adapters/bullmq/bullmq-job-submitter.js';
import { BullmqQueueReader } from '../../adapters/bullmq/bullmq-queue-reader.js';
import { ScanQueueDiscovery } from '../../adapters/bullmq/scan-queue-discovery.js';
import { StreamJobEventSource } from '../../adapters/bullmq/stream-job-event-source.js';
import type { CheckpointStore } from '../../application/ports/checkpoint-store.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/**
 * Event-stream reading: entries per XREAD, block time, jobs whose start and attempts are kept,
 * and events whose work (dead-letter records, alert notices) may wait for Redis at once.
 */
const streamReading = {
  batchSize: 1_000,
  blockMs: 1_000,
  trackedJobs: 100_000,
  maxUnfinishedWork: 10_000,
} as const;

/** Reading BullMQ queues, their event streams, and finding them. */
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
  bind(TOKENS.JobEventSource)
    .toResolvedValue(
      (connection: Redis, logger: Logger, config: QueuewatchConfig, checkpoints: CheckpointStore) =>
        new StreamJobEventSource(
          connection,
          logger,
          { prefix: config.prefix, ...streamReading },
          checkpoints,
        ),
      [TOKENS.EventReaderConnection, TOKENS.Logger, TOKENS.Config, TOKENS.CheckpointStore],
    )
    .inSingletonScope();
  bind(TOKENS.JobSubmitter)
    .toResolvedValue(
      (connection: Redis, config: QueuewatchConfig) =>
        new BullmqJobSubmitter(connection, config.prefix),
      [TOKENS.RedisConnection, TOKENS.Config],
    )
    .inSingletonScope();
});
