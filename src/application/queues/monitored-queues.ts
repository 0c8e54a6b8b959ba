import type { QueueConditionRule } from '../../domain/alerting/condition-rules.js';
import type { FailureThreshold } from '../../domain/alerting/failure-rule.js';
import type { QueueThresholds } from '../../domain/queue-health/index.js';
import type { Logger } from '../ports/logger.port.js';
import type { QueueDiscovery } from '../ports/queue-discovery.port.js';
import type { QueuePriority } from './queue-priority.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** What Queuewatch knows about one queue it watches. */
export interface MonitoredQueue {
  readonly name: string;
  readonly priority: QueuePriority;
  readonly thresholds: QueueThresholds;
  /** When the queue's failures raise an alert. */
  readonly failureThreshold: FailureThreshold;
  /** The queue's own labels, carried by each of its alerts (routing, silences, inhibition). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The queue's enabled condition rules (backlog, no workers, …); none when left out. */
  readonly rules?: readonly QueueConditionRule[];
}

/** How the set of watched queues is decided. */
export interface MonitoredQueuesOptions {
  /** Queues named in configuration, with their settings; always watched. */
  readonly configured: readonly MonitoredQueue[];
  /** When true, queues found in Redis are watched as well. */
  readonly discover: boolean;
  /** Settings for a discovered queue that configuration does not name. */
  readonly defaults: Omit<MonitoredQueue, 'name'>;
  /** Queues never watched (Queuewatch's own). */
  readonly excluded: readonly string[];
}

/** The queues Queuewatch watches: the configured ones plus, optionally, the discovered ones. */
export class MonitoredQueues {
  private discovered: readonly string[] = [];
  private byName = new Map<string, MonitoredQueue>();

  constructor(
    private readonly options: MonitoredQueuesOptions,
    private readonly discovery: QueueDiscovery,
    private readonly logger: Logger,
  ) {
    this.rebuild();
  }

  /** Every watched queue, sorted by name. */
  list(): MonitoredQueue[] {
    return [...this.byName.values()];
  }

  /** Names of every watched queue, sorted. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The watched queue of this name, if it is watched. */
  get(name: string): MonitoredQueue | undefined {
    return this.byName.get(name);
  }

  /**
   * Look for queues again. A failed look keeps the last known list, so a Redis outage does not
   * make queues vanish from the health report.
   */
  async refresh(): Promise<void> {
    if (!this.options.discover) return;
    try {
      // Queuewatch's own queues are found too; they are never watched, nor said to be.
      const excluded = new Set(this.options.excluded);
      const found = (await this.discovery.discover()).filter((name) => !excluded.has(name));
      const before = new Set(this.discovered);
      const added = found.filter((name) => !before.has(name));
      if (added.length > 0) this.logger.info('queues discovered', { queues: added });
      this.discovered = found;
      this.rebuild();
    } catch (error) {
      this.logger.warn('queue discovery failed; keeping the last known queues', {
        reason: reasonOf(error),
      });
    }
  }

  private rebuild(): void {
    const byName = new Map<string, MonitoredQueue>();
    for (const name of this.discovered) byName.set(name, { name, ...this.options.defaults });
    for (const queue of this.options.configured) byName.set(queue.name, queue);
    for (const name of this.options.excluded) byName.delete(name);
    const sorted = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    this.byName = new Map(sorted.map((queue) => [queue.name, queue]));
  }
}
