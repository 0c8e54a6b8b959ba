import { serverOf, type RedisClient } from './redis-topology.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventGap } from '../../application/ports/job-event-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { RedisEpoch } from './redis-epoch.js';
import { eventsLost, readStreamInfos } from './stream-info.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** How often Redis is checked for having lost its data (ms). */
const dataCheckIntervalMs = 5_000;

/**
 * Finds the events that were lost before the reader read them: a stream trimmed past the last
 * entry read (`XINFO STREAM`), Redis losing all its data — restarted without persistence, or
 * flushed (an epoch key gone or replaced) — or a failover to a replica, which lacks what the old
 * master had not yet replicated. It only finds; the reader decides what to reset.
 */
export class LostEvents {
  private readonly epoch: RedisEpoch;
  private lastDataCheckAt = Number.NEGATIVE_INFINITY;
  private lastFailoverCheckAt = Number.NEGATIVE_INFINITY;
  /** The replication id of the server read from, as last seen. */
  private replicationId: string | undefined;
  /** `host:port` of the server that holds the streams, as last seen (it changes on a cluster). */
  private server: string | undefined;

  constructor(
    private readonly connection: RedisClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly streamKey: (queueName: string) => string,
    epochKey = 'queuewatch:epoch',
  ) {
    this.epoch = new RedisEpoch(epochKey);
  }

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
   * Has another server taken the streams over since the last call? On a cluster, a read cut by a
   * master's failure is sent again by the cluster client to the promoted replica, so the reader
   * sees no interruption: this is how it knows to check at once for a failover or a loss. Always
   * false on one Redis (behind Sentinels, a failover interrupts the read).
   */
  serverChanged(): boolean {
    let current: string;
    try {
      const { host, port } = serverOf(this.connection, this.streamKey('')).options;
      current = `${host ?? ''}:${String(port ?? '')}`;
    } catch {
      return false; // The cluster has not said yet: asked again on the next read.
    }
    const changed = this.server !== undefined && this.server !== current;
    this.server = current;
    return changed;
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
        reason: reasonOf(error),
      });
      return false;
    }
  }

  /**
   * Every few seconds, and after each interruption: is the server now read a replica promoted
   * since the last check? A promoted replica keeps the old master's replication id as its second
   * one (`master_replid2`), and its own is new: what the old master wrote after its last
   * replication is not there. A restart keeps no second id, and a flush is `dataLost`'s to find.
   */
  async failedOver(afterInterruption: boolean): Promise<boolean> {
    const now = this.clock.now();
    if (!afterInterruption && now - this.lastFailoverCheckAt < dataCheckIntervalMs) return false;
    this.lastFailoverCheckAt = now;
    let info: string;
    try {
      // On a cluster, the master that holds the streams (every queue shares its slot).
      info = await serverOf(this.connection, this.streamKey('')).info('replication');
    } catch (error) {
      this.logger.debug('could not read whether Redis failed over', {
        reason: reasonOf(error),
      });
      return false;
    }
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
    const current = field('master_replid');
    const previous = field('master_replid2');
    const known = this.replicationId;
    if (current !== undefined) this.replicationId = current;
    return known !== undefined && current !== known && previous === known;
  }
}
