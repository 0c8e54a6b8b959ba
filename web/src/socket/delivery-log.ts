import type { ProgressEvent } from './progress-event.js';

interface JobRecord {
  /** The last progress value delivered, as JSON. */
  progress?: string;
  /** The last final state delivered (`completed`, or `failed` with its attempt). */
  terminal?: string;
  /** The tick of the last pushed event. */
  lastPush: number;
}

/**
 * Remembers what was delivered for each job, so that the same state change reaches the callbacks
 * once whether it came pushed, polled, or both (dedupe by job + state + progress value). A polled
 * read that started before a push for its job is stale and is dropped whole.
 */
export class DeliveryLog {
  private readonly jobs = new Map<string, JobRecord>();
  private tick = 0;

  /** A mark to give `acceptPolled` for a read that starts now. */
  mark(): number {
    return this.tick;
  }

  /** Should this pushed event reach the callbacks? */
  acceptPushed(event: ProgressEvent): boolean {
    if (event.type === 'custom-progress') return true;
    this.tick += 1;
    const record = this.recordOf(event);
    record.lastPush = this.tick;
    return accept(record, event);
  }

  /** Should this event, read from the API by a read that started at `mark`, reach the callbacks? */
  acceptPolled(event: ProgressEvent, mark: number): boolean {
    const record = this.recordOf(event);
    if (record.lastPush > mark) return false;
    return accept(record, event);
  }

  /** Forget a job (it was unsubscribed); without a queue, the id in every queue. */
  forget(jobId: string, queueName?: string): void {
    for (const key of [...this.jobs.keys()]) {
      const [queue, id] = JSON.parse(key) as [string, string];
      if (id === jobId && (queueName === undefined || queue === queueName)) this.jobs.delete(key);
    }
  }

  private recordOf(event: ProgressEvent): JobRecord {
    const key = JSON.stringify([event.payload.queueName, event.payload.jobId]);
    let record = this.jobs.get(key);
    if (!record) {
      record = { lastPush: 0 };
      this.jobs.set(key, record);
    }
    return record;
  }
}

function accept(record: JobRecord, event: ProgressEvent): boolean {
  switch (event.type) {
    case 'custom-progress':
      return true;
    case 'job-progress': {
      const { progress } = event.payload;
      const value = progress === undefined ? 'undefined' : JSON.stringify(progress);
      if (record.progress === value) return false;
      record.progress = value;
      // A job that moves again after finishing is being run again (same id): its end is news.
      delete record.terminal;
      return true;
    }
    case 'job-completed':
      return settle(record, 'completed');
    case 'job-failed':
      return settle(record, `failed:${String(event.payload.attemptsMade)}`);
  }
}

function settle(record: JobRecord, terminal: string): boolean {
  if (record.terminal === terminal) return false;
  record.terminal = terminal;
  return true;
}
