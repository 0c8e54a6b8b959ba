import { setImmediate as afterIo } from 'node:timers/promises';
import { QueueKeys } from 'bullmq';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-topology.js';
import type {
  QueueCounts,
  QueueInspectionRequest,
  QueuePort,
  QueueReading,
  QueueReadout,
  QueueSampleSizes,
} from '../../application/ports/queue.port.js';
import type { JobState, JobStatus } from '../../application/queues/job-status.js';
import { inspectQueueScript, parseInspectReply } from './inspect-queue-script.js';
import type { FailedJobDetails } from '../../domain/job-events/job-event.js';
import { failedJobDetails, failedJobFields, parseJsonValue } from './stream-entries.js';
import { countWorkers } from './worker-census.js';

type PipelineResult = [Error | null, unknown][];

/**
 * Queues read per pipeline (one round trip each): a pipeline's calls are built in one go, which
 * with 500 held the event loop for several milliseconds at 10,000 queues.
 */
const callsPerPipeline = 100;

/** Readings handed back between two turns of the event loop. */
const readingsPerTurn = 1_000;

/** The script command `defineCommand` adds to the connection's pipelines. */
type InspectingPipeline = ChainableCommander & {
  queuewatchInspect(...keysAndArgs: (string | number)[]): InspectingPipeline;
};

/**
 * Reads BullMQ queues straight from their Redis keys (named by BullMQ's own `QueueKeys`). A health
 * inspection is one script call per queue (`inspectQueueScript`), 500 queues per pipeline,
 * plus one CLIENT LIST: counts are LLEN/ZCARD like BullMQ's `getCounts` script, finished jobs in
 * the error-rate window are a ZCOUNT on the finished sets (scored by finish time), and the only
 * job hashes read are bounded samples. The queue list's counts are the same script at its counts
 * depth. So the cost is one round trip per 500 queues, and does not grow with the jobs Redis
 * keeps.
 */
