import { ContainerModule } from 'inversify';
import { BullmqJobBrowser } from '../../adapters/bullmq/bullmq-job-browser.js';
import { BullmqBulkJobControl } from '../../adapters/bullmq/bullmq-bulk-job-control.js';
import { BullmqJobControl } from '../../adapters/bullmq/bullmq-job-control.js';
import { BullmqJobSubmitter } from '../../adapters/bullmq/bullmq-job-submitter.js';
import { BullmqQueueReader } from '../../adapters/bullmq/bullmq-queue-reader.js';
import { ScanQueueDiscovery } from '../../adapters/bullmq/scan-queue-discovery.js';
import { StreamJobEventSource } from '../../adapters/bullmq/stream-job-event-source.js';
import { provide } from '../provide.js';
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
  provide(
    bind,
    TOKENS.QueuePort,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) => new BullmqQueueReader(connection, config.prefix),
  );
  provide(
    bind,
    TOKENS.JobBrowser,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) => new BullmqJobBrowser(connection, config.prefix),
  );
  provide(
    bind,
    TOKENS.QueueDiscovery,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) => new ScanQueueDiscovery(connection, config.prefix),
  );
  provide(
    bind,
    TOKENS.JobEventSource,
    [
      TOKENS.EventReaderConnection,
      TOKENS.Clock,
      TOKENS.Logger,
      TOKENS.Config,
      TOKENS.CheckpointStore,
    ],
    (connection, clock, logger, config, checkpoints) =>
      new StreamJobEventSource(
        connection,
        clock,
        logger,
        { prefix: config.prefix, keyRoot: config.keyRoot, ...streamReading },
        checkpoints,
      ),
  );
  provide(
    bind,
    TOKENS.JobSubmitter,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) => new BullmqJobSubmitter(connection, config.prefix),
  );
  provide(
    bind,
    TOKENS.JobControl,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) => new BullmqJobControl(connection, config.prefix),
  );
  // Bulk steps on the same queues (and connection) as single changes.
  provide(
    bind,
    TOKENS.BulkJobControl,
    [TOKENS.RedisConnection, TOKENS.JobControl],
    (connection, control) =>
      new BullmqBulkJobControl(connection, (queueName) => control.queueOf(queueName)),
  );
});
