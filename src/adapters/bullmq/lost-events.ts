import type { Redis } from 'ioredis';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventGap } from '../../application/ports/job-event-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { RedisEpoch } from './redis-epoch.js';
import { eventsLost, readStreamInfos } from './stream-info.js';

/** How often Redis is checked for having lost its data (ms). */
const dataCheckIntervalMs = 5_000;

/**
 * Finds the events that were lost before the reader read them: a stream trimmed past the last
 * entry read (`XINFO STREAM`), or Redis losing all its data — restarted without persistence, or
 * flushed (an epoch key gone or replaced). It only finds; the reader decides what to reset.
 */
export class LostEvents {
  private readonly epoch = new RedisEpoch();
  private lastDataCheckAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly connection: Redis,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly streamKey: (queueName: string) => string,
  ) {}

  /** The gaps of the streams whose entries after `lastReadIds` (by queue) were trimmed away. */
  async trimmed(lastReadIds: ReadonlyMap<string, string>): Promise<EventGap[]> {
    const names = [...lastReadIds.keys()];
    if (names.length === 0) return [];
    const infos = await readStreamInfos(
      this.connection,
      names.map((name) => this.streamKey(name)),
    );
    const gaps: EventGap[] = [];
    names.forEach((name, index) => {
      const info = infos[index];
      const lastReadId = lastReadIds.get(name);
      if (info === 'error' || info === null || info === undefined || lastReadId === undefined)
        return;
      if (!eventsLost(info, lastReadId)) return;
      const gap: EventGap = {
        queueName: name,
        reason: 'trimmed',
        lastReadId,
        resumedAtId: info.firstId ?? info.lastGeneratedId,
        detectedAt: this.clock.now(),
      };
      this.logger.warn('job events were lost: the stream was trimmed past the last event read', {
        ...gap,
      });
      gaps.push(gap);
    });
    return gaps;
  }

  /**
   * Every few seconds, and after each interruption: has Redis lost its data since the last check?
   * A check Redis refuses (out of memory, when the epoch must be written) says no, and is tried
   * again later.
   */
  async dataLost(afterInterruption: boolean): Promise<boolean> {
    const now = this.clock.now();
    if (!afterInterruption && now - this.lastDataCheckAt < dataCheckIntervalMs) return false;
    this.lastDataCheckAt = now;
    try {
      return await this.epoch.check(this.connection);
    } catch (error) {
      this.logger.debug('could not check whether Redis kept its data', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }
}
