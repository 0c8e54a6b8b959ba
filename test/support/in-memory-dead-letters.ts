import type {
  DeadLetterRecord,
  DeadLetterStore,
  DeadLetterSummary,
} from '../../src/application/ports/dead-letter-store.port.js';

/** The dead-letter queue in memory; `refusals` writes fail first, as a full Redis refuses them. */
export class InMemoryDeadLetters implements DeadLetterStore {
  readonly records = new Map<string, DeadLetterRecord>();
  refusals = 0;

  record(record: DeadLetterRecord): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      return Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'"));
    }
    if (!this.records.has(record.id)) this.records.set(record.id, record);
    return Promise.resolve();
  }
  recent(limit: number): Promise<DeadLetterRecord[]> {
    return Promise.resolve([...this.records.values()].reverse().slice(0, limit));
  }
  ofJob(queueName: string, jobId: string, limit: number): Promise<DeadLetterRecord[]> {
    return Promise.resolve(
      [...this.records.values()]
        .filter((record) => record.queueName === queueName && record.jobId === jobId)
        .slice(0, limit),
    );
  }
  get(id: string): Promise<DeadLetterRecord | null> {
    return Promise.resolve(this.records.get(id) ?? null);
  }
  summary(): Promise<DeadLetterSummary> {
    return Promise.resolve({
      queueName: 'failed-jobs',
      size: this.records.size,
      oldestFailedAt: null,
      newestFailedAt: null,
    });
  }
  prune(): Promise<number> {
    return Promise.resolve(0);
  }
}
