import type {
  QueueHealth,
  QueueSnapshot,
  QueueThresholds,
} from '../../domain/queue-health/index.js';
import type { QueueHealthBody } from '../contract/health.js';
import { sameNumbers } from './kept-readings.js';

/** A verdict kept with what it was judged from. */
interface KeptVerdict {
  readonly snapshot: QueueSnapshot;
  readonly thresholds: QueueThresholds;
  /** A copy of the processing times it was judged with (the kept ones change in place). */
  readonly times: readonly number[] | undefined;
  readonly health: QueueHealth;
  readonly valid: VerdictTimes;
}

/** When a verdict was judged, and when the time alone would change it (ms epoch). */
export interface VerdictTimes {
  readonly judgedAt: number;
  /** The next of its active jobs turns stale (see verdictChangesAt). */
  readonly changesAt: number;
}

/**
 * The last verdict of each queue, handed out again while it is judged from the same snapshot,
 * thresholds and processing times, and before the time alone would change it (the next of its
 * active jobs turning stale: see verdictChangesAt); and each verdict's body as the report
 * carries it, made once. With thousands of quiet queues, a check then judges,
 * and the report encodes (its routes keep each body's JSON), only the queues that changed: the
 * same objects travel from one report to the next. Reports and their parts are never changed once
 * made, so sharing them is safe.
 */
export class KeptVerdicts {
  private readonly kept = new Map<string, KeptVerdict>();
  private readonly bodies = new WeakMap<QueueHealth, QueueHealthBody>();

  /**
   * The kept verdict when it was judged from exactly these and the check's time `now` (ms epoch)
   * lies between its judging and its change, else `undefined`: a clock set back before the
   * judging has the queue judged again at the earlier time, as any check is judged at its own.
   */
  unchanged(
    queueName: string,
    snapshot: QueueSnapshot,
    thresholds: QueueThresholds,
    times: readonly number[] | undefined,
    now: number,
  ): QueueHealth | undefined {
    const kept = this.kept.get(queueName);
    if (kept?.snapshot !== snapshot || kept.thresholds !== thresholds) return undefined;
    if (now < kept.valid.judgedAt || now >= kept.valid.changesAt) return undefined;
    return sameTimes(kept.times, times) ? kept.health : undefined;
  }

  /** Keep `health`, judged from these at `valid.judgedAt`, until `valid.changesAt`. */
  keep(
    queueName: string,
    snapshot: QueueSnapshot,
    thresholds: QueueThresholds,
    times: readonly number[] | undefined,
    health: QueueHealth,
    valid: VerdictTimes,
  ): void {
    this.kept.set(queueName, { snapshot, thresholds, times: times?.slice(), health, valid });
  }

  forget(queueName: string): void {
    this.kept.delete(queueName);
  }

  /** Forget queues no longer watched. */
  retainOnly(queueNames: ReadonlySet<string>): void {
    for (const name of this.kept.keys()) if (!queueNames.has(name)) this.kept.delete(name);
  }

  /** The verdict as the report carries it, made once per verdict. */
  body(health: QueueHealth): QueueHealthBody {
    let body = this.bodies.get(health);
    if (body === undefined) {
      body = toQueueHealthBody(health);
      this.bodies.set(health, body);
    }
    return body;
  }
}

function sameTimes(kept: readonly number[] | undefined, now: readonly number[] | undefined) {
  return kept === undefined || now === undefined ? kept === now : sameNumbers(now, kept);
}

/** A verdict as the report carries it: the last finish as an ISO timestamp. */
function toQueueHealthBody(queue: QueueHealth): QueueHealthBody {
  if (!queue.details) return { ...queue, details: null };
  const { lastJobProcessedAt, ...details } = queue.details;
  return {
    ...queue,
    details: {
      ...details,
      lastJobProcessed:
        lastJobProcessedAt === null ? null : new Date(lastJobProcessedAt).toISOString(),
    },
  };
}
