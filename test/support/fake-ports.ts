import type {
  QueueCounts,
  QueueInspectionRequest,
  QueuePort,
  QueueReading,
  QueueReadout,
  QueueSampleSizes,
} from '../../src/application/ports/queue.port.js';
import type { JobStatus } from '../../src/application/queues/job-status.js';
import type { QueueDiscovery } from '../../src/application/ports/queue-discovery.port.js';
import type { RedisProbe } from '../../src/application/ports/redis-probe.port.js';
import type {
  ConnectionStatus,
  QueueSnapshot,
  RedisSnapshot,
} from '../../src/domain/queue-health/index.js';

/** A QueuePort that answers from a table and records what it was asked. */
export class InMemoryQueuePort implements QueuePort {
  readonly inspections: {
    requests: readonly QueueInspectionRequest[];
    samples: QueueSampleSizes;
  }[] = [];
  private readonly snapshots = new Map<string, QueueSnapshot>();
  private readonly failures = new Map<string, string>();
  private readonly jobs = new Map<string, JobStatus>();

  setJob(job: JobStatus): this {
    this.jobs.set(`${job.queueName}:${job.id}`, job);
    return this;
  }

  readFailureDetails(
    queueName: string,
    jobId: string,
  ): Promise<{ name: string | null; stacktrace: string[]; data: string | null } | null> {
    const job = this.jobs.get(`${queueName}:${jobId}`);
    return Promise.resolve(
      job
        ? {
            name: job.name,
            stacktrace: ['Error: boom', '    at work (worker.js:1:1)'],
            data: '{"a":1}',
          }
        : null,
    );
  }

  readJob(queueName: string, jobId: string): Promise<JobStatus | null> {
    return Promise.resolve(this.jobs.get(`${queueName}:${jobId}`) ?? null);
  }

  set(snapshot: QueueSnapshot): this {
    this.snapshots.set(snapshot.name, snapshot);
    return this;
  }

  fail(name: string, reason: string): this {
    this.failures.set(name, reason);
    return this;
  }

  /** Read the queue again after `fail`. */
  recover(name: string): this {
    this.failures.delete(name);
    return this;
  }

  /** Answers to the depth asked: the parts a shallower read leaves out are `null`. */
  inspect(
    requests: readonly QueueInspectionRequest[],
    samples: QueueSampleSizes,
  ): Promise<QueueReading<QueueReadout>[]> {
    this.inspections.push({ requests, samples });
    return Promise.resolve(
      requests.map((request) =>
        this.read(request.name, (snapshot): QueueReadout => {
          const { counts, isPaused, finishedInWindow, workerCount } = snapshot;
          const { activeStartedAt, recentProcessingTimesMs, lastFinishedAt } = snapshot;
          return {
            workerCount,
            figures: request.depth === 'none' ? null : { counts, isPaused, finishedInWindow },
            samples:
              request.depth === 'deep'
                ? {
                    activeStartedAt,
                    recentProcessingTimesMs: request.processingTimes ? recentProcessingTimesMs : [],
                    lastFinishedAt,
                  }
                : null,
          };
        }),
      ),
    );
  }

  readCounts(names: readonly string[]): Promise<QueueReading<QueueCounts>[]> {
    return Promise.resolve(
      names.map((name) =>
        this.read(name, (snapshot) => ({ counts: snapshot.counts, isPaused: snapshot.isPaused })),
      ),
    );
  }

  private read<T>(name: string, pick: (snapshot: QueueSnapshot) => T): QueueReading<T> {
    const failure = this.failures.get(name);
    if (failure !== undefined) return { name, ok: false, reason: failure };
    const snapshot = this.snapshots.get(name);
    if (!snapshot) return { name, ok: false, reason: `unknown queue ${name}` };
    return { name, ok: true, value: pick(snapshot) };
  }
}

/** A RedisProbe that reports the snapshot it is given. */
export class StaticRedisProbe implements RedisProbe {
  constructor(public snapshot: RedisSnapshot = healthyRedis()) {}

  probe(): Promise<RedisSnapshot> {
    return Promise.resolve(this.snapshot);
  }

  ping(): Promise<{ ok: boolean; connectionStatus: ConnectionStatus }> {
    return Promise.resolve({
      ok: this.snapshot.reachable,
      connectionStatus: this.snapshot.connectionStatus,
    });
  }
}

/** A healthy Redis snapshot; override what the test is about. */
export function healthyRedis(
  overrides: Partial<Extract<RedisSnapshot, { reachable: true }>> = {},
): RedisSnapshot {
  return {
    reachable: true,
    connectionStatus: 'connected',
    responseTimeMs: 1,
    usedMemoryBytes: 1024 * 1024,
    peakMemoryBytes: 2 * 1024 * 1024,
    maxMemoryBytes: 0,
    connectedClients: 3,
    uptimeSeconds: 60,
    ...overrides,
  };
}

/** A QueueDiscovery whose answer the test sets, or makes fail. */
export class ScriptedDiscovery implements QueueDiscovery {
  answer: string[] | Error = [];
  calls = 0;

  discover(): Promise<string[]> {
    this.calls += 1;
    return this.answer instanceof Error
      ? Promise.reject(this.answer)
      : Promise.resolve([...this.answer]);
  }
}
