import type { EventGap } from '../ports/job-event-source.port.js';

/**
 * The latest event gap of each queue and how many were found, and Redis's latest data loss, for
 * the health report and the metrics.
 */
export class EventGapLog {
  private readonly latest = new Map<string, EventGap>();
  private readonly counts = new Map<string, number>();
  private dataLostAt: number | null = null;

  record(gap: EventGap): void {
    this.latest.set(gap.queueName, gap);
    this.counts.set(gap.queueName, (this.counts.get(gap.queueName) ?? 0) + 1);
    if (gap.reason === 'redis-data-lost') this.dataLostAt = gap.detectedAt;
  }

  /** When events of this queue were last found missing (ms), or `null`. */
  lastGapAt(queueName: string): number | null {
    return this.latest.get(queueName)?.detectedAt ?? null;
  }

  /** Why events of this queue were last found missing, or `null`. */
  lastGapReason(queueName: string): EventGap['reason'] | null {
    return this.latest.get(queueName)?.reason ?? null;
  }

  /** Gaps found per queue since this instance started (for `/metrics`). */
  gapCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** When Redis was last found to have lost its data (ms), or `null`. */
  lastDataLossAt(): number | null {
    return this.dataLostAt;
  }
}
