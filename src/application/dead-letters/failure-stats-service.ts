import type { FailureRules } from '../alerting/failure-rules.js';
import type { FailedJobStatsBody, RecentFailedJobsBody } from '../contract/failed-jobs.js';
import type { Clock } from '../ports/clock.port.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.port.js';

/** Retention of the dead-letter queue. */
export interface RetentionSettings {
  readonly maxAgeMs: number;
  readonly maxCount: number;
}

/** The dead-letter queue and the failure windows, as the API shows them; and its retention. */
export class FailureStatsService {
  constructor(
    private readonly deadLetters: DeadLetterStore,
    private readonly rules: Pick<FailureRules, 'stats'>,
    private readonly clock: Clock,
    private readonly retention: RetentionSettings,
  ) {}

  async stats(): Promise<FailedJobStatsBody> {
    return {
      deadLetterQueue: await this.deadLetters.summary(),
      monitoredQueues: this.rules.stats(),
    };
  }

  async recent(limit: number): Promise<RecentFailedJobsBody> {
    return { jobs: await this.deadLetters.recent(limit) };
  }

  /** Drop records past their age or beyond the count (run on a timer). */
  prune(): Promise<number> {
    return this.deadLetters.prune(
      this.clock.now(),
      this.retention.maxAgeMs,
      this.retention.maxCount,
    );
  }
}