export class BullmqQueueReader implements QueuePort {
  private readonly keys: QueueKeys;

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
  ) {
    this.keys = new QueueKeys(prefix);
    // ioredis sends EVAL the first time on each connection, EVALSHA after, and EVAL again on
    // NOSCRIPT (a restarted or flushed Redis).
    connection.defineCommand('queuewatchInspect', { numberOfKeys: 1, lua: inspectQueueScript });
  }

  async readCounts(names: readonly string[]): Promise<QueueReading<QueueCounts>[]> {
    return this.guard(names, async () => {
      // The health script's counts depth; nothing is finished after +inf, so the window is 0.
      const results = await this.pipelined(names, (pipeline, name) => {
        this.inspectQueue(pipeline, name, '+inf', 0, 0, 0, false);
      });
      return names.map((name, index) =>
        reading(name, () => {
          const { counts, isPaused } = parseInspectReply(valueAt(results, index)).figures;
          return { counts, isPaused };
        }),
      );
    });
  }

  async inspect(
    requests: readonly QueueInspectionRequest[],
    samples: QueueSampleSizes,
  ): Promise<QueueReading<QueueReadout>[]> {
    const names = requests.map((request) => request.name);
    return this.guard(names, async () => {
      const read = requests.filter((request) => request.depth !== 'none');
      const [results, workers] = await Promise.all([
        this.pipelined(read, (pipeline, request) => {
          this.inspectQueue(
            pipeline,
            request.name,
            request.finishedSince,
            request.staleStartedBy,
            samples.activeJobs,
            request.processingTimes ? samples.completedJobs : 0,
            request.depth === 'deep',
          );
        }),
        countWorkers(this.connection, this.prefix, names),
      ]);
      const replyOf = new Map(read.map((request, index) => [request, index]));
      const readings: QueueReading<QueueReadout>[] = [];
      for (const [position, request] of requests.entries()) {
        // With thousands of queues, live events get their turn between slices.
        if (position > 0 && position % readingsPerTurn === 0) await afterIo();
        const workerCount = workers === null ? null : (workers.get(request.name) ?? 0);
        const index = replyOf.get(request);
        readings.push(
          index === undefined
            ? { name: request.name, ok: true, value: { workerCount, figures: null, samples: null } }
            : reading(request.name, (): QueueReadout => ({
                workerCount,
                ...parseInspectReply(valueAt(results, index)),
              })),
        );
      }
      return readings;
    });
  }

  /**
   * One script call per item, in pipelines of `callsPerPipeline` sent one after the other: a
   * pipeline's commands and replies are all in memory at once, which for 10,000 queues is megabytes
   * of short-lived garbage per check. The replies in the items' order.
   */
  private async pipelined<T>(
    items: readonly T[],
    add: (pipeline: InspectingPipeline, item: T) => void,
  ): Promise<[Error | null, unknown][]> {
    const results: [Error | null, unknown][] = [];
    for (let start = 0; start < items.length; start += callsPerPipeline) {
      const pipeline = this.connection.pipeline() as InspectingPipeline;
      for (const item of items.slice(start, start + callsPerPipeline)) add(pipeline, item);
      results.push(...((await pipeline.exec()) ?? []));
    }
    return results;
  }

  async readFailureDetails(queueName: string, jobId: string): Promise<FailedJobDetails | null> {
    const [name, stacktrace, data] = await this.connection.hmget(
      this.keys.toKey(queueName, jobId),
      ...failedJobFields,
    );
    return failedJobDetails(name, stacktrace, data);
  }

  async readJob(queueName: string, jobId: string): Promise<JobStatus | null> {
    const keys = this.keys.getKeys(queueName);
    const jobKey = this.keys.toKey(queueName, jobId);
    const fields = [
      'name',
      'progress',
      'atm',
      'failedReason',
      'processedOn',
      'finishedOn',
      'returnvalue',
    ] as const;
    // Sorted sets first (O(log n)); the lists only when no set holds the job.
    const sets: [JobState, string | undefined][] = [
      ['completed', keys.completed],
      ['failed', keys.failed],
      ['delayed', keys.delayed],
      ['prioritized', keys.prioritized],
      ['waiting-children', keys['waiting-children']],
    ];
    const first = this.connection.pipeline().hmget(jobKey, ...fields);
    for (const [, key] of sets) first.zscore(key ?? '', jobId);
    const replies = (await first.exec()) ?? [];
    const values = valueAt(replies, 0) as (string | null)[];
    const [name, progress, attempts, failedReason, processedOn, finishedOn, returnValue] = values;
    if (name === null || name === undefined) return null;
    let state: JobState =
      sets.find((_, index) => valueAt(replies, index + 1) !== null)?.[0] ?? 'unknown';
    if (state === 'unknown') {
      const lists = await this.connection
        .pipeline()
        .lpos(keys.active ?? '', jobId)
        .lpos(keys.wait ?? '', jobId)
        .exec();
      if (valueAt(lists ?? [], 0) !== null) state = 'active';
      else if (valueAt(lists ?? [], 1) !== null) state = 'waiting';
    }
    const started = optionalNumber(processedOn);
    const finished = optionalNumber(finishedOn);
    return {
      id: jobId,
      queueName,
      name,
      state,
      progress: parseProgress(progress),
      attemptsMade: optionalNumber(attempts) ?? 0,
      failedReason: failedReason ?? null,
      processedOn: started,
      finishedOn: finished,
      processingTime:
        started !== null && finished !== null ? Math.max(0, finished - started) : null,
      // As a completion event carries it: `null` for a processor that returned nothing.
      ...(returnValue === null || returnValue === undefined
        ? {}
        : { returnValue: parseJsonValue(returnValue) }),
    };
  }

  /** Queue the inspect script for one queue (see inspect-queue-script.ts for its ARGV). */
  private inspectQueue(
    pipeline: InspectingPipeline,
    name: string,
    finishedSince: number | string,
    staleStartedBy: number,
    activeSample: number,
    completedSample: number,
    deep: boolean,
  ): void {
    pipeline.queuewatchInspect(
      this.keys.toKey(name, 'meta'),
      finishedSince,
      staleStartedBy,
      activeSample,
      completedSample,
      deep ? 1 : 0,
    );
  }

  /** Fail every queue at once, with the reason, when Redis cannot be asked at all. */
  private async guard<T>(
    names: readonly string[],
    read: () => Promise<QueueReading<T>[]>,
  ): Promise<QueueReading<T>[]> {
    if (names.length === 0) return [];
    const failAll = (reason: string): QueueReading<T>[] =>
      names.map((name) => ({ name, ok: false, reason }));
    if (this.connection.status !== 'ready') {
      return failAll(`Redis connection is ${this.connection.status}`);
    }
    try {
      return await read();
    } catch (error) {
      return failAll(error instanceof Error ? error.message : String(error));
    }
  }
}

function reading<T>(name: string, read: () => T): QueueReading<T> {
  try {
    return { name, ok: true, value: read() };
  } catch (error) {
    return { name, ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The reply of one pipelined command; its error, if any, is thrown. */
function valueAt(results: PipelineResult, index: number): unknown {
  const entry = results[index];
  if (!entry) throw new Error(`no reply for pipelined command ${String(index)}`);
  if (entry[0]) throw entry[0];
  return entry[1];
}

function optionalNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** BullMQ's progress field as JSON (text when it is not JSON); 0 when the job has none. */
function parseProgress(text: string | null | undefined): unknown {
  return text === null || text === undefined || text === '' ? 0 : parseJsonValue(text);
}
