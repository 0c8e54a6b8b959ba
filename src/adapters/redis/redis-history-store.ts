import type { RedisClient } from './redis-connection.js';
import type { HistorySample, HistoryStep } from '../../domain/history/history-series.js';
import type {
  HistoryProgress,
  HistoryRecording,
  HistoryStore,
  HistoryTotals,
} from '../../application/ports/history-store.port.js';
import { historyScript } from './history-script.js';

/** How long points are kept, and how much one call reads. */
export interface HistoryRetention {
  /** Minute points live this long (s): at least the 24 hours they are read for. */
  readonly minuteTtlSeconds: number;
  readonly hourTtlSeconds: number;
  /** Event entries one call reads at most, per queue. */
  readonly entriesPerCall: number;
  /**
   * How long one call may spend on its queues' entries (µs); it stops there, and the queue it
   * stopped at and those after it say there is more.
   */
  readonly budgetMicros: number;
}

/** The script command `defineCommand` adds to the connection. */
interface WithHistory {
  queuewatchHistory(...args: (string | number)[]): Promise<unknown>;
}

/** The most running attempts remembered per queue before the memory is dropped. */
const runningMax = 100_000;

/**
 * Minute and hour points in Redis hashes, `queuewatch:history:<queue>:m:<minute start>` and
 * `…:h:<hour start>`, each holding counts, readings and duration buckets (`w:<bucket>` for wait,
 * `p:<bucket>` for processing). Recorded by one script call for many queues (history-script.ts).
 */
export class RedisHistoryStore implements HistoryStore {
  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly retention: HistoryRetention,
    /** Where Queuewatch's keys start (`queuewatch`, or `queuewatch:{tag}` on a cluster). */
    private readonly keyRoot = 'queuewatch',
  ) {
    connection.defineCommand('queuewatchHistory', { lua: historyScript });
  }

  async record(queues: readonly HistoryRecording[]): Promise<(HistoryProgress | Error)[]> {
    if (queues.length === 0) return [];
    const keys: string[] = [];
    const perQueue: (string | number)[] = [];
    for (const { queueName, workers, takeReadings } of queues) {
      const queue = `${this.prefix}:${queueName}:`;
      const own = pointPrefix(this.keyRoot, queueName);
      keys.push(
        `${queue}events`,
        `${own}position`,
        `${own}running`,
        `${queue}wait`,
        `${queue}paused`,
        `${queue}prioritized`,
        `${queue}delayed`,
        `${queue}active`,
      );
      perQueue.push(queue, own, workers ?? -1, takeReadings ? 1 : 0);
    }
    const reply = await (this.connection as unknown as WithHistory).queuewatchHistory(
      keys.length,
      ...keys,
      this.retention.entriesPerCall,
      this.retention.minuteTtlSeconds,
      this.retention.hourTtlSeconds,
      runningMax,
      this.retention.budgetMicros,
      ...perQueue,
    );
    if (!Array.isArray(reply) || reply.length !== queues.length) {
      throw new Error(`the history script answered ${JSON.stringify(reply)}`);
    }
    return (reply as unknown[]).map(progressOf);
  }

  async read(
    queueName: string,
    step: HistoryStep,
    starts: readonly number[],
  ): Promise<HistorySample[]> {
    const own = `${pointPrefix(this.keyRoot, queueName)}${step === 'minute' ? 'm' : 'h'}:`;
    const pipeline = this.connection.pipeline();
    for (const start of starts) pipeline.hgetall(`${own}${String(start)}`);
    const replies = (await pipeline.exec()) ?? [];
    const samples: HistorySample[] = [];
    replies.forEach(([error, fields], index) => {
      if (error) throw error;
      const hash = fields as Record<string, string>;
      const start = starts[index];
      if (start !== undefined && Object.keys(hash).length > 0) samples.push(sampleOf(start, hash));
    });
    return samples;
  }

  async totals(queueNames: readonly string[]): Promise<Map<string, HistoryTotals>> {
    const pipeline = this.connection.pipeline();
    for (const name of queueNames) pipeline.hgetall(`${pointPrefix(this.keyRoot, name)}total`);
    const replies = (await pipeline.exec()) ?? [];
    const totals = new Map<string, HistoryTotals>();
    replies.forEach(([error, fields], index) => {
      if (error) throw error;
      const hash = fields as Record<string, string>;
      const name = queueNames[index];
      if (name === undefined || Object.keys(hash).length === 0) return;
      const oldest = Number(hash.oldestWaitingAt);
      totals.set(name, {
        ...withoutStart(sampleOf(0, hash)),
        oldestWaitingAt: Number.isFinite(oldest) ? oldest : null,
      });
    });
    return totals;
  }
}

function withoutStart(sample: HistorySample): Omit<HistorySample, 'at'> {
  const { added, completed, failed, retried, backlog, active, workers, wait, processing } = sample;
  return { added, completed, failed, retried, backlog, active, workers, wait, processing };
}

function pointPrefix(keyRoot: string, queueName: string): string {
  return `${keyRoot}:history:${queueName}:`;
}

function sampleOf(at: number, hash: Record<string, string>): HistorySample {
  const count = (field: string): number => Number(hash[field] ?? 0) || 0;
  const reading = (field: string): number | null =>
    hash[field] === undefined ? null : Number(hash[field]);
  const wait = new Map<number, number>();
  const processing = new Map<number, number>();
  for (const [field, value] of Object.entries(hash)) {
    const bucket = Number(field.slice(2));
    if (field.startsWith('w:')) wait.set(bucket, Number(value));
    else if (field.startsWith('p:')) processing.set(bucket, Number(value));
  }
  return {
    at,
    added: count('added'),
    completed: count('completed'),
    failed: count('failed'),
    retried: count('retried'),
    backlog: reading('backlog'),
    active: reading('active'),
    workers: reading('workers'),
    wait,
    processing,
  };
}

/** One queue's entry of the script's reply. */
function progressOf(entry: unknown): HistoryProgress | Error {
  if (Array.isArray(entry) && entry[0] === 'error') return new Error(String(entry[1]));
  if (!Array.isArray(entry) || entry.length !== 3) {
    return new Error(`the history script answered ${JSON.stringify(entry)} for a queue`);
  }
  const [counted, more, missed] = entry as unknown[];
  return { counted: Number(counted), more: more === 1, missed: missed === 1 };
}
