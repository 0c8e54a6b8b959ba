import type { EventGap } from '../ports/job-event-source.port.js';

/** The latest event gap of each queue, so the health report can say events were lost. */
export class EventGapLog {
  private readonly latest = new Map<string, EventGap>();

  record(gap: EventGap): void {
    this.latest.set(gap.queueName, gap);
  }

  /** When events of this queue were last found missing (ms), or `null`. */
  lastGapAt(queueName: string): number | null {
    return this.latest.get(queueName)?.detectedAt ?? null;
  }
}
