import type { Clock } from '../../application/ports/clock.port.js';
import type { EventGap } from '../../application/ports/job-event-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { AttemptCounter } from '../../domain/job-events/attempt-counter.js';
import type { Listeners } from './listeners.js';
import type { LostEvents } from './lost-events.js';

/**
 * What the stream reader does about lost events. LostEvents finds them; this keeps which streams
 * are suspect — read last before an interruption or a change of server, resumed from a checkpoint,
 * or left behind by a full batch — and, before each read, has them checked: Redis lost its data,
 * failed over to a replica, or a suspect stream was trimmed past the last entry read. Each loss is
 * told to the gap listeners, and the attempts it left uncountable are forgotten.
 */
export class EventGapWatch {
  private readonly suspects = new Set<string>();

  constructor(
    private readonly lostEvents: LostEvents,
    private readonly attempts: AttemptCounter,
    private readonly gaps: Listeners<EventGap>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Whatever was read last from these may have been trimmed since: checked before the next read. */
  suspect(queueNames: Iterable<string>): void {
    for (const name of queueNames) this.suspects.add(name);
  }

  /**
   * The checks before a read of the streams at `lastIds` (by queue): at once after an interruption
   * or a change of server, else every few seconds (LostEvents), and the suspect streams each time.
   * `restart` sets a queue's reading back to its stream's start, when Redis lost its data.
   */
  async check(
    lastIds: ReadonlyMap<string, string>,
    afterInterruption: boolean,
    restart: (queueName: string) => void,
  ): Promise<void> {
    const moved = this.lostEvents.serverChanged();
    // Another master holds the streams now: whatever was read last may not be there.
    if (moved) this.suspect(lastIds.keys());
    await this.checkFailover(lastIds, afterInterruption || moved);
    await this.checkData(lastIds, afterInterruption || moved, restart);
    await this.checkTrimmed(lastIds);
  }

  /**
   * Redis lost its data (restarted empty, flushed): every followed queue lost its unread events,
   * and its stream starts anew.
   */
  private async checkData(
    lastIds: ReadonlyMap<string, string>,
    checkNow: boolean,
    restart: (queueName: string) => void,
  ): Promise<void> {
    if (!(await this.lostEvents.dataLost(checkNow))) return;
    this.everyQueueLost(
      lastIds,
      'redis-data-lost',
      'Redis lost its data (restarted without persistence, or flushed)',
      (name) => {
        restart(name);
        this.suspects.delete(name);
        return '0-0';
      },
    );
  }

  /**
   * After a failover to a replica, events the old master wrote after its last replication are
   * lost, which ones cannot be known: a gap for every followed queue. Reading goes on after the
   * last event read: the new master's entries are newer (their ids come from its clock).
   */
  private async checkFailover(
    lastIds: ReadonlyMap<string, string>,
    checkNow: boolean,
  ): Promise<void> {
    if (!(await this.lostEvents.failedOver(checkNow))) return;
    this.everyQueueLost(
      lastIds,
      'failover',
      'Redis failed over to a replica; events not yet replicated are lost',
      (_, lastReadId) => lastReadId,
    );
  }

  /**
   * Every followed queue lost events no one can count: say so once, forget the attempts, and
   * tell a gap per queue, resumed where `resume` (which may reset the queue's reading) says.
   */
  private everyQueueLost(
    lastIds: ReadonlyMap<string, string>,
    reason: 'redis-data-lost' | 'failover',
    message: string,
    resume: (queueName: string, lastReadId: string) => string,
  ): void {
    this.logger.error(message, { queues: [...lastIds.keys()] });
    this.attempts.forgetAll();
    const detectedAt = this.clock.now();
    for (const [name, lastReadId] of [...lastIds]) {
      const resumedAtId = resume(name, lastReadId);
      this.gaps.tell({ queueName: name, reason, lastReadId, resumedAtId, detectedAt });
    }
  }

  /** For each suspect stream, see whether entries after the last one read were trimmed away. */
  private async checkTrimmed(lastIds: ReadonlyMap<string, string>): Promise<void> {
    if (this.suspects.size === 0) return;
    const suspects = new Map<string, string>();
    for (const name of this.suspects) {
      const lastReadId = lastIds.get(name);
      if (lastReadId !== undefined) suspects.set(name, lastReadId);
    }
    const gaps = await this.lostEvents.trimmed(suspects);
    for (const name of suspects.keys()) this.suspects.delete(name);
    for (const gap of gaps) {
      // Attempts that ended in the lost events were not counted.
      this.attempts.forgetQueues([gap.queueName]);
      this.gaps.tell(gap);
    }
  }
}
