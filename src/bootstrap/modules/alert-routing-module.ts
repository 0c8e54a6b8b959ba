import { randomUUID } from 'node:crypto';
import { ContainerModule } from 'inversify';
import { AlertIntake } from '../../application/alerting/alert-intake.js';
import { DirectNotifier } from '../../application/alerting/direct-notifier.js';
import { FiringSweeper } from '../../application/alerting/firing-sweeper.js';
import { GroupFlusher } from '../../application/alerting/group-flusher.js';
import { SilenceService } from '../../application/alerting/silence-service.js';
import { BullmqGroupFlushQueue } from '../../adapters/bullmq/bullmq-group-flush-queue.js';
import { RedisAlertGroups } from '../../adapters/redis/redis-alert-groups.js';
import { RedisFiringAlerts } from '../../adapters/redis/redis-firing-alerts.js';
import { RedisSilenceStore } from '../../adapters/redis/redis-silence-store.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';

/** Labels every alert carries; a queue's own labels come on top. */
const baseLabelNames = ['rule', 'severity', 'queue'];

/**
 * What happens to an alert after its rule fires: the shared list of firing alerts, the routing
 * tree, groups and their flushes, silences, inhibition, and the direct path for Redis outages.
 */
export const alertRoutingModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.AlertGroups,
    [TOKENS.RedisConnection, TOKENS.Config],
    (redis, config) => new RedisAlertGroups(redis, `${config.keyRoot}:alerts:group`),
  );
  provide(
    bind,
    TOKENS.FiringAlerts,
    [TOKENS.RedisConnection, TOKENS.Config],
    (redis, config) => new RedisFiringAlerts(redis, `${config.keyRoot}:alerts:firing`),
  );
  provide(
    bind,
    TOKENS.GroupFlushQueue,
    [TOKENS.RedisConnection, TOKENS.AlertJobs, TOKENS.Config, TOKENS.Logger],
    (redis, jobs, config, logger) =>
      new BullmqGroupFlushQueue(
        redis,
        jobs,
        { queueName: config.alerts.formerGroupsQueueName, prefix: config.prefix },
        logger,
      ),
  );
  provide(
    bind,
    TOKENS.SilenceService,
    [TOKENS.RedisConnection, TOKENS.Clock, TOKENS.MonitoredQueues, TOKENS.Config],
    (redis, clock, queues, config) =>
      new SilenceService(
        new RedisSilenceStore(redis, () => clock.now(), `${config.keyRoot}:alerts:silences`),
        clock,
        () =>
          new Set([
            ...baseLabelNames,
            ...queues.list().flatMap((queue) => Object.keys(queue.labels ?? {})),
          ]),
        randomUUID,
      ),
  );
  provide(
    bind,
    TOKENS.AlertIntake,
    [TOKENS.AlertGroups, TOKENS.GroupFlushQueue, TOKENS.FiringAlerts, TOKENS.Config],
    (groups, flushes, firing, config) =>
      new AlertIntake(groups, flushes, firing, {
        root: config.alerts.route,
        dashboardUrl: config.alerts.dashboardUrl,
      }),
  );
  provide(
    bind,
    TOKENS.GroupFlusher,
    [
      TOKENS.AlertGroups,
      TOKENS.GroupFlushQueue,
      TOKENS.FiringAlerts,
      TOKENS.SilenceService,
      TOKENS.AlertLog,
      TOKENS.AlertOutbox,
      TOKENS.Metrics,
      TOKENS.Clock,
      TOKENS.Logger,
      TOKENS.Config,
    ],
    (groups, flushes, firing, silences, log, outbox, metrics, clock, logger, config) =>
      new GroupFlusher(
        { groups, flushes, firing, silences, log, outbox, metrics, clock, logger },
        config.alerts.route,
        config.alerts.inhibitRules,
      ),
  );
  provide(
    bind,
    TOKENS.DirectNotifier,
    [
      TOKENS.AlertIntake,
      TOKENS.AlertDelivery,
      TOKENS.SilenceService,
      TOKENS.Clock,
      TOKENS.Timer,
      TOKENS.Logger,
      TOKENS.Metrics,
      TOKENS.Config,
    ],
    (intake, delivery, silences, clock, timer, logger, metrics, config) =>
      new DirectNotifier(
        intake,
        delivery,
        silences,
        { clock, timer, logger, metrics },
        config.alerts.delivery,
      ),
  );
  provide(
    bind,
    TOKENS.FiringSweeper,
    [TOKENS.FiringAlerts, TOKENS.AlertDispatcher, TOKENS.Clock, TOKENS.Logger, TOKENS.Config],
    (firing, dispatcher, clock, logger, config) =>
      new FiringSweeper(firing, dispatcher, clock, logger, config.alerts.repeatIntervalMs),
  );
});
