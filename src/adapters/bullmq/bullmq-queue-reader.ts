import { setImmediate as afterIo } from 'node:timers/promises';
import { QueueKeys } from 'bullmq';
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
import {
  inspectArgs,
  inspectQueueScript,
  parseInspectReply,
  type InspectCall,
} from './inspect-queue-script.js';
import type { FailedJobDetails } from '../../domain/job-events/job-event.js';
import { failedJobDetails, failedJobFields, parseJsonValue } from './stream-entries.js';
import { countWorkers } from './worker-census.js';
import { reasonOf } from '../../domain/wording/reason.js';

type PipelineResult = [Error | null, unknown][];

/**
 * Queues read per script call: a call's command is built in one go, and Redis runs the call
 * without serving anyone else meanwhile.
 */
const queuesPerCall = 100;

/**
 * Script calls sent before the first of them is answered: Redis runs one while the reply of
 * another is on its way and being parsed.
 */
const callsInFlight = 4;

/** Readings handed back between two turns of the event loop. */
const readingsPerTurn = 1_000;

/** The script command `defineCommand` adds to the connection. */
type InspectingConnection = RedisClient & {
  queuewatchInspect(...keysAndArgs: (string | number)[]): Promise<unknown>;
};

/**
 * Reads BullMQ queues straight from their Redis keys (named by BullMQ's own `QueueKeys`). A health
 * inspection is one script call per 100 queues (`inspectQueueScript`), plus one CLIENT LIST:
 * counts are LLEN/ZCARD like BullMQ's `getCounts` script, finished jobs in the error-rate window
 * are a ZCOUNT on the finished sets (scored by finish time), and the only job hashes read are
 * bounded samples. The queue list's counts are the same script at its counts depth. So the cost
 * is one round trip per 100 queues, and does not grow with the jobs Redis keeps.
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
    connection.defineCommand('queuewatchInspect', { lua: inspectQueueScript });
  }

  async readCounts(names: readonly string[]): Promise<QueueReading<QueueCounts>[]> {
    return this.guard(names, async () => {
      // The health script's counts depth; nothing is finished after +inf, so the window is 0.
      const replies = await this.inspectAll(
        names.map((name) => ({
          name,
          finishedSince: '+inf',
          staleStartedBy: 0,
          activeSample: 0,
          completedSample: 0,
          deep: false,
        })),
      );
      return names.map((name, index) =>
        reading(name, () => {
          const { counts, isPaused } = parseInspectReply(replies[index]).figures;
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
      const [replies, workers] = await Promise.all([
        this.inspectAll(
          read.map((request) => ({
            name: request.name,
            finishedSince: request.finishedSince,
            staleStartedBy: request.staleStartedBy,
            activeSample: samples.activeJobs,
            completedSample: request.processingTimes ? samples.completedJobs : 0,
            deep: request.depth === 'deep',
          })),
        ),
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
                ...parseInspectReply(replies[index]),
              })),
        );
      }
      return readings;
    });
  }

  /**
   * The script's reading of each queue, in the calls' order: one call per `queuesPerCall` queues,
   * with up to `callsInFlight` of them sent at once, so Redis runs the next call while the last
   * reply travels and is parsed, and only a few calls' commands and replies are in memory at once.
   * A call Redis refuses as a whole fails the read (the caller fails every queue); a queue the
   * script could not read has its error in its place.
   */
  private async inspectAll(calls: readonly InspectCall[]): Promise<unknown[]> {
    const callCount = Math.ceil(calls.length / queuesPerCall);
    const replies: unknown[][] = new Array<unknown[]>(callCount);
    let next = 0;
    const sendInTurn = async (): Promise<void> => {
      while (next < callCount) {
        const index = next;
        next += 1;
        replies[index] = await this.inspectSlice(
          calls.slice(index * queuesPerCall, (index + 1) * queuesPerCall),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(callsInFlight, callCount) }, sendInTurn));
    return replies.flat();
  }

  /** One script call: a reading for each of `slice`'s queues, in its order. */
  private async inspectSlice(slice: readonly InspectCall[]): Promise<unknown[]> {
    const connection = this.connection as InspectingConnection;
    const keys = slice.map((call) => this.keys.toKey(call.name, 'meta'));
    const reply = await connection.queuewatchInspect(keys.length, ...keys, ...inspectArgs(slice));
    if (typeof reply !== 'string') throw new Error('unexpected inspect reply: not JSON');
    const readings: unknown = JSON.parse(reply);
    if (!Array.isArray(readings) || readings.length !== slice.length) {
      throw new Error('unexpected inspect reply: not one reading per queue');
    }
    return readings as unknown[];
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
      return failAll(reasonOf(error));
    }
  }
}

function reading<T>(name: string, read: () => T): QueueReading<T> {
  try {
    return { name, ok: true, value: read() };
  } catch (error) {
    return { name, ok: false, reason: reasonOf(error) };
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
