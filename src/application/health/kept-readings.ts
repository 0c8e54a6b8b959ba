import { dueAgain, phaseOf } from '../../domain/cadence/spread-refresh.js';
import type { QueueSnapshot } from '../../domain/queue-health/index.js';
import type {
  InspectionDepth,
  QueueFigures,
  QueueReadout,
  QueueSamples,
} from '../ports/queue.port.js';
import type { ActivityMark, QueueActivity } from './queue-activity.js';

/** What was last read of one queue, and when. */
interface KeptReading {
  readonly figures: QueueFigures;
  /** When the figures were read (ms epoch). */
  readonly figuresAt: number;
  readonly samples: QueueSamples;
  /** The activity mark taken before the samples were read. */
  readonly samplesMark: ActivityMark;
  /** The stale bound the samples' active walk used (ms epoch). */
  readonly samplesStaleStartedBy: number;
  /** Where in each `quietRefreshMs` this queue's counts are read again while it is quiet (ms). */
  readonly phase: number;
  /** The snapshot last made of these parts: handed out again while nothing in it changed. */
  readonly snapshot: QueueSnapshot;
}

/**
 * Each queue's last good reading, and the rule for how deep the next check must read it:
 * samples only change when jobs move, so they are read again only for queues the event flow
 * touched since (or whose kept active walk no longer reaches a fresh job); counts, pause and the
 * error-rate window of a quiet queue are read again once in every `quietRefreshMs`, so they are
 * never older than that. Each queue has its own moment in that period (from a hash of its name),
 * so with thousands of quiet queues each check reads a slice of them, not all at once every
 * period. A failed read is never kept.
 */
export class KeptReadings {
  private readonly kept = new Map<string, KeptReading>();

  constructor(
    private readonly quietRefreshMs: number,
    private readonly activity: QueueActivity | undefined,
  ) {}

  /** How deep to read this queue for a check at `now`, given its stale bound then. */
  depthFor(queueName: string, now: number, staleStartedBy: number): InspectionDepth {
    const kept = this.kept.get(queueName);
    if (this.quietRefreshMs === 0 || !kept || !this.activity) return 'deep';
    if (this.activity.changedSince(queueName, kept.samplesMark)) return 'deep';
    // The walk stopped at a job that was fresh then; once it is stale, older ones may follow it.
    const stopper = kept.samples.activeStartedAt.at(-1);
    if (
      stopper !== undefined &&
      stopper > kept.samplesStaleStartedBy &&
      stopper <= staleStartedBy
    ) {
      return 'deep';
    }
    return dueAgain(kept.phase, this.quietRefreshMs, kept.figuresAt, now) ? 'counts' : 'none';
  }

  /** The mark to take before a read, so touches during it count as news. */
  mark(): ActivityMark {
    return this.activity?.mark() ?? 0;
  }

  /**
   * Combine a readout with what is kept into a full snapshot, keeping the result; `null` when
   * the readout lacks a part and nothing is kept for it (the queue must then be read deeply).
   * A queue that was not read again, with as many workers, gets the very snapshot it got last
   * time, so what is judged from it can be kept too.
   */
  merge(
    queueName: string,
    readout: QueueReadout,
    read: { readonly at: number; readonly mark: ActivityMark; readonly staleStartedBy: number },
  ): QueueSnapshot | null {
    const kept = this.kept.get(queueName);
    // Parts read again but unchanged stay the objects kept, so the snapshot does too.
    const figures =
      readout.figures && kept && sameFigures(readout.figures, kept.figures)
        ? kept.figures
        : (readout.figures ?? kept?.figures);
    const samples =
      readout.samples && kept && sameSamples(readout.samples, kept.samples)
        ? kept.samples
        : (readout.samples ?? kept?.samples);
    if (!figures || !samples) {
      this.kept.delete(queueName);
      return null;
    }
    const snapshot =
      figures === kept?.figures &&
      samples === kept.samples &&
      readout.workerCount === kept.snapshot.workerCount
        ? kept.snapshot
        : { name: queueName, workerCount: readout.workerCount, ...figures, ...samples };
    // Nothing read again and nothing changed: what is kept stands as it is.
    if (snapshot === kept?.snapshot && !readout.figures && !readout.samples) return snapshot;
    this.kept.set(queueName, {
      figures,
      figuresAt: readout.figures ? read.at : (kept?.figuresAt ?? read.at),
      samples,
      samplesMark: readout.samples ? read.mark : (kept?.samplesMark ?? read.mark),
      samplesStaleStartedBy: readout.samples
        ? read.staleStartedBy
        : (kept?.samplesStaleStartedBy ?? read.staleStartedBy),
      phase: kept?.phase ?? phaseOf(queueName, this.quietRefreshMs),
      snapshot,
    });
    return snapshot;
  }

  /** The queue could not be read: read it deeply next time. */
  forget(queueName: string): void {
    this.kept.delete(queueName);
  }

  /** Forget queues no longer watched. */
  retainOnly(queueNames: ReadonlySet<string>): void {
    for (const name of this.kept.keys()) if (!queueNames.has(name)) this.kept.delete(name);
    this.activity?.retainOnly(queueNames);
  }
}

function sameFigures(read: QueueFigures, kept: QueueFigures): boolean {
  if (
    read.isPaused !== kept.isPaused ||
    read.finishedInWindow.completed !== kept.finishedInWindow.completed ||
    read.finishedInWindow.failed !== kept.finishedInWindow.failed
  ) {
    return false;
  }
  const states = Object.keys(read.counts) as (keyof QueueFigures['counts'])[];
  return (
    states.length === Object.keys(kept.counts).length &&
    states.every((state) => read.counts[state] === kept.counts[state])
  );
}

function sameSamples(read: QueueSamples, kept: QueueSamples): boolean {
  return (
    read.lastFinishedAt === kept.lastFinishedAt &&
    sameNumbers(read.activeStartedAt, kept.activeStartedAt) &&
    sameNumbers(read.recentProcessingTimesMs, kept.recentProcessingTimesMs)
  );
}

/** The same numbers in the same order. */
export function sameNumbers(read: readonly number[], kept: readonly number[]): boolean {
  return read.length === kept.length && read.every((value, index) => value === kept[index]);
}
